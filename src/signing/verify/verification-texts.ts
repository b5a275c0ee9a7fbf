// What the verification report says to a person, in Vietnamese (the default, as Circular 15/2025
// requires) and English. The report's codes (check ids, change kinds, sub-indications) are stable;
// these sentences are for reading. Dates are shown in Vietnam time (UTC+7), as signatures show them.
import type { ByteRangeProblem } from './byte-range-check.js';
import type { TimestampFailure } from './timestamp-check.js';
import type { ChangeKind } from './verification-report.js';
import { crossReferenceTrickEn, crossReferenceTrickVi } from './cross-reference-texts.js';

export type ReportLang = 'vi' | 'en';

const pad = (n: number): string => String(n).padStart(2, '0');

/** dd/MM/yyyy HH:mm:ss +07:00: how Vietnamese documents print a signing time. */
export function formatVietnamTime(date: Date): string {
  const t = new Date(date.getTime() + 7 * 3600_000);
  return `${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +07:00`;
}

/** Where the time the certificates are judged at comes from. */
export type TimeSource = 'timestamp' | 'document-timestamp' | 'claimed' | 'validation';

/** The OCSP response or CRL that decided, for the revocation check's sentence. */
export interface RevocationEvidenceText {
  readonly kind: 'ocsp' | 'crl' | 'no-check';
  readonly from: 'dss' | 'cms' | 'online';
  readonly issuedAt: Date;
}

const viEvidence = (e: RevocationEvidenceText): string => {
  if (e.kind === 'no-check') return 'chứng thư OCSP được miễn kiểm tra (ocsp-nocheck)';
  const what = e.kind === 'ocsp' ? 'phản hồi OCSP' : 'CRL';
  const where =
    e.from === 'dss'
      ? 'trong kho DSS của văn bản'
      : e.from === 'cms'
        ? 'kèm trong chữ ký'
        : 'tra cứu trực tuyến';
  return `${what} phát hành lúc ${formatVietnamTime(e.issuedAt)}, ${where}`;
};

const enEvidence = (e: RevocationEvidenceText): string => {
  if (e.kind === 'no-check') return 'the OCSP responder certificate is exempt (ocsp-nocheck)';
  const what = e.kind === 'ocsp' ? 'OCSP response' : 'CRL';
  const where =
    e.from === 'dss'
      ? "from the document's DSS"
      : e.from === 'cms'
        ? 'embedded in the signature'
        : 'fetched online';
  return `${what} issued ${formatVietnamTime(e.issuedAt)}, ${where}`;
};

const viSource = (s: TimeSource): string =>
  s === 'timestamp'
    ? 'theo dấu thời gian'
    : s === 'document-timestamp'
      ? 'chứng minh bằng dấu thời gian văn bản'
      : s === 'claimed'
        ? 'thời điểm do người ký khai'
        : 'thời điểm kiểm tra';

const enSource = (s: TimeSource): string =>
  s === 'timestamp'
    ? 'from the timestamp'
    : s === 'document-timestamp'
      ? 'proven by a document timestamp'
      : s === 'claimed'
        ? 'as claimed by the signer'
        : 'the validation time';

