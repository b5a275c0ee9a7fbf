// The readable listing of tokens and certificates, in Vietnamese or English.
import type { InventoryModule } from './token-inventory.js';
import { messageFor, type Lang } from '../../shared/messages.js';
import { isErrorCode } from '../../shared/errors.js';

const PIN_STATE: Readonly<Record<string, { vi: string; en: string }>> = {
  ok: { vi: 'bình thường', en: 'ok' },
  'count-low': { vi: 'đã nhập sai, còn ít lần thử', en: 'wrong PIN entered, few tries left' },
  'final-try': { vi: 'CHỈ CÒN MỘT LẦN THỬ', en: 'FINAL TRY' },
  locked: { vi: 'ĐÃ KHÓA — liên hệ CA', en: 'LOCKED — contact the CA' },
  'not-initialized': { vi: 'chưa khởi tạo PIN', en: 'PIN not initialised' },
  'to-be-changed': { vi: 'cần đổi PIN', en: 'PIN must be changed' },
};

const date = (iso: string): string => iso.slice(0, 10);

export function formatInventory(modules: readonly InventoryModule[], lang: Lang): string {
  const t = (vi: string, en: string): string => (lang === 'vi' ? vi : en);
  const lines: string[] = [];
  if (modules.length === 0) lines.push(messageFor('PKCS11_NO_MODULE', {}, lang));
  for (const m of modules) {
    lines.push(`${t('Thư viện', 'Library')}: ${m.path}${m.vendor ? ` (${m.vendor})` : ''}`);
    if (!m.loaded) {
      const code = m.error?.code;
      const text =
        code && isErrorCode(code)
          ? messageFor(
              code,
              {
                path: m.path,
                reason: m.error?.reason ?? undefined,
                detail: m.error?.message,
                arch: m.error?.arch ?? undefined,
                processArch: m.error?.processArch ?? undefined,
              },
              lang,
            )
          : (m.error?.message ?? '');
      lines.push(`  ${t('Không nạp được', 'Not loaded')}: ${text} [${code ?? ''}]`);
      continue;
    }
    lines.push(`  ${m.manufacturer ?? ''} — ${m.description ?? ''} (PKCS#11 ${m.cryptokiVersion ?? ''})`);
    const present = m.slots.filter((s) => s.token);
    if (present.length === 0) lines.push(`  ${t('Không có token nào được cắm.', 'No token present.')}`);
    for (const s of present) {
      const tok = s.token;
      if (!tok) continue;
      lines.push(
        `  Slot ${s.slotId}: "${tok.label}" — ${tok.manufacturer} ${tok.model}, ${t('số sê-ri', 'serial')} ${tok.serial}`,
      );
      const state = PIN_STATE[tok.pinState] ?? { vi: tok.pinState, en: tok.pinState };
      lines.push(
        `    PIN: ${state[lang]}${tok.flags.protectedAuthenticationPath ? t(' (nhập trên bàn phím token)', ' (PIN pad)') : ''}`,
      );
      for (const c of tok.certificates) {
        const kind = c.isAuthority ? t('CA', 'CA') : t('Chứng thư', 'Certificate');
        lines.push(`    ${kind} [${c.id || '-'}] ${c.subjectCN ?? c.subjectDN}`);
        lines.push(`      ${t('Cấp bởi', 'Issuer')}: ${c.issuerDN}`);
        lines.push(
          `      ${t('Hiệu lực', 'Valid')}: ${date(c.notBefore)} → ${date(c.notAfter)}; ${c.keyType.toUpperCase()} ${c.keySize}${c.curve ? ` ${c.curve}` : ''}; ${t('khóa bí mật', 'private key')}: ${c.hasPrivateKey === null ? t('chưa rõ (cần đăng nhập)', 'unknown (login needed)') : c.hasPrivateKey ? t('có', 'yes') : t('không', 'no')}`,
        );
      }
      for (const id of tok.keysWithoutCertificate)
        lines.push(`    ${t('Khóa không có chứng thư', 'Key without certificate')} [${id}]`);
      if (tok.error) lines.push(`    ${t('Lỗi', 'Error')}: ${tok.error.message} [${tok.error.code}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}
