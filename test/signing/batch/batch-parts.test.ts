// The parts of a batch that need no token: profiles (parsed strictly, saved and read back), the
// journal's replay rules, the report formats and output names.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadBatchProfile,
  parseBatchProfile,
  profileOptions,
  saveBatchProfile,
  type BatchProfile,
} from '../../../src/signing/batch/batch-profile.js';
import { replayJournal } from '../../../src/signing/batch/batch-journal.js';
import { batchReportCsv, batchReportJson } from '../../../src/signing/batch/batch-report.js';
import { outputName } from '../../../src/signing/batch/batch-plan.js';
import { batchOptionsHash } from '../../../src/signing/batch/run-batch.js';
import type { BatchResult } from '../../../src/signing/batch/batch-result.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'kyso-batch-parts-'));

describe('batch profiles', () => {
  const profile: BatchProfile = {
    version: 1,
    name: 'Sao y bản chính',
    suffix: '-da-ky',
    reason: 'Sao y bản chính',
    location: 'UBND phường Đoàn Kết',
    page: -1,
    level: 'B-T',
    hash: 'sha256',
    certify: 'form-fill',
    tsa: { url: 'http://tsa.example.vn/tsa', timeoutSeconds: 90, retries: 3, maxConcurrent: 2 },
    appearance: {
      template: 'text',
      docNumber: '12/SY-UBND',
      agency: 'UBND phường Đoàn Kết',
      rect: '400,40,180,60',
    },
  };

  it('saves and reads back the same profile, and turns it into engine options', async () => {
    const file = path.join(work, 'profile.json');
    await saveBatchProfile(file, profile);
    const loaded = await loadBatchProfile(file);
    expect(loaded).toEqual(profile);
    const { options, appearance, tsaConcurrency, suffix } = profileOptions(loaded);
    expect(options).toMatchObject({
      reason: 'Sao y bản chính',
      page: -1,
      level: 'B-T',
      certify: 'form-fill',
      tsa: { url: 'http://tsa.example.vn/tsa', timeoutMs: 90_000, retries: 3 },
    });
    expect(appearance).toMatchObject({
      template: 'text',
      docNumber: '12/SY-UBND',
      rect: { x: 400, y: 40, width: 180, height: 60 },
    });
    expect(tsaConcurrency).toBe(2);
    expect(suffix).toBe('-da-ky');
  });

  it('refuses what it does not understand, saying where', () => {
    const bad = (value: unknown, reason: RegExp): void => {
      let error: unknown;
      try {
        parseBatchProfile(value, 'p.json');
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ code: 'SETTINGS_INVALID' });
      expect(String((error as { details: { reason: string } }).details.reason)).toMatch(reason);
    };
    bad([], /must be an object/);
    bad({ reasn: 'x' }, /unknown field reasn/);
    bad({ level: 'B-LX' }, /level must be one of/);
    bad({ level: 'B-T' }, /B-T needs tsa.url/);
    bad({ page: 0 }, /page/);
    bad({ tsa: { url: 'ftp://x' } }, /http\(s\)/);
    bad({ tsa: { url: 'https://user:pw@tsa.example/' } }, /credentials/);
    bad({ appearance: { template: 'nope' } }, /appearance.template/);
    bad({ appearance: { template: 'text', rect: '1,2,3' } }, /appearance.rect/);
    bad({ appearance: { template: 'text', extra: 1 } }, /unknown field appearance.extra/);
    bad({ version: 99 }, /newer/);
    bad({ suffix: '../x' }, /suffix/);
  });

  it('a file that is not JSON, or missing', async () => {
    const file = path.join(work, 'broken.json');
    writeFileSync(file, '{ not json');
    await expect(loadBatchProfile(file)).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
    await expect(loadBatchProfile(path.join(work, 'none.json'))).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
    });
  });
});