export interface VerificationTexts {
  readonly lang: ReportLang;
  // byte range
  byteRangeOk(revision: number, revisions: number, whole: boolean): string;
  byteRangeProblem(problem: ByteRangeProblem): string;
  // integrity
  integrityOk(): string;
  integrityMismatch(): string;
  integrityNoMessageDigest(): string;
  integrityContentType(): string;
  integrityUnsupportedDigest(oid: string): string;
  integrityNotChecked(): string;
  imprintMismatch(): string;
  // CMS
  signatureOk(algorithm: string): string;
  signatureFailed(algorithm: string): string;
  signatureUnsupported(oid: string): string;
  signatureNoCertificate(): string;
  cmsMalformed(): string;
  cmsNotDetached(): string;
  unsupportedSubFilter(subFilter: string): string;
  // signer certificate
  signingCertificateOk(): string;
  signingCertificateMissing(): string;
  signingCertificateNotUsed(): string;
  signingCertificateMismatch(): string;
  signerNotFound(): string;
  // chain
  chainOk(names: readonly string[], source?: 'builtin' | 'managed' | 'file'): string;
  chainNotFound(issuer: string): string;
  chainNoAnchors(): string;
  chainConstraints(name: string): string;
  chainNotChecked(): string;
  // validity
  validityOk(time: Date, source: TimeSource): string;
  validityExpired(name: string, notAfter: Date, time: Date, source: TimeSource): string;
  validityNotYet(name: string, notBefore: Date, time: Date, source: TimeSource): string;
  signedAfterValidationTime(time: Date, at: Date): string;
  // key usage
  keyUsageOk(): string;
  keyUsageMissing(): string;
  keyUsageTsaOk(): string;
  keyUsageTsaMissing(): string;
  // revocation
  revocationGood(source: 'embedded' | 'online', evidence?: RevocationEvidenceText): string;
  revocationRevoked(name: string, revokedAt: Date): string;
  revocationRevokedLater(name: string, revokedAt: Date, proof?: 'timestamp' | 'document-timestamp'): string;
  /** A timestamp whose authority certificate expired (or was revoked) with no later proof of existence. */
  timestampTsaOutOfBounds(name: string, until: Date): string;
  revocationRevokedNoPoe(name: string, revokedAt: Date): string;
  revocationUnknown(name: string, online: boolean): string;
  revocationNotChecked(): string;
  // timestamp
  timestampNone(): string;
  timestampValid(time: Date, tsa: string): string;
  timestampUntrusted(time: Date, tsa: string): string;
  timestampInvalid(failure: TimestampFailure): string;
  timestampLaterDocument(time: Date): string;
  // algorithms
  algorithmsOk(list: string): string;
  algorithmsWeakHash(hash: string): string;
  algorithmsWeakKey(kind: string, bits: number): string;
  algorithmsScheme(name: string): string;
  // modifications
  modificationsNone(): string;
  modificationsAllowed(count: number): string;
  modificationsDisallowed(first: string): string;
  modificationsNotChecked(): string;
  change(kind: ChangeKind, subject: string, revision: number): string;
  // status
  statusValid(warnings: number): string;
  // document warnings
  repairedStructure(): string;
  noTrustAnchors(): string;
  skippedTrustFiles(files: readonly string[]): string;
  revisionUnreadable(revision: number): string;
  trailingData(bytes: number): string;
  encryptedRefused(): string;
}

/** The document's words in a change's subject ("page 2 /Contents"), put into Vietnamese. */
function viSubject(subject: string): string {
  return subject
    .replace(/\bpage tree\b/g, 'cây trang')
    .replace(/\bpage (\d+)/g, 'trang $1')
    .replace(/\bannotation\b/g, 'chú thích')
    .replace(/\bfield\b/g, 'ô')
    .replace('document information', 'thông tin tài liệu');
}

