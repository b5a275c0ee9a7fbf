// What `kyso inbox` prints: one line per request (list), per outcome (sign), per delivery (sync),
// and the progress lines on standard error, in Vietnamese (the default) or English.
import { messageFor, type Lang } from '../shared/messages.js';
import type { InboxItem, InboxSignEvent, InboxSignOutcome } from '../signing/inbox-api.js';

const t = (lang: Lang, vi: string, en: string): string => (lang === 'vi' ? vi : en);

const STATE: Readonly<Record<InboxItem['state'], readonly [string, string]>> = {
  pending: ['chờ ký', 'pending'],
  done: ['đã xong', 'done'],
  declined: ['đã từ chối', 'declined'],
  withdrawn: ['đã thu hồi', 'withdrawn'],
};

/** One control-free line of text from the server. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- text from the server, for a terminal
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

export function itemLine(item: InboxItem, lang: Lang): string {
  const [vi, en] = STATE[item.state];
  const step =
    item.step === null
      ? ''
      : item.step.kind === 'issue'
        ? t(lang, 'ban hành (lấy số)', 'issue (number)')
        : t(lang, 'phê duyệt', 'approve');
  const parts = [item.id, t(lang, vi, en)];
  if (step) parts.push(`[${step}]`);
  parts.push(item.dossierCode, clean(item.title ?? item.fileName));
  if (item.issue)
    parts.push(
      t(
        lang,
        `số ${item.issue.number} ngày ${item.issue.issuedDate}`,
        `no. ${item.issue.number} of ${item.issue.issuedDate}`,
      ),
    );
  if (item.state === 'declined' && item.declineReason) {
    parts.push(t(lang, `— lý do: ${clean(item.declineReason)}`, `— reason: ${clean(item.declineReason)}`));
  }
  if (item.dueAt) parts.push(t(lang, `(hạn ${item.dueAt})`, `(due ${item.dueAt})`));
  return parts.join('  ');
}

export function listHeader(count: number, offline: boolean, fetchedAt: string, lang: Lang): string {
  const head = t(lang, `${count} văn bản`, `${count} request(s)`);
  return offline
    ? `${head} ${t(lang, `(không kết nối được máy chủ: danh sách tải lúc ${fetchedAt})`, `(server unreachable: the list from ${fetchedAt})`)}`
    : head;
}

export function outcomeLine(o: InboxSignOutcome, lang: Lang): string {
  const number =
    o.documentNumber !== null
      ? t(
          lang,
          ` số ${o.documentNumber} ngày ${o.issuedDate ?? ''}`,
          ` no. ${o.documentNumber} of ${o.issuedDate ?? ''}`,
        )
      : '';
  if (o.status === 'delivered') {
    return `${o.id}: ${t(lang, 'đã ký và gửi', 'signed and delivered')}${number}${o.earlier ? t(lang, ' (từ lần trước)', ' (earlier)') : ''}`;
  }
  const why =
    o.code !== undefined
      ? ` — ${messageFor(o.code, { ...(o.details ?? {}), id: o.id }, lang)} [${o.code}]`
      : '';
  if (o.status === 'queued') {
    return `${o.id}: ${t(lang, 'đã ký, bản ký được giữ lại chờ gửi', 'signed, kept to be delivered later')}${number}${why}`;
  }
  return `${o.id}: ${t(lang, 'không ký/gửi được', 'not signed or delivered')}${why}`;
}

/** A progress line for standard error, or undefined for events not worth a line. */
export function progressLine(event: InboxSignEvent, lang: Lang): string | undefined {
  if (event.kind === 'item') {
    const stage = {
      checking: t(lang, 'kiểm tra', 'checking'),
      downloading: t(lang, 'tải văn bản', 'downloading'),
      reserving: t(lang, 'lấy số và ngày ban hành', 'reserving the number'),
      signing: t(lang, 'đang ký', 'signing'),
      signed: t(lang, 'đã ký, đang gửi', 'signed, delivering'),
    }[event.stage];
    return `[${event.index + 1}/${event.total}] ${event.id}: ${stage}`;
  }
  if (event.kind === 'reserved') {
    return `${event.id}: ${t(lang, `số ${event.reservation.number} ngày ${event.reservation.issuedDate}`, `no. ${event.reservation.number} of ${event.reservation.issuedDate}`)}`;
  }
  if (event.kind === 'batch' && event.event.kind === 'waiting-for-token') {
    return t(lang, `Hãy cắm lại token "${event.event.token}"…`, `Put token "${event.event.token}" back…`);
  }
  return undefined;
}
