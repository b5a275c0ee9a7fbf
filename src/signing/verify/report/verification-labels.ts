// The words `kyso verify` prints around the engine's report (statuses, check names, field labels),
// in Vietnamese and English; the text and HTML reports share them.
import type { CheckId, CheckResult, DocumentStatus, PadesLevel } from '../verification-report.js';
import type { Lang } from '../../../shared/messages.js';

export interface VerifyLabels {
  readonly title: string;
  readonly file: string;
  readonly documentStatus: string;
  readonly revisions: string;
  readonly validationTime: string;
  readonly signature: string;
  readonly documentTimestamp: string;
  readonly field: string;
  readonly signer: string;
  readonly organization: string;
  readonly dn: string;
  readonly issuer: string;
  readonly serial: string;
  readonly signingTime: string;
  readonly timestamped: string;
  readonly claimed: string;
  readonly timestamp: string;
  readonly format: string;
  readonly level: string;
  readonly algorithms: string;
  readonly coverage: string;
  readonly wholeDocument: string;
  readonly revisionOf: (r: number, n: number) => string;
  readonly reason: string;
  readonly checks: string;
  readonly changesAfter: string;
  readonly allowed: string;
  readonly notAllowed: string;
  readonly warnings: string;
  readonly noSignatures: string;
  readonly certification: (p: 1 | 2 | 3) => string;
  readonly status: Readonly<Record<DocumentStatus, string>>;
  readonly result: Readonly<Record<CheckResult, string>>;
  readonly check: Readonly<Record<CheckId, string>>;
  readonly levelName: (level: PadesLevel) => string;
  readonly generatedBy: string;
}

const vi: VerifyLabels = {
  title: 'Kết quả kiểm tra chữ ký số',
  file: 'Tệp',
  documentStatus: 'Kết luận',
  revisions: 'Số phiên bản',
  validationTime: 'Thời điểm kiểm tra',
  signature: 'Chữ ký',
  documentTimestamp: 'Dấu thời gian tài liệu',
  field: 'ô',
  signer: 'Người ký',
  organization: 'Cơ quan, tổ chức',
  dn: 'Tên phân biệt (DN)',
  issuer: 'Tổ chức cấp chứng thư',
  serial: 'Số hiệu chứng thư',
  signingTime: 'Thời điểm ký',
  timestamped: 'theo dấu thời gian',
  claimed: 'do người ký khai, chưa được chứng thực',
  timestamp: 'Dấu thời gian',
  format: 'Định dạng',
  level: 'Mức PAdES',
  algorithms: 'Thuật toán',
  coverage: 'Phạm vi ký',
  wholeDocument: 'toàn bộ văn bản',
  revisionOf: (r, n) => `phiên bản ${r}/${n} (văn bản đã được cập nhật sau khi ký)`,
  reason: 'Lý do',
  checks: 'Các bước kiểm tra',
  changesAfter: 'Thay đổi sau khi ký',
  allowed: 'được phép',
  notAllowed: 'KHÔNG được phép',
  warnings: 'Cảnh báo',
  noSignatures: 'Văn bản không có chữ ký số nào.',
  certification: (p) =>
    `chữ ký chứng nhận (${p === 1 ? 'không cho phép thay đổi' : p === 2 ? 'cho phép điền biểu mẫu, ký' : 'cho phép điền biểu mẫu, ký, chú thích'})`,
  status: {
    valid: 'HỢP LỆ',
    invalid: 'KHÔNG HỢP LỆ',
    indeterminate: 'CHƯA XÁC ĐỊNH ĐƯỢC',
    unsigned: 'KHÔNG CÓ CHỮ KÝ',
  },
  result: { passed: 'đạt', failed: 'KHÔNG ĐẠT', warning: 'cảnh báo', 'not-checked': 'không kiểm tra' },
  check: {
    'byte-range': 'Phạm vi ký (ByteRange)',
    integrity: 'Tính toàn vẹn',
    signature: 'Chữ ký số',
    'signing-certificate': 'Chứng thư người ký',
    'certificate-chain': 'Chuỗi chứng thực',
    'certificate-validity': 'Hiệu lực chứng thư khi ký',
    'key-usage': 'Mục đích sử dụng khóa',
    revocation: 'Tình trạng thu hồi',
    timestamp: 'Dấu thời gian',
    algorithms: 'Thuật toán',
    modifications: 'Thay đổi sau khi ký',
  },
  levelName: (l) => (l === 'none' ? 'không theo PAdES' : `PAdES ${l}`),
  generatedBy: 'Báo cáo do Kyso lập',
};

const en: VerifyLabels = {
  title: 'Digital signature verification report',
  file: 'File',
  documentStatus: 'Verdict',
  revisions: 'Revisions',
  validationTime: 'Validation time',
  signature: 'Signature',
  documentTimestamp: 'Document timestamp',
  field: 'field',
  signer: 'Signer',
  organization: 'Organization',
  dn: 'Distinguished name',
  issuer: 'Issuer',
  serial: 'Certificate serial',
  signingTime: 'Signing time',
  timestamped: 'from a timestamp',
  claimed: 'claimed by the signer, not proven',
  timestamp: 'Timestamp',
  format: 'Format',
  level: 'PAdES level',
  algorithms: 'Algorithms',
  coverage: 'Coverage',
  wholeDocument: 'the whole document',
  revisionOf: (r, n) => `revision ${r} of ${n} (the document was updated after signing)`,
  reason: 'Reason',
  checks: 'Checks',
  changesAfter: 'Changes after signing',
  allowed: 'allowed',
  notAllowed: 'NOT allowed',
  warnings: 'Warnings',
  noSignatures: 'The document carries no digital signature.',
  certification: (p) =>
    `certification signature (${p === 1 ? 'no changes allowed' : p === 2 ? 'form filling and signing allowed' : 'form filling, signing and annotations allowed'})`,
  status: { valid: 'VALID', invalid: 'INVALID', indeterminate: 'INDETERMINATE', unsigned: 'NOT SIGNED' },
  result: { passed: 'passed', failed: 'FAILED', warning: 'warning', 'not-checked': 'not checked' },
  check: {
    'byte-range': 'Signed range (ByteRange)',
    integrity: 'Integrity',
    signature: 'Cryptographic signature',
    'signing-certificate': 'Signer certificate',
    'certificate-chain': 'Certification path',
    'certificate-validity': 'Certificate valid at signing',
    'key-usage': 'Key usage',
    revocation: 'Revocation',
    timestamp: 'Timestamp',
    algorithms: 'Algorithms',
    modifications: 'Changes after signing',
  },
  levelName: (l) => (l === 'none' ? 'not PAdES' : `PAdES ${l}`),
  generatedBy: 'Report made by Kyso',
};

export function verifyLabels(lang: Lang): VerifyLabels {
  return lang === 'en' ? en : vi;
}
