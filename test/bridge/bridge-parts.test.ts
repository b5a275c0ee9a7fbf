// The bridge's small rules on their own: which Host headers are this machine, which bind addresses
// are loopback, what counts as an origin and an allowed URL, how requests and dates are read, the
// file name shown for a URL, and the Status of each error code.
import { describe, expect, it } from 'vitest';
import {
  assertLoopbackBind,
  BRIDGE_STATUS,
  displayFileName,
  isLocalHostHeader,
  normalizeOrigin,
  OriginAllowList,
  parseBridgeRequest,
  parseIssuedDate,
  statusForError,
} from '../../src/signing/bridge-api.js';
import { isKysoError } from '../../src/shared/errors.js';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return isKysoError(err) ? err.code : 'not a KysoError';
  }
  return undefined;
}

describe('local addresses', () => {
  it('accepts only loopback Host headers on the bridge port', () => {
    for (const ok of ['127.0.0.1:8987', 'localhost:8987', 'LOCALHOST:8987', '[::1]:8987']) {
      expect(isLocalHostHeader(ok, 8987), ok).toBe(true);
    }
    for (const bad of [
      undefined,
      '127.0.0.1',
      '127.0.0.1:8988',
      'evil.example:8987',
      'localhost.evil.example:8987',
      '127.0.0.1.nip.io:8987',
      '[::2]:8987',
      '0.0.0.0:8987',
    ]) {
      expect(isLocalHostHeader(bad, 8987), String(bad)).toBe(false);
    }
  });

  it('binds to loopback only', () => {
    for (const ok of ['127.0.0.1', '127.0.0.2', '::1', '0:0:0:0:0:0:0:1'])
      expect(
        codeOf(() => assertLoopbackBind(ok)),
        ok,
      ).toBeUndefined();
    for (const bad of ['0.0.0.0', '::', '10.0.0.1', 'localhost', '::ffff:10.0.0.1']) {
      expect(
        codeOf(() => assertLoopbackBind(bad)),
        bad,
      ).toBe('BRIDGE_NOT_LOCAL');
    }
  });
});

describe('origins', () => {
  it('are written as browsers send them', () => {
    expect(normalizeOrigin('HTTPS://MotCua.Example.gov.vn:443')).toBe('https://motcua.example.gov.vn');
    expect(normalizeOrigin('http://10.1.2.3:8080/')).toBe('http://10.1.2.3:8080');
    for (const bad of [
      'motcua.example.gov.vn',
      'ftp://x.example',
      'https://x.example/path',
      'https://u:p@x.example',
    ]) {
      expect(
        codeOf(() => normalizeOrigin(bad)),
        bad,
      ).toBe('USAGE');
    }
  });

  it('allow pages of the list, and files only on their hosts', () => {
    const list = new OriginAllowList(['https://motcua.example.gov.vn'], ['files.example.gov.vn']);
    expect(list.allowsOrigin('https://motcua.example.gov.vn')).toBe(true);
    expect(list.allowsOrigin('http://motcua.example.gov.vn')).toBe(false);
    expect(list.allowsOrigin('https://motcua.example.gov.vn.evil.example')).toBe(false);
    expect(list.allowsOrigin('null')).toBe(false);
    expect(list.allowsOrigin(undefined)).toBe(false);
    const origin = 'https://motcua.example.gov.vn';
    expect(list.resolve('/api/file/1.pdf', origin).href).toBe('https://motcua.example.gov.vn/api/file/1.pdf');
    expect(list.resolve('https://files.example.gov.vn/a.pdf', origin).host).toBe('files.example.gov.vn');
    expect(codeOf(() => list.resolve('https://evil.example/a.pdf', origin))).toBe('BRIDGE_HOST_NOT_ALLOWED');
    expect(codeOf(() => list.resolve('file:///etc/passwd', origin))).toBe('BRIDGE_REQUEST_INVALID');
    expect(codeOf(() => list.resolve('https://u:p@motcua.example.gov.vn/a.pdf', origin))).toBe(
      'BRIDGE_REQUEST_INVALID',
    );
  });
});

describe('requests', () => {
  it('read the protocol fields, the JWT as a secret', () => {
    const r = parseBridgeRequest(
      JSON.stringify({
        FileUploadHandler: 'https://x/upload',
        SessionId: 'S',
        JWTToken: 'secret-jwt',
        FileName: 'https://x/a.pdf',
        DocNumber: ' 12/QĐ-UBND ',
        IssuedDate: '3/12/2026',
        MetaData: [
          { Key: 'CertBook', Value: '01' },
          { Key: 'N', Value: 5 },
          { Key: 'Z', Value: null },
        ],
      }),
    );
    expect(r.docNumber).toBe('12/QĐ-UBND');
    expect(r.issuedDate).toBe('03/12/2026');
    expect([...r.metaData]).toEqual([
      ['CertBook', '01'],
      ['N', '5'],
    ]);
    expect(r.jwt?.reveal()).toBe('secret-jwt');
    expect(JSON.stringify(r)).not.toContain('secret-jwt');
  });

  it('refuse what is not a request', () => {
    for (const bad of [
      'not json',
      '[]',
      JSON.stringify({ FileName: 5 }),
      JSON.stringify({ DocNumber: 'x'.repeat(201) }),
      JSON.stringify({ DocNumber: 'Số {signer}' }),
      JSON.stringify({ DocNumber: 'a\nb' }),
      JSON.stringify({ IssuedDate: '31/02/2026' }),
      JSON.stringify({ MetaData: [{ Key: 'k' }] }),
    ]) {
      expect(
        codeOf(() => parseBridgeRequest(bad)),
        bad,
      ).toBe('BRIDGE_REQUEST_INVALID');
    }
  });

  it('read issue dates in the forms the systems send', () => {
    expect(parseIssuedDate('2026-12-03')).toBe('03/12/2026');
    expect(parseIssuedDate('2026-12-03T08:00:00+07:00')).toBe('03/12/2026');
    expect(parseIssuedDate('03.12.2026')).toBe('03/12/2026');
    expect(parseIssuedDate('3-12-2026')).toBe('03/12/2026');
    expect(codeOf(() => parseIssuedDate('2026/13/01'))).toBe('BRIDGE_REQUEST_INVALID');
  });
});

describe('names and statuses', () => {
  it('shows a plain file name for a URL', () => {
    expect(displayFileName(new URL('https://x/files/Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf?id=1'))).toBe(
      'Quyết định.pdf',
    );
    expect(displayFileName(new URL('https://x/download?id=7'))).toBe('download.pdf');
    expect(displayFileName(new URL('https://x/'))).toBe('document.pdf');
    expect(displayFileName(new URL('https://x/a%2F..%2F..%2Fetc.pdf'))).toBe('a_.._.._etc.pdf');
  });

  it('maps error codes to the documented statuses', () => {
    expect(statusForError('BRIDGE_DECLINED')).toBe(BRIDGE_STATUS.DECLINED);
    expect(statusForError('PDF_NOT_PDF')).toBe(6);
    expect(statusForError('PDF_ENCRYPTED')).toBe(6);
    expect(statusForError('BRIDGE_FILE_TOO_LARGE')).toBe(5);
    expect(statusForError('PKCS11_PIN_INCORRECT')).toBe(7);
    expect(statusForError('BRIDGE_UPLOAD_FAILED')).toBe(8);
    expect(statusForError('CANCELLED')).toBe(11);
    expect(statusForError('INTERNAL')).toBe(99);
  });
});
