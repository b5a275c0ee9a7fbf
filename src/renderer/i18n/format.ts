// Dates as people here read them: Vietnam time, day first.
import type { Language } from './translate.js';

const ZONE = 'Asia/Ho_Chi_Minh';

export function formatDate(iso: string, language: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(d);
}

export function formatDateTime(iso: string, language: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d);
  // Day first, then the time, as the signature appearance writes it.
  return `${formatDate(iso, language)} ${time} (+07:00)`;
}

/** The CN of a distinguished name, else the whole name. */
export function commonName(dn: string | null): string {
  if (!dn) return '';
  const m = /(?:^|,)\s*CN=((?:\\.|[^,])*)/.exec(dn);
  return m?.[1]?.replace(/\\(.)/g, '$1') ?? dn;
}
