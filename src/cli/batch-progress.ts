// What `kyso batch` shows while it runs: on a terminal, one progress bar redrawn in place (done/total,
// rate, time left, current file) with failures printed above it; otherwise (a log, a pipe) plain
// lines, one per document. Texts in Vietnamese by default.
import { messageFor, type Lang } from '../shared/messages.js';
import type { BatchEvent, BatchProgress, BatchResult } from '../signing/batch-api.js';

const REDRAW_MS = 100;

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

const formats = new Map<string, Intl.NumberFormat>();

export function formatNumber(n: number, lang: Lang, digits = 1): string {
  // Made once: a formatter costs more to build than hundreds of lines cost to print.
  const key = `${lang}/${digits}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', {
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    });
    formats.set(key, format);
  }
  return format.format(n);
}

function rateText(p: BatchProgress, lang: Lang): string {
  if (p.ratePerSecond <= 0) return '';
  const rate = formatNumber(p.ratePerSecond, lang);
  const left = p.remainingMs !== undefined ? formatDuration(p.remainingMs) : undefined;
  return lang === 'vi'
    ? ` · ${rate} văn bản/giây${left ? ` · còn ${left}` : ''}`
    : ` · ${rate} docs/s${left ? ` · ${left} left` : ''}`;
}

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export class BatchProgressView {
  readonly #out: ProgressStream;
  readonly #lang: Lang;
  readonly #tty: boolean;
  #last: BatchProgress | undefined;
  #barShown = false;
  #lastDraw = 0;
  #timer: NodeJS.Timeout | undefined;
  /** While waiting for the token the bar stays hidden: the PIN may be asked on this terminal. */
  #paused = false;

  constructor(out: ProgressStream, lang: Lang, tty = out.isTTY === true) {
    this.#out = out;
    this.#lang = lang;
    this.#tty = tty;
  }

  handle(event: BatchEvent): void {
    const vi = this.#lang === 'vi';
    switch (event.kind) {
      case 'planned':
        if (event.resumed) {
          this.#line(
            vi
              ? `Tiếp tục đợt ký: ${event.earlier}/${event.total} văn bản đã xong, còn ${event.toDo}.`
              : `Resuming the batch: ${event.earlier}/${event.total} documents done, ${event.toDo} left.`,
          );
        } else {
          this.#line(vi ? `Đợt ký gồm ${event.total} văn bản.` : `The batch has ${event.total} documents.`);
        }
        return;
      case 'started':
        this.#progress(event.progress);
        return;
      case 'progress':
        this.#progress(event.progress);
        return;
      case 'document': {
        const d = event.document;
        const p = event.progress;
        const count = `[${p.done}/${p.total}]`;
        if (d.status === 'failed' && d.code !== undefined) {
          const message = messageFor(d.code, d.details ?? {}, this.#lang);
          this.#line(`${count} ${vi ? 'LỖI' : 'FAILED'} ${d.name}: ${message} [${d.code}]`);
        } else if (!this.#tty) {
          this.#line(`${count} ${vi ? 'đã ký' : 'signed'} ${d.name}${rateText(p, this.#lang)}`);
        }
        this.#progress(p);
        return;
      }
      case 'warning':
        this.#line(`${event.name}: ${vi ? event.warning.vi : event.warning.en}`);
        return;
      case 'timestamp':
        if (event.event.kind === 'tsa-retry') {
          const s = Math.round(event.event.delayMs / 1000);
          this.#line(
            vi
              ? `${event.name}: máy chủ cấp dấu thời gian lỗi (${event.event.reason}); thử lại sau ${s} giây.`
              : `${event.name}: the timestamp server failed (${event.event.reason}); retrying in ${s} s.`,
          );
        }
        return;
      case 'waiting-for-token':
        this.#paused = true;
        this.#line(
          vi
            ? `Token "${event.token}" đã bị rút ra: đang chờ token… Hãy cắm lại token để ký tiếp (Ctrl-C để dừng).`
            : `Token "${event.token}" was removed: waiting for the token… Insert it again to continue (Ctrl-C to stop).`,
        );
        return;
      case 'token-back':
        this.#paused = false;
        this.#line(
          vi
            ? `Token "${event.token}" đã được cắm lại; ký tiếp.`
            : `Token "${event.token}" is back; continuing.`,
        );
        return;
      case 'stopping':
        this.#line(
          vi
            ? 'Đang dừng sau các văn bản đang ký… (nhấn Ctrl-C lần nữa để dừng ngay)'
            : 'Stopping after the documents being signed… (press Ctrl-C again to stop at once)',
        );
        return;
    }
  }

  /** Removes the bar before the summary. */
  finish(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#clearBar();
  }

  #line(text: string): void {
    this.#clearBar();
    this.#out.write(`${text}\n`);
    if (this.#tty && this.#last) this.#draw();
  }

  #progress(p: BatchProgress): void {
    this.#last = p;
    if (!this.#tty) return;
    const now = Date.now();
    if (now - this.#lastDraw >= REDRAW_MS || p.done === p.total) {
      this.#draw();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#draw();
      }, REDRAW_MS);
      this.#timer.unref();
    }
  }

  #clearBar(): void {
    if (this.#tty && this.#barShown) {
      this.#out.write('\r\x1b[2K');
      this.#barShown = false;
    }
  }

  #draw(): void {
    const p = this.#last;
    if (!p || !this.#tty || this.#paused) return;
    this.#lastDraw = Date.now();
    const width = 24;
    const ratio = p.total === 0 ? 1 : p.done / p.total;
    const filled = Math.round(ratio * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const percent = `${Math.floor(ratio * 100)}%`;
    let text = `[${bar}] ${p.done}/${p.total} ${percent}${rateText(p, this.#lang)}`;
    if (p.current) text += ` · ${p.current}`;
    // A terminal that does not say its width (0, as under `script`) gets 100 columns.
    const columns = this.#out.columns !== undefined && this.#out.columns > 20 ? this.#out.columns : 100;
    if ([...text].length > columns - 1) text = `${[...text].slice(0, columns - 2).join('')}…`;
    this.#out.write(`\r\x1b[2K${text}`);
    this.#barShown = true;
  }
}

/** The line printed at the end. */
export function summaryLine(result: BatchResult, lang: Lang, reportFile: string | undefined): string {
  const seconds = formatNumber(result.elapsedMs / 1000, lang);
  const rate =
    result.signedNow >= 5 && result.elapsedMs > 0
      ? formatNumber((result.signedNow * 1000) / result.elapsedMs, lang)
      : undefined;
  const report = reportFile ?? result.reports?.json;
  if (lang === 'vi') {
    return [
      `Đã ký ${result.signed}/${result.total} văn bản`,
      result.failed > 0 ? `${result.failed} lỗi` : undefined,
      result.pending > 0 ? `${result.pending} chưa ký (chạy lại với --resume để ký tiếp)` : undefined,
      `thời gian ${seconds} giây${rate ? ` (${rate} văn bản/giây)` : ''}`,
      report ? `báo cáo: ${report}` : undefined,
    ]
      .filter(Boolean)
      .join('; ')
      .concat('.');
  }
  return [
    `Signed ${result.signed}/${result.total} documents`,
    result.failed > 0 ? `${result.failed} failed` : undefined,
    result.pending > 0 ? `${result.pending} not signed (run again with --resume to continue)` : undefined,
    `${seconds} s${rate ? ` (${rate} docs/s)` : ''}`,
    report ? `report: ${report}` : undefined,
  ]
    .filter(Boolean)
    .join('; ')
    .concat('.');
}
