// The contract at its boundaries: every channel's schema refuses what is not its shape, the dispatcher
// answers with the envelope (translated messages, INTERNAL without the error's text, CANCELLED on
// abort), the wire encoding keeps bytes, and the client routes progress and cancels.
import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  REQUESTS,
  createKysoClient,
  decodeWire,
  decodeWireFrame,
  encodeWireFrame,
  encodeWire,
  type BridgeEvent,
  type KysoBridge,
  type Result,
} from '../../src/shared/contract/index.js';
import { KysoError } from '../../src/shared/errors.js';
import { dispatch } from '../../src/main/services/dispatcher.js';
import type { Handlers, ServiceContext } from '../../src/main/services/service-types.js';
import { certificateWarnings } from '../../src/main/services/certificate-warnings.js';

const ctx = (language: 'vi' | 'en' = 'vi', signal = new AbortController().signal): ServiceContext => ({
  signal,
  language,
  progress: () => undefined,
});

const certificate = { modulePath: '/usr/lib/x.so', tokenSerial: 'ABC', slotId: 0, keyId: '01' };
const signRequest = {
  documentId: 'doc_1',
  output: '/tmp/out.pdf',
  overwrite: false,
  template: 'personal',
  page: 1,
  rect: { x: 1, y: 2, width: 100, height: 50 },
  certificate,
  pin: '123456',
  allowFinalTry: false,
};

describe('contract schemas', () => {
  it('every channel refuses unknown members and non-objects', () => {
    for (const channel of CHANNELS) {
      const schema = REQUESTS[channel].request;
      expect(schema.safeParse(null).success, channel).toBe(false);
      expect(schema.safeParse('x').success, channel).toBe(false);
      expect(schema.safeParse({ __proto__: null, injected: true }).success, channel).toBe(false);
    }
  });

  it('sign.run takes its documented shape and refuses each kind of bad value', () => {
    const schema = REQUESTS['sign.run'].request;
    expect(schema.safeParse(signRequest).success).toBe(true);
    expect(schema.safeParse({ ...signRequest, pin: null, rect: null, template: 'invisible' }).success).toBe(
      true,
    );
    const bad: Record<string, unknown>[] = [
      { template: 'stamp' },
      { page: 0 },
      { page: 1.5 },
      { rect: { x: 0, y: 0, width: -1, height: 5 } },
      { rect: { x: 0, y: 0, width: Infinity, height: 5 } },
      { output: '/tmp/a\0b.pdf' },
      { output: '' },
      { pin: '' },
      { documentId: '../etc' },
      { certificate: { ...certificate, keyId: 'zz' } },
      { certificate: { ...certificate, slotId: -1 } },
      { overwrite: 'yes' },
    ];
    for (const change of bad)
      expect(schema.safeParse({ ...signRequest, ...change }).success, JSON.stringify(change)).toBe(false);
  });

  it('document.read bounds one range to 16 MiB', () => {
    const schema = REQUESTS['document.read'].request;
    expect(schema.safeParse({ documentId: 'a', offset: 0, length: 65536 }).success).toBe(true);
    expect(schema.safeParse({ documentId: 'a', offset: 0, length: 16 * 1024 * 1024 + 1 }).success).toBe(
      false,
    );
    expect(schema.safeParse({ documentId: 'a', offset: -1, length: 1 }).success).toBe(false);
  });
});