const vi: VerificationTexts = {
  lang: 'vi',
  byteRangeOk: (r, n, whole) =>
    whole
      ? `Chữ ký bao trùm toàn bộ văn bản (phiên bản ${r}/${n}).`
      : `Chữ ký bao trùm phiên bản ${r}/${n} của văn bản.`,
  byteRangeProblem: (p) =>
    ({
      missing: 'Chữ ký không có /ByteRange: không xác định được phần văn bản được ký.',
      malformed: '/ByteRange không hợp lệ (phải gồm đúng hai đoạn).',
      'not-from-start': '/ByteRange không bắt đầu từ đầu tệp.',
      'outside-file': '/ByteRange vượt ra ngoài tệp.',
      'gap-not-contents':
        'Khoảng trống giữa hai đoạn được ký không đúng là giá trị chữ ký (/Contents): tệp đã bị sửa (tấn công bọc chữ ký/giả mạo chữ ký).',
      'not-revision-end': 'Phần được ký không kết thúc ở cuối một phiên bản của văn bản.',
    })[p],
  integrityOk: () => 'Nội dung được ký không bị thay đổi (giá trị băm khớp).',
  integrityMismatch: () => 'Nội dung được ký đã bị thay đổi sau khi ký (giá trị băm không khớp).',
  integrityNoMessageDigest: () => 'Chữ ký thiếu thuộc tính messageDigest.',
  integrityContentType: () => 'Thuộc tính content-type của chữ ký không khớp với nội dung.',
  integrityUnsupportedDigest: (oid) => `Thuật toán băm ${oid} không được hỗ trợ.`,
  integrityNotChecked: () => 'Chưa kiểm tra được tính toàn vẹn.',
  imprintMismatch: () => 'Dấu thời gian không khớp với nội dung văn bản.',
  signatureOk: (a) => `Chữ ký số đúng (${a}).`,
  signatureFailed: (a) => `Chữ ký số sai: không khớp với khóa công khai của chứng thư (${a}).`,
  signatureUnsupported: (oid) => `Thuật toán ký ${oid} không được hỗ trợ.`,
  signatureNoCertificate: () => 'Không kiểm tra được chữ ký vì không có chứng thư của người ký.',
  cmsMalformed: () => 'Giá trị chữ ký (/Contents) không phải cấu trúc CMS hợp lệ.',
  cmsNotDetached: () => 'Chữ ký không ở dạng tách rời (detached) như SubFilter khai báo.',
  unsupportedSubFilter: (sf) => `Định dạng chữ ký ${sf} không được hỗ trợ.`,
  signingCertificateOk: () => 'Chứng thư người ký khớp với thuộc tính signing-certificate đã ký.',
  signingCertificateMissing: () => 'Chữ ký PAdES thiếu thuộc tính signing-certificate-v2.',
  signingCertificateNotUsed: () => 'Định dạng này không dùng thuộc tính signing-certificate.',
  signingCertificateMismatch: () =>
    'Chứng thư kèm theo không phải chứng thư mà người ký đã cam kết (signing-certificate không khớp).',
  signerNotFound: () => 'Không tìm thấy chứng thư của người ký.',
  chainOk: (names, source) =>
    `Chuỗi chứng thực tới gốc tin cậy: ${names.join(' → ')}${
      source === 'builtin'
        ? ' (gốc trong danh sách tin cậy có sẵn của Kyso)'
        : source === 'managed'
          ? ' (gốc trong kho tin cậy do quản trị thêm)'
          : source === 'file'
            ? ' (gốc từ tệp --trust)'
            : ''
    }.`,
  chainNotFound: (issuer) =>
    `Không xây dựng được chuỗi tới một chứng thư gốc tin cậy (tổ chức cấp: ${issuer}).`,
  chainNoAnchors: () => 'Chưa cấu hình chứng thư gốc tin cậy nào (--trust, --trust-dir hoặc kho tin cậy).',
  chainConstraints: (name) => `Chứng thư ${name} trong chuỗi không được phép cấp chứng thư (ràng buộc CA).`,
  chainNotChecked: () => 'Chưa kiểm tra chuỗi chứng thực.',
  validityOk: (t, s) => `Chứng thư còn hiệu lực tại thời điểm ký ${formatVietnamTime(t)} (${viSource(s)}).`,
  validityExpired: (n, na, t, s) =>
    `Chứng thư ${n} đã hết hạn ngày ${formatVietnamTime(na)}, trước thời điểm ký ${formatVietnamTime(t)}${s === 'claimed' ? ' (do người ký khai)' : ''}.`,
  validityNotYet: (n, nb, t, s) =>
    `Chứng thư ${n} chỉ có hiệu lực từ ${formatVietnamTime(nb)}, sau thời điểm ký ${formatVietnamTime(t)}${s === 'claimed' ? ' (do người ký khai)' : ''}.`,
  signedAfterValidationTime: (t, at) =>
    `Thời điểm ký ${formatVietnamTime(t)} muộn hơn thời điểm kiểm tra ${formatVietnamTime(at)}.`,
  keyUsageOk: () => 'Chứng thư được phép dùng để ký (key usage).',
  keyUsageMissing: () => 'Chứng thư không được phép dùng để ký (thiếu digitalSignature/nonRepudiation).',
  keyUsageTsaOk: () => 'Chứng thư được phép cấp dấu thời gian (timeStamping).',
  keyUsageTsaMissing: () => 'Chứng thư không được phép cấp dấu thời gian.',
  revocationGood: (s, e) =>
    e !== undefined
      ? `Chứng thư chưa bị thu hồi (theo ${viEvidence(e)}).`
      : s === 'embedded'
        ? 'Chứng thư chưa bị thu hồi (theo dữ liệu OCSP/CRL kèm trong văn bản).'
        : 'Chứng thư chưa bị thu hồi (theo OCSP/CRL tra cứu trực tuyến).',
  revocationRevoked: (n, d) =>
    `Chứng thư ${n} đã bị thu hồi ngày ${formatVietnamTime(d)}, trước thời điểm ký.`,
  revocationRevokedLater: (n, d, p) =>
    `Chứng thư ${n} bị thu hồi ngày ${formatVietnamTime(d)}, sau thời điểm ký (đã được chứng minh bằng ${p === 'document-timestamp' ? 'dấu thời gian văn bản' : 'dấu thời gian'}).`,
  timestampTsaOutOfBounds: (n, d) =>
    `Chứng thư ${n} của đơn vị cấp dấu thời gian hết hiệu lực từ ${formatVietnamTime(d)}; không có dấu thời gian lưu trữ nào muộn hơn chứng minh dấu thời gian này tồn tại trước đó.`,
  revocationRevokedNoPoe: (n, d) =>
    `Chứng thư ${n} bị thu hồi ngày ${formatVietnamTime(d)}; không có dấu thời gian chứng minh chữ ký được tạo trước đó.`,
  revocationUnknown: (n, online) =>
    online
      ? `CẢNH BÁO: không kiểm tra được tình trạng thu hồi của chứng thư ${n} (không có dữ liệu OCSP/CRL dùng được).`
      : `CẢNH BÁO: không kiểm tra được tình trạng thu hồi của chứng thư ${n} (văn bản không kèm dữ liệu OCSP/CRL; dùng --online để tra cứu).`,
  revocationNotChecked: () => 'Chưa kiểm tra tình trạng thu hồi (không có chuỗi chứng thực).',
  timestampNone: () => 'Chữ ký không có dấu thời gian; thời điểm ký là do người ký khai.',
  timestampValid: (t, tsa) => `Dấu thời gian hợp lệ: ${formatVietnamTime(t)} (${tsa}).`,
  timestampUntrusted: (t, tsa) =>
    `Dấu thời gian ${formatVietnamTime(t)} đúng nhưng đơn vị cấp (${tsa}) không thuộc gốc tin cậy.`,
  timestampInvalid: (f) =>
    ({
      malformed: 'Dấu thời gian bị hỏng.',
      'imprint-mismatch': 'Dấu thời gian không khớp với chữ ký.',
      'unsupported-hash': 'Dấu thời gian dùng thuật toán băm không được hỗ trợ.',
      'no-tsa-certificate': 'Dấu thời gian không kèm chứng thư của đơn vị cấp.',
      'bad-signature': 'Chữ ký của dấu thời gian sai.',
      'ess-mismatch': 'Dấu thời gian kèm chứng thư khác với chứng thư đơn vị cấp đã cam kết.',
      'not-a-tsa': 'Chứng thư ký dấu thời gian không được phép cấp dấu thời gian.',
      'tsa-revoked': 'Chứng thư của đơn vị cấp dấu thời gian đã bị thu hồi.',
    })[f],
  timestampLaterDocument: (t) =>
    `Văn bản có dấu thời gian tài liệu ${formatVietnamTime(t)} chứng minh chữ ký tồn tại trước thời điểm đó.`,
  algorithmsOk: (l) => `Thuật toán: ${l}.`,
  algorithmsWeakHash: (h) =>
    `Thuật toán băm ${h} không còn an toàn (Thông tư 15/2025 yêu cầu SHA-256 trở lên).`,
  algorithmsWeakKey: (k, b) => `Khóa ${k} ${b} bit quá ngắn (tối thiểu RSA 2048 bit, ECDSA 256 bit).`,
  algorithmsScheme: (n) =>
    `Thuật toán ký ${n} không thuộc các thuật toán Thông tư 15/2025 cho phép (RSA, RSA-PSS, ECDSA).`,
  modificationsNone: () => 'Không có thay đổi nào sau khi ký.',
  modificationsAllowed: (n) =>
    `Có ${n} thay đổi sau khi ký, đều được phép (chữ ký, dữ liệu kiểm tra, điền biểu mẫu…).`,
  modificationsDisallowed: (first) => `Văn bản bị thay đổi sau khi ký theo cách không được phép: ${first}`,
  modificationsNotChecked: () => 'Chưa phân tích được các thay đổi sau khi ký.',
  change: (kind, rawSubject, r) => {
    const at = `Phiên bản ${r}: `;
    const subject = viSubject(rawSubject);
    switch (kind) {
      case 'signature-added':
        return `${at}thêm chữ ký vào ô ${subject}.`;
      case 'document-timestamp-added':
        return `${at}thêm dấu thời gian tài liệu (${subject}).`;
      case 'signature-field-added':
        return `${at}thêm ô chữ ký trống ${subject}.`;
      case 'dss-updated':
        return `${at}thêm dữ liệu kiểm tra dài hạn (DSS).`;
      case 'metadata-changed':
        return `${at}thay đổi thông tin mô tả văn bản (${subject}).`;
      case 'structure-tree-changed':
        return `${at}thay đổi cấu trúc logic (thẻ) của văn bản.`;
      case 'form-filled':
        return `${at}điền/thay đổi giá trị ô biểu mẫu ${subject}.`;
      case 'form-changed':
        return `${at}thay đổi biểu mẫu (${subject}).`;
      case 'annotation-changed':
        return `${at}thêm/sửa/xóa chú thích trên ${subject}.`;
      case 'page-content-changed':
        return `${at}thay đổi nội dung hiển thị (${subject}).`;
      case 'page-changed':
        return `${at}thay đổi trang (${subject}).`;
      case 'pages-changed':
        return `${at}thêm, xóa hoặc đổi thứ tự trang (${subject}).`;
      case 'catalog-changed':
        return `${at}thay đổi mục lục gốc của văn bản (${subject}).`;
      case 'signature-changed':
        return `${at}thay đổi hoặc xóa chữ ký đã có (${subject}).`;
      case 'object-changed':
        return `${at}thay thế đối tượng của văn bản (${subject}).`;
      case 'appended-data':
        return `${at}dữ liệu được nối vào cuối tệp ngoài mọi phiên bản hợp lệ (${subject}).`;
      case 'unreadable-revision':
        return `${at}phiên bản này không đọc được (${subject}).`;
      case 'cross-reference-changed':
        return `${at}${crossReferenceTrickVi(rawSubject)}.`;
    }
  },
  statusValid: (w) => (w > 0 ? `Chữ ký hợp lệ, có ${w} cảnh báo.` : 'Chữ ký hợp lệ.'),
  repairedStructure: () =>
    'Bảng tham chiếu của tệp bị hỏng; Kyso đã đọc tệp theo cách dựng lại (như trình xem PDF) để kiểm tra.',
  noTrustAnchors: () =>
    'Chưa cấu hình chứng thư gốc tin cậy nào: không chữ ký nào có thể được xác nhận là hợp lệ.',
  skippedTrustFiles: (f) => `Bỏ qua các tệp không phải chứng thư trong kho tin cậy: ${f.join(', ')}.`,
  revisionUnreadable: (r) => `Không đọc được phiên bản ${r} của văn bản.`,
  trailingData: (n) =>
    `Sau phiên bản đầy đủ cuối cùng còn ${n} byte không thuộc phiên bản nào (tệp tải về chưa trọn vẹn, hoặc dữ liệu bị nối thêm).`,
  encryptedRefused: () =>
    'Tệp PDF được mã hóa (có mật khẩu); Kyso chưa hỗ trợ kiểm tra chữ ký trên tệp mã hóa.',
};

