// What `kyso batch` prints: a bar redrawn in place on a terminal (failures above it), plain lines
// otherwise, and the summary line, in Vietnamese and English.
import { describe, expect, it } from 'vitest';
import { BatchProgressView, formatDuration, summaryLine } from '../../src/cli/batch-progress.js';
import type { BatchDocumentReport, BatchProgress, BatchResult } from '../../src/signing/index.js';

function stream(isTTY: boolean): { isTTY: boolean; columns: number; text: string; write(t: string): void } {
  return {
    isTTY,
    columns: 120,
    text: '',
    write(t: string) {
      this.text += t;
    },
  };
}

const progress = (done: number): BatchProgress => ({
  total: 10,
  done,
  signed: done,
  failed: 0,
  current: `doc-${done}.pdf`,
  ratePerSecond: 12.5,
  remainingMs: ((10 - done) / 12.5) * 1000,
  elapsedMs: done * 80,
});
const signed = (n: number): BatchDocumentReport => ({
  input: `/in/doc-${n}.pdf`,
  name: `doc-${n}.pdf`,
  output: `/out/doc-${n}.pdf`,
  status: 'signed',
  earlier: false,
});

describe('batch progress', () => {
  it('plain lines when stderr is not a terminal', () => {
    const out = stream(false);
    const view = new BatchProgressView(out, 'vi');
    view.handle({
      kind: 'planned',
      batchId: 'b',
      journal: 'j',
      resumed: false,
      total: 10,
      earlier: 0,
      toDo: 10,
    });
    view.handle({ kind: 'document', document: signed(1), progress: progress(1) });
    view.handle({
      kind: 'document',
      document: { ...signed(2), status: 'failed', code: 'PDF_ENCRYPTED', details: {} },
      progress: progress(2),
    });
    view.handle({ kind: 'waiting-for-token', token: 'Chủ tịch Nhung' });
    view.finish();
    expect(out.text).toBe(
      [
        'Đợt ký gồm 10 văn bản.',
        '[1/10] đã ký doc-1.pdf · 12,5 văn bản/giây · còn 0:01',
        '[2/10] LỖI doc-2.pdf: Tệp PDF được bảo vệ bằng mật khẩu; hãy gỡ mật khẩu trước khi ký. [PDF_ENCRYPTED]',
        'Token "Chủ tịch Nhung" đã bị rút ra: đang chờ token… Hãy cắm lại token để ký tiếp (Ctrl-C để dừng).',
        '',
      ].join('\n'),
    );
  });

  it('a bar redrawn in place on a terminal, failures printed above it', () => {
    const out = stream(true);
    const view = new BatchProgressView(out, 'en');
    view.handle({ kind: 'started', progress: progress(0) });
    view.handle({ kind: 'document', document: signed(5), progress: { ...progress(5) } });
    view.handle({
      kind: 'document',
      document: { ...signed(6), status: 'failed', code: 'PDF_NOT_PDF', details: {} },
      progress: progress(10),
    });
    view.finish();
    expect(out.text).toContain(
      '\r\x1b[2K[████████████░░░░░░░░░░░░] 5/10 50% · 12.5 docs/s · 0:00 left · doc-5.pdf',
    );
    expect(out.text).toContain('\r\x1b[2K[10/10] FAILED doc-6.pdf: The file is not a PDF. [PDF_NOT_PDF]\n');
    expect(out.text.endsWith('\r\x1b[2K')).toBe(true); // the bar is gone before the summary
    expect(out.text).not.toContain('signed doc-5.pdf'); // no line per signed document on a terminal
  });

  it('the summary line', () => {
    const result = {
      total: 200,
      signed: 190,
      failed: 10,
      pending: 0,
      signedNow: 190,
      elapsedMs: 12_345,
      reports: { json: '/out/.kyso-batch/report.json', csv: '/out/.kyso-batch/report.csv' },
    } as unknown as BatchResult;
    expect(summaryLine(result, 'vi', undefined)).toBe(
      'Đã ký 190/200 văn bản; 10 lỗi; thời gian 12,3 giây (15,4 văn bản/giây); báo cáo: /out/.kyso-batch/report.json.',
    );
    expect(summaryLine({ ...result, failed: 0, pending: 10 }, 'en', '/r.csv')).toBe(
      'Signed 190/200 documents; 10 not signed (run again with --resume to continue); 12.3 s (15.4 docs/s); report: /r.csv.',
    );
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(65_000)).toBe('1:05');
  });
});
