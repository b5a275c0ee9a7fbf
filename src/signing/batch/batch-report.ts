// The end-of-batch reports: JSON for programs, CSV for people (opens in Excel: UTF-8 with a byte
// order mark, RFC 4180 quoting, formula-looking cells neutralised). One row per document: file,
// status, output, signer, time, error code, message (translated).
import path from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { messageFor, type Lang } from '../../shared/messages.js';
import type { BatchDocumentReport, BatchResult } from './batch-result.js';

export interface BatchReportRow {
  readonly file: string;
  readonly status: string;
  readonly output: string;
  readonly signer: string;
  readonly time: string;
  readonly code: string;
  readonly message: string;
}

export const REPORT_COLUMNS: readonly (keyof BatchReportRow)[] = [
  'file',
  'status',
  'output',
  'signer',
  'time',
  'code',
  'message',
];

export function reportRow(doc: BatchDocumentReport, lang: Lang): BatchReportRow {
  return {
    file: doc.input,
    status: doc.status,
    output: doc.status === 'signed' ? doc.output : '',
    signer: doc.signer ?? '',
    time: doc.time ?? '',
    code: doc.code ?? '',
    message: doc.code !== undefined ? messageFor(doc.code, doc.details ?? {}, lang) : '',
  };
}

export function batchReportJson(result: BatchResult, lang: Lang): string {
  const report = {
    batchId: result.batchId,
    outDir: result.outDir,
    startedAt: result.startedAt,
    elapsedMs: Math.round(result.elapsedMs),
    total: result.total,
    signed: result.signed,
    failed: result.failed,
    pending: result.pending,
    cancelled: result.cancelled,
    ...(result.stopped
      ? {
          stopped: {
            code: result.stopped.code,
            message: messageFor(result.stopped.code, result.stopped.details, lang),
          },
        }
      : {}),
    documents: result.documents.map((d) => ({
      ...reportRow(d, lang),
      earlier: d.earlier,
      sha256: d.sha256 ?? null,
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function csvCell(value: string): string {
  // A cell starting like a formula would run in a spreadsheet (CSV injection): make it text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function batchReportCsv(result: BatchResult, lang: Lang): string {
  const lines = [REPORT_COLUMNS.join(',')];
  for (const doc of result.documents) {
    const row = reportRow(doc, lang);
    lines.push(REPORT_COLUMNS.map((c) => csvCell(row[c])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Writes the report as JSON or CSV, chosen by the file's extension (.csv, otherwise JSON). */
export async function writeBatchReport(result: BatchResult, file: string, lang: Lang): Promise<void> {
  const csv = path.extname(file).toLowerCase() === '.csv';
  // A report is for people to open and pass on: the usual permissions, not the data folder's.
  await writeFileAtomic(file, csv ? batchReportCsv(result, lang) : batchReportJson(result, lang), {
    mode: 0o666,
  });
}