describe('dispatcher: the result envelope', () => {
  const handlers: Partial<Handlers> = {
    'app.info': async () => ({ version: '1', language: 'vi', platform: 'linux', home: '/h', webHost: true }),
    'document.open': async ({ path }) => {
      throw new KysoError('INPUT_NOT_FOUND', `missing ${path}`, { details: { path } });
    },
    'tokens.list': async () => {
      throw new Error('secret internals at /srv/x: stack follows');
    },
    'verify.run': async (_r, c) =>
      new Promise((_resolve, reject) =>
        c.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      ),
  };

  it('ok: the value', async () => {
    expect(await dispatch(handlers, 'app.info', {}, ctx())).toMatchObject({
      ok: true,
      value: { version: '1' },
    });
  });

  it('a KysoError keeps its code and details, with the message in the app language', async () => {
    const vi = await dispatch(handlers, 'document.open', { path: '/x.pdf' }, ctx('vi'));
    expect(vi).toEqual({
      ok: false,
      error: { code: 'INPUT_NOT_FOUND', message: 'Không tìm thấy tệp /x.pdf.', details: { path: '/x.pdf' } },
    });
    const en = await dispatch(handlers, 'document.open', { path: '/x.pdf' }, ctx('en'));
    expect(en.ok ? '' : en.error.message).toBe('File not found: /x.pdf.');
  });

  it('anything else is INTERNAL, without the original text or a stack', async () => {
    const seen: string[] = [];
    const r = await dispatch(handlers, 'tokens.list', {}, ctx(), { onInternalError: (ch) => seen.push(ch) });
    expect(r.ok ? null : r.error.code).toBe('INTERNAL');
    expect(JSON.stringify(r)).not.toMatch(/secret internals|stack|at \//);
    expect(seen).toEqual(['tokens.list']);
  });

  it('schema rejection: CONTRACT_INVALID_REQUEST naming the field, never echoing the value (a PIN)', async () => {
    const pin = '987654321-pin';
    const r = await dispatch(handlers, 'sign.run', { ...signRequest, pin, page: 'one' }, ctx('en'));
    expect(r.ok ? null : r.error.code).toBe('CONTRACT_INVALID_REQUEST');
    expect(r.ok ? '' : r.error.message).toContain('page');
    expect(JSON.stringify(r)).not.toContain(pin);
    const unknown = await dispatch(handlers, 'shell.exec', {}, ctx());
    expect(unknown.ok ? null : unknown.error.code).toBe('CONTRACT_INVALID_REQUEST');
  });

  it('a request served elsewhere is refused, not crashed on', async () => {
    const r = await dispatch(handlers, 'dialog.openPdf', {}, ctx());
    expect(r.ok ? null : r.error.code).toBe('CONTRACT_INVALID_REQUEST');
  });

  it('an aborted call answers CANCELLED', async () => {
    const controller = new AbortController();
    const pending = dispatch(handlers, 'verify.run', { path: '/x.pdf' }, ctx('vi', controller.signal));
    controller.abort();
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'CANCELLED', message: 'Đã hủy.', details: {} },
    });
  });
});