const en: VerificationTexts = {
  lang: 'en',
  byteRangeOk: (r, n, whole) =>
    whole
      ? `The signature covers the whole document (revision ${r} of ${n}).`
      : `The signature covers revision ${r} of ${n}.`,
  byteRangeProblem: (p) =>
    ({
      missing: 'The signature has no /ByteRange: what was signed cannot be known.',
      malformed: 'The /ByteRange is invalid (it must have exactly two ranges).',
      'not-from-start': 'The /ByteRange does not start at the beginning of the file.',
      'outside-file': 'The /ByteRange points outside the file.',
      'gap-not-contents':
        'The unsigned gap is not exactly the signature value (/Contents): the file was manipulated (signature wrapping/forgery).',
      'not-revision-end': 'The signed bytes do not end at the end of a revision.',
    })[p],
  integrityOk: () => 'The signed content is unchanged (the digest matches).',
  integrityMismatch: () => 'The signed content was changed after signing (the digest does not match).',
  integrityNoMessageDigest: () => 'The signature lacks the messageDigest attribute.',
  integrityContentType: () => 'The content-type attribute does not match the content.',
  integrityUnsupportedDigest: (oid) => `The digest algorithm ${oid} is not supported.`,
  integrityNotChecked: () => 'Integrity could not be checked.',
  imprintMismatch: () => 'The timestamp does not match the document content.',
  signatureOk: (a) => `The cryptographic signature is correct (${a}).`,
  signatureFailed: (a) =>
    `The cryptographic signature is wrong: it does not verify with the certificate's key (${a}).`,
  signatureUnsupported: (oid) => `The signature algorithm ${oid} is not supported.`,
  signatureNoCertificate: () => 'The signature cannot be checked: the signer certificate is missing.',
  cmsMalformed: () => 'The signature value (/Contents) is not a valid CMS structure.',
  cmsNotDetached: () => 'The signature is not detached as its SubFilter says.',
  unsupportedSubFilter: (sf) => `The signature format ${sf} is not supported.`,
  signingCertificateOk: () => 'The signer certificate matches the signed signing-certificate attribute.',
  signingCertificateMissing: () => 'The PAdES signature lacks the signing-certificate-v2 attribute.',
  signingCertificateNotUsed: () => 'This format does not use the signing-certificate attribute.',
  signingCertificateMismatch: () =>
    'The certificate carried is not the one the signer committed to (signing-certificate mismatch).',
  signerNotFound: () => 'The signer certificate was not found.',
  chainOk: (names, source) =>
    `Path to a trusted root: ${names.join(' → ')}${
      source === 'builtin'
        ? ' (root from Kyso’s built-in trust list)'
        : source === 'managed'
          ? ' (root from the managed trust store)'
          : source === 'file'
            ? ' (root from a --trust file)'
            : ''
    }.`,
  chainNotFound: (issuer) => `No path to a trusted root could be built (issuer: ${issuer}).`,
  chainNoAnchors: () => 'No trusted root is configured (--trust, --trust-dir or the trust store).',
  chainConstraints: (name) =>
    `The certificate ${name} in the path may not issue certificates (CA constraints).`,
  chainNotChecked: () => 'The certification path was not checked.',
  validityOk: (t, s) =>
    `The certificate was valid at the signing time ${formatVietnamTime(t)} (${enSource(s)}).`,
  validityExpired: (n, na, t, s) =>
    `The certificate ${n} expired on ${formatVietnamTime(na)}, before the signing time ${formatVietnamTime(t)}${s === 'claimed' ? ' (claimed)' : ''}.`,
  validityNotYet: (n, nb, t, s) =>
    `The certificate ${n} is valid only from ${formatVietnamTime(nb)}, after the signing time ${formatVietnamTime(t)}${s === 'claimed' ? ' (claimed)' : ''}.`,
  signedAfterValidationTime: (t, at) =>
    `The signing time ${formatVietnamTime(t)} is later than the validation time ${formatVietnamTime(at)}.`,
  keyUsageOk: () => 'The certificate may sign (key usage).',
  keyUsageMissing: () => 'The certificate may not sign (no digitalSignature/nonRepudiation).',
  keyUsageTsaOk: () => 'The certificate may issue timestamps (timeStamping).',
  keyUsageTsaMissing: () => 'The certificate may not issue timestamps.',
  revocationGood: (s, e) =>
    e !== undefined
      ? `The certificate is not revoked (${enEvidence(e)}).`
      : s === 'embedded'
        ? 'The certificate is not revoked (OCSP/CRL data embedded in the document).'
        : 'The certificate is not revoked (OCSP/CRL fetched online).',
  revocationRevoked: (n, d) =>
    `The certificate ${n} was revoked on ${formatVietnamTime(d)}, before the signing time.`,
  revocationRevokedLater: (n, d, p) =>
    `The certificate ${n} was revoked on ${formatVietnamTime(d)}, after the signing time (proven by a ${p === 'document-timestamp' ? 'document timestamp' : 'timestamp'}).`,
  timestampTsaOutOfBounds: (n, d) =>
    `The timestamp authority certificate ${n} is no longer valid since ${formatVietnamTime(d)}; no later archive timestamp proves this timestamp existed before.`,
  revocationRevokedNoPoe: (n, d) =>
    `The certificate ${n} was revoked on ${formatVietnamTime(d)}; no timestamp proves the signature was made before.`,
  revocationUnknown: (n, online) =>
    online
      ? `WARNING: the revocation status of ${n} could not be checked (no usable OCSP/CRL data).`
      : `WARNING: the revocation status of ${n} could not be checked (no OCSP/CRL data in the document; use --online to fetch it).`,
  revocationNotChecked: () => 'Revocation was not checked (no certification path).',
  timestampNone: () => 'The signature has no timestamp; the signing time is claimed by the signer.',
  timestampValid: (t, tsa) => `Valid timestamp: ${formatVietnamTime(t)} (${tsa}).`,
  timestampUntrusted: (t, tsa) =>
    `The timestamp ${formatVietnamTime(t)} is genuine but its authority (${tsa}) is not trusted.`,
  timestampInvalid: (f) =>
    ({
      malformed: 'The timestamp is damaged.',
      'imprint-mismatch': 'The timestamp does not match the signature.',
      'unsupported-hash': 'The timestamp uses an unsupported digest algorithm.',
      'no-tsa-certificate': 'The timestamp does not carry its authority certificate.',
      'bad-signature': 'The timestamp signature is wrong.',
      'ess-mismatch': 'The timestamp carries another certificate than the one its authority committed to.',
      'not-a-tsa': 'The timestamp certificate may not issue timestamps.',
      'tsa-revoked': 'The timestamp authority certificate is revoked.',
    })[f],
  timestampLaterDocument: (t) =>
    `A document timestamp of ${formatVietnamTime(t)} proves the signature existed by then.`,
  algorithmsOk: (l) => `Algorithms: ${l}.`,
  algorithmsWeakHash: (h) =>
    `The digest algorithm ${h} is no longer secure (Circular 15/2025 requires SHA-256 or stronger).`,
  algorithmsWeakKey: (k, b) => `The ${k} key of ${b} bits is too short (at least RSA 2048, ECDSA 256).`,
  algorithmsScheme: (n) =>
    `The signature algorithm ${n} is not one Circular 15/2025 accepts (RSA, RSA-PSS, ECDSA).`,
  modificationsNone: () => 'Nothing changed after signing.',
  modificationsAllowed: (n) =>
    `${n} change(s) after signing, all allowed (signatures, validation data, form filling…).`,
  modificationsDisallowed: (first) =>
    `The document was changed after signing in a way that is not allowed: ${first}`,
  modificationsNotChecked: () => 'The changes after signing could not be analysed.',
  change: (kind, subject, r) => {
    const at = `Revision ${r}: `;
    switch (kind) {
      case 'signature-added':
        return `${at}signature added in field ${subject}.`;
      case 'document-timestamp-added':
        return `${at}document timestamp added (${subject}).`;
      case 'signature-field-added':
        return `${at}empty signature field ${subject} added.`;
      case 'dss-updated':
        return `${at}long-term validation data (DSS) added.`;
      case 'metadata-changed':
        return `${at}document metadata changed (${subject}).`;
      case 'structure-tree-changed':
        return `${at}logical structure (tags) changed.`;
      case 'form-filled':
        return `${at}form field ${subject} filled or changed.`;
      case 'form-changed':
        return `${at}form changed (${subject}).`;
      case 'annotation-changed':
        return `${at}annotation added, changed or removed on ${subject}.`;
      case 'page-content-changed':
        return `${at}visible content changed (${subject}).`;
      case 'page-changed':
        return `${at}page changed (${subject}).`;
      case 'pages-changed':
        return `${at}pages added, removed or reordered (${subject}).`;
      case 'catalog-changed':
        return `${at}document catalog changed (${subject}).`;
      case 'signature-changed':
        return `${at}an existing signature was changed or removed (${subject}).`;
      case 'object-changed':
        return `${at}document object replaced (${subject}).`;
      case 'appended-data':
        return `${at}data appended to the file outside any valid revision (${subject}).`;
      case 'unreadable-revision':
        return `${at}this revision cannot be read (${subject}).`;
      case 'cross-reference-changed':
        return `${at}${crossReferenceTrickEn(subject)}.`;
    }
  },
  statusValid: (w) => (w > 0 ? `The signature is valid, with ${w} warning(s).` : 'The signature is valid.'),
  repairedStructure: () =>
    'The file’s cross-reference is broken; Kyso read it the way a repairing PDF viewer does to check it.',
  noTrustAnchors: () => 'No trusted root is configured: no signature can be confirmed valid.',
  skippedTrustFiles: (f) => `Skipped files that are not certificates in the trust folders: ${f.join(', ')}.`,
  revisionUnreadable: (r) => `Revision ${r} of the document cannot be read.`,
  trailingData: (n) =>
    `${n} bytes after the last complete revision belong to no revision (an incomplete download, or appended data).`,
  encryptedRefused: () =>
    'The PDF is encrypted (password protected); Kyso cannot verify signatures in encrypted files yet.',
};

export function verificationTexts(lang: ReportLang): VerificationTexts {
  return lang === 'en' ? en : vi;
}