describe('the journal', () => {
  const header =
    '{"type":"batch","version":1,"batchId":"b","createdAt":"2026-11-26T00:00:00Z","optionsHash":"h"}';
  const pending = '{"type":"pending","key":"k1","input":"/in/a.pdf","output":"/out/a.pdf"}';
  const signed =
    '{"type":"signed","key":"k1","output":"/out/a.pdf","sha256":"' +
    'a'.repeat(64) +
    '","size":10,"signer":"N","signedAt":"2026-11-26T00:00:01Z","level":"B-B"}';

  it('replays the last state of each document and drops a torn last line', () => {
    const text = `${header}\n${pending}\n${signed}\n{"type":"fail`;
    const { state, validBytes } = replayJournal(text, 'j');
    expect(state.documents.get('k1')?.status).toBe('signed');
    expect(validBytes).toBe(text.lastIndexOf('\n') + 1);
    const failed = `${header}\n${pending}\n${signed}\n{"type":"failed","key":"k1","code":"OUTPUT_EXISTS","message":"m","details":{"path":"/out/a.pdf"},"at":"2026-11-26T00:00:02Z"}\n`;
    expect(replayJournal(failed, 'j').state.documents.get('k1')?.status).toBe('failed');
  });

  it('refuses a damaged journal', () => {
    expect(() => replayJournal(`${header}\ngarbage\n${pending}\n`, 'j')).toThrow(
      expect.objectContaining({ code: 'BATCH_JOURNAL_INVALID' }),
    );
    expect(() => replayJournal(`${pending}\n`, 'j')).toThrow(
      expect.objectContaining({ code: 'BATCH_JOURNAL_INVALID' }),
    );
    // a record for a document the journal never listed
    expect(() => replayJournal(`${header}\n${signed}\n`, 'j')).toThrow(
      expect.objectContaining({ code: 'BATCH_JOURNAL_INVALID' }),
    );
    // an unknown error code
    const unknownCode = `${header}\n${pending}\n{"type":"failed","key":"k1","code":"NOPE","message":"m","details":{},"at":"x"}\n`;
    expect(() => replayJournal(unknownCode, 'j')).toThrow(
      expect.objectContaining({ code: 'BATCH_JOURNAL_INVALID' }),
    );
  });
});

describe('reports', () => {
  const result: BatchResult = {
    batchId: 'b',
    outDir: '/out',
    journal: '/out/.kyso-batch/journal.jsonl',
    reports: undefined,
    total: 2,
    signed: 1,
    failed: 1,
    pending: 0,
    signedNow: 1,
    cancelled: false,
    startedAt: '2026-11-26T00:00:00Z',
    elapsedMs: 1000,
    documents: [
      {
        input: '/in/Quyết định, số "5".pdf',
        name: 'Quyết định, số "5".pdf',
        output: '/out/Quyết định, số "5".pdf',
        status: 'signed',
        earlier: false,
        signer: 'Nguyễn Thị Hồng Nhung',
        time: '2026-11-26T00:00:01Z',
      },
      {
        input: '/in/=cmd.pdf',
        name: '=cmd.pdf',
        output: '/out/=cmd.pdf',
        status: 'failed',
        earlier: false,
        time: '2026-11-26T00:00:02Z',
        code: 'PDF_ENCRYPTED',
        message: 'The PDF is encrypted',
        details: {},
      },
    ],
  };

  it('CSV: a BOM for Excel, quoted cells, translated messages, no formula injection', () => {
    const csv = batchReportCsv(result, 'vi');
    expect(csv.startsWith('\uFEFFfile,status,output,signer,time,code,message\r\n')).toBe(true);
    expect(csv).toContain('"/in/Quyết định, số ""5"".pdf",signed,');
    expect(csv).toContain("'/in/=cmd.pdf".replace("'/", '/')); // a path starting with / is not a formula
    expect(csv).toContain('PDF_ENCRYPTED,Tệp PDF được bảo vệ bằng mật khẩu');
    const injected = batchReportCsv(
      { ...result, documents: [{ ...result.documents[1]!, input: '=HYPERLINK("x")' }] },
      'en',
    );
    expect(injected).toContain(`"'=HYPERLINK(""x"")",failed`);
  });

  it('JSON: the totals and one entry per document', () => {
    const json = JSON.parse(batchReportJson(result, 'en')) as {
      documents: { code: string; message: string }[];
    };
    expect(json.documents[1]).toMatchObject({
      code: 'PDF_ENCRYPTED',
      message: expect.stringMatching(/password/),
    });
  });
});

describe('names and options', () => {
  it('output names keep the extension and take the suffix before it', () => {
    expect(outputName('a.pdf', '')).toBe('a.pdf');
    expect(outputName('Quyết định.PDF', '-da-ky')).toBe('Quyết định-da-ky.PDF');
    expect(outputName('noext', '-s')).toBe('noext-s.pdf');
  });

  it('the options hash ignores timeouts and credentials, not what shapes a signature', () => {
    const base = batchOptionsHash({ reason: 'A', tsa: { url: 'http://t/' } }, undefined, '');
    expect(
      batchOptionsHash({ reason: 'A', tsa: { url: 'http://t/', timeoutMs: 5, retries: 9 } }, undefined, ''),
    ).toBe(base);
    expect(batchOptionsHash({ reason: 'B', tsa: { url: 'http://t/' } }, undefined, '')).not.toBe(base);
    expect(batchOptionsHash({ reason: 'A', tsa: { url: 'http://t/' } }, undefined, '-s')).not.toBe(base);
    expect(batchOptionsHash({ reason: 'A', tsa: { url: 'http://t/' } }, { template: 'text' }, '')).not.toBe(
      base,
    );
  });
});