describe('wire encoding', () => {
  it('keeps Uint8Array values through JSON and does not let "__proto__" set a prototype', () => {
    const bytes = new Uint8Array(70000).map((_, i) => i % 251);
    const back = decodeWire(encodeWire({ type: 'result', result: { ok: true, value: { bytes, n: 1 } } })) as {
      result: { value: { bytes: Uint8Array; n: number } };
    };
    expect(back.result.value.bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(back.result.value.bytes).equals(Buffer.from(bytes))).toBe(true);
    const evil = decodeWire('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(evil)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('binary frames (host → browser)', () => {
  const message = (bytes: Uint8Array[]) => ({
    type: 'result',
    callId: 'c1',
    result: { ok: true, value: { parts: bytes, size: 9, name: 'Quyết định.pdf' } },
  });

  it('a message with many bytes goes as one binary frame and comes back equal, each value its own copy', () => {
    const a = new Uint8Array(300_000).map((_, i) => i % 253);
    const b = new Uint8Array(5).fill(7);
    const frame = encodeWireFrame(message([a, b]));
    expect(frame).toBeInstanceOf(Uint8Array);
    // Smaller than base64 in JSON would be (a third larger than the bytes).
    expect((frame as Uint8Array).length).toBeLessThan(300_005 + 1000);
    const back = decodeWireFrame(frame) as ReturnType<typeof message>;
    expect(back.result.value.name).toBe('Quyết định.pdf');
    const [x, y] = back.result.value.parts;
    expect(Buffer.from(x!).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(y!).equals(Buffer.from(b))).toBe(true);
    expect(x!.buffer).not.toBe(y!.buffer);
    expect(x!.byteOffset).toBe(0);
  });

  it('a message with few bytes stays JSON text', () => {
    const frame = encodeWireFrame(message([new Uint8Array(10)]));
    expect(typeof frame).toBe('string');
    expect(decodeWireFrame(frame)).toEqual(decodeWire(frame as string));
  });

  it('refuses frames that are not Kyso frames, truncated, or point outside themselves', () => {
    expect(() => decodeWireFrame(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow(SyntaxError);
    const good = encodeWireFrame(message([new Uint8Array(100_000)])) as Uint8Array;
    expect(() => decodeWireFrame(good.subarray(0, 20))).toThrow(SyntaxError);
    expect(() => decodeWireFrame(good.subarray(0, good.length - 1))).toThrow('outside the frame');
  });
});

describe('client over a bridge', () => {
  function fakeBridge() {
    const listeners = new Set<(e: BridgeEvent) => void>();
    const cancelled: string[] = [];
    let resolveCall: ((r: Result<unknown>) => void) | null = null;
    let lastCallId = '';
    const bridge: KysoBridge = {
      invoke: (callId) =>
        new Promise((resolve) => {
          lastCallId = callId;
          resolveCall = resolve;
        }),
      cancel: (callId) => cancelled.push(callId),
      onEvent: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      pathForFile: async () => null,
    };
    return {
      bridge,
      cancelled,
      emit: (e: BridgeEvent) => listeners.forEach((l) => l(e)),
      finish: (r: Result<unknown>) => resolveCall?.(r),
      callId: () => lastCallId,
      listenerCount: () => listeners.size,
    };
  }

  it('routes progress of its own call, cancels on abort, and unsubscribes after', async () => {
    const fake = fakeBridge();
    const client = createKysoClient(fake.bridge);
    const controller = new AbortController();
    const stages: string[] = [];
    const pending = client.call(
      'sign.run',
      { ...signRequest, template: 'personal' },
      {
        signal: controller.signal,
        onProgress: (p) => stages.push(p.stage),
      },
    );
    fake.emit({ kind: 'progress', callId: fake.callId(), progress: { stage: 'hashing' } });
    fake.emit({ kind: 'progress', callId: 'someone-else', progress: { stage: 'writing' } });
    controller.abort();
    expect(fake.cancelled).toEqual([fake.callId()]);
    fake.finish({ ok: false, error: { code: 'CANCELLED', message: 'Đã hủy.' } });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(stages).toEqual(['hashing']);
    expect(fake.listenerCount()).toBe(0);
  });

  it('hands engine restarts and open files to their listeners', () => {
    const fake = fakeBridge();
    const client = createKysoClient(fake.bridge);
    const seen: string[] = [];
    client.onEngineRestarted((r) => seen.push(`restart:${r}`));
    client.onOpenFiles((p) => seen.push(`files:${p.join(',')}`));
    fake.emit({ kind: 'engine-restarted', reason: 'signal SIGKILL' });
    fake.emit({ kind: 'open-files', paths: ['/a.pdf'] });
    expect(seen).toEqual(['restart:signal SIGKILL', 'files:/a.pdf']);
  });
});

describe('certificate warnings', () => {
  const now = new Date('2030-06-01T00:00:00Z');
  it('expired, expiring within 30 days, not yet valid, no signing usage', () => {
    const base = {
      notBefore: '2029-01-01T00:00:00Z',
      notAfter: '2031-01-01T00:00:00Z',
      keyUsage: ['digitalSignature'],
    };
    expect(certificateWarnings(base, now)).toEqual([]);
    expect(certificateWarnings({ ...base, notAfter: '2030-05-31T00:00:00Z' }, now)).toEqual(['expired']);
    expect(certificateWarnings({ ...base, notAfter: '2030-06-20T00:00:00Z' }, now)).toEqual([
      'expiring-soon',
    ]);
    expect(certificateWarnings({ ...base, notBefore: '2030-07-01T00:00:00Z' }, now)).toEqual([
      'not-yet-valid',
    ]);
    expect(certificateWarnings({ ...base, keyUsage: ['keyCertSign'] }, now)).toEqual(['no-signing-usage']);
    expect(certificateWarnings({ ...base, keyUsage: null }, now)).toEqual([]);
  });
});
