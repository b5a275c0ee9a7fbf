// What each error code says to a person, in Vietnamese (the default) and English. A Record over the
// ErrorCode union: adding a code without its messages does not compile.
import type { ErrorCode, ErrorDetails } from './errors.js';

export type Lang = 'vi' | 'en';

type Text = (d: ErrorDetails) => string;

const s = (v: unknown): string => (v === undefined ? '' : String(v));

const pinStateVi = (d: ErrorDetails): string =>
  d['pinState'] === 'final-try'
    ? ' Chỉ còn MỘT lần thử: nhập sai lần nữa token sẽ bị khóa.'
    : d['pinState'] === 'count-low'
      ? ' Token báo số lần thử còn lại đã thấp.'
      : '';
const pinStateEn = (d: ErrorDetails): string =>
  d['pinState'] === 'final-try'
    ? ' Only ONE try is left: another wrong PIN locks the token.'
    : d['pinState'] === 'count-low'
      ? ' The token reports few tries left.'
      : '';

// A token library of the wrong architecture: which Kyso build loads it. A process loads only
// libraries of its own architecture, so a 32-bit (ia32) vendor DLL needs the 32-bit Kyso build.
const ARCH_VI: Readonly<Record<string, string>> = {
  ia32: '32-bit (ia32)',
  x64: '64-bit (x64)',
  arm64: 'ARM 64-bit (arm64)',
  arm: 'ARM 32-bit (arm)',
};
const archVi = (a: unknown): string => ARCH_VI[String(a)] ?? 'không rõ';
const archEn = (a: unknown): string => ARCH_VI[String(a)] ?? 'unknown';
/** The installer to choose: the Windows builds are named Kyso-<version>-win-<arch>.exe. */
const buildVi = (d: ErrorDetails): string =>
  d['arch'] === 'ia32'
    ? 'Hãy cài bản Kyso 32-bit cho Windows (bộ cài Kyso-…-win-ia32.exe): chỉ chương trình 32-bit mới nạp được thư viện token 32-bit.'
    : d['arch'] === 'x64'
      ? 'Hãy cài bản Kyso 64-bit (bộ cài Kyso-…-win-x64.exe trên Windows).'
      : d['arch'] === 'arm64'
        ? 'Hãy cài bản Kyso arm64.'
        : 'Hãy dùng bản Kyso cùng kiến trúc với thư viện (32/64-bit).';
const buildEn = (d: ErrorDetails): string =>
  d['arch'] === 'ia32'
    ? 'Install the 32-bit Kyso build for Windows (the Kyso-…-win-ia32.exe installer): only a 32-bit program can load a 32-bit token library.'
    : d['arch'] === 'x64'
      ? 'Install the 64-bit Kyso build (the Kyso-…-win-x64.exe installer on Windows).'
      : d['arch'] === 'arm64'
        ? 'Install the arm64 Kyso build.'
        : 'Use the Kyso build of the same architecture as the library (32/64-bit).';

// Where the upload credential is given, by the `credentialSource` detail: the CLI reads the
// environment variable, the app its own store (the Gửi hồ sơ screen); without it, neither is named.
const APP_CREDENTIAL_VI = 'màn hình Gửi hồ sơ → Nơi gửi và khóa truy cập';
const APP_CREDENTIAL_EN = 'Send to dossier → Destination and credential';
/** How to give a credential that is missing. */
const giveCredentialVi = (d: ErrorDetails): string =>
  d['credentialSource'] === 'environment'
    ? ': đặt biến môi trường KYSO_UPLOAD_TOKEN (không ghi vào dòng lệnh)'
    : d['credentialSource'] === 'app'
      ? `: nhập khóa ở ${APP_CREDENTIAL_VI}`
      : '';
const giveCredentialEn = (d: ErrorDetails): string =>
  d['credentialSource'] === 'environment'
    ? ': set the KYSO_UPLOAD_TOKEN environment variable (never on the command line)'
    : d['credentialSource'] === 'app'
      ? `: enter it in ${APP_CREDENTIAL_EN}`
      : '';
/** What to check when the credential is refused. */
const credentialVi = (d: ErrorDetails): string =>
  d['credentialSource'] === 'environment'
    ? 'KYSO_UPLOAD_TOKEN'
    : d['credentialSource'] === 'app'
      ? `khóa truy cập ở ${APP_CREDENTIAL_VI}`
      : 'khóa truy cập';
const credentialEn = (d: ErrorDetails): string =>
  d['credentialSource'] === 'environment'
    ? 'KYSO_UPLOAD_TOKEN'
    : d['credentialSource'] === 'app'
      ? `the credential in ${APP_CREDENTIAL_EN}`
      : 'the credential';

export const MESSAGES: Readonly<Record<ErrorCode, { readonly vi: Text; readonly en: Text }>> = {
  USAGE: {
    vi: (d) => `Lệnh không hợp lệ: ${s(d['reason'])}`,
    en: (d) => `Invalid command: ${s(d['reason'])}`,
  },
  INPUT_NOT_FOUND: {
    vi: (d) => `Không tìm thấy tệp ${s(d['path'])}.`,
    en: (d) => `File not found: ${s(d['path'])}.`,
  },
  INPUT_UNREADABLE: {
    vi: (d) => `Không đọc được tệp ${s(d['path'])}.`,
    en: (d) => `Cannot read the file ${s(d['path'])}.`,
  },
  OUTPUT_SAME_AS_INPUT: {
    vi: () => 'Tệp kết quả trùng với tệp gốc; hãy chọn tên khác để không ghi đè văn bản gốc.',
    en: () => 'The output is the input file; choose another name so the original is not overwritten.',
  },
  OUTPUT_EXISTS: {
    vi: (d) => `Tệp ${s(d['path'])} đã tồn tại; Kyso không ghi đè.`,
    en: (d) => `${s(d['path'])} already exists; Kyso does not overwrite it.`,
  },
  OUTPUT_NOT_WRITABLE: {
    vi: (d) => `Không ghi được vào thư mục ${s(d['path'])}.`,
    en: (d) => `Cannot write to ${s(d['path'])}.`,
  },
  DISK_FULL: {
    vi: () => 'Ổ đĩa đã đầy; không có tệp nào được ghi.',
    en: () => 'The disk is full; nothing was written.',
  },
  CANCELLED: { vi: () => 'Đã hủy.', en: () => 'Cancelled.' },
  SETTINGS_INVALID: {
    vi: (d) => `Tệp cấu hình không hợp lệ: ${s(d['reason'])}`,
    en: (d) => `The settings file is invalid: ${s(d['reason'])}`,
  },
  POLICY_INVALID: {
    vi: (d) =>
      `Tệp chính sách của máy ${s(d['file'])} không hợp lệ (${s(d['reason'])}); Kyso chạy với cài đặt an toàn nhất: không dùng tệp .p12, không dùng chứng thư thử nghiệm, kho tin cậy chỉ gồm danh sách có sẵn và bị khóa, bắt buộc kiểm tra tình trạng thu hồi trước khi ký. Hãy báo bộ phận CNTT.`,
    en: (d) =>
      `The machine policy ${s(d['file'])} is invalid (${s(d['reason'])}); Kyso runs with the safest settings: no .p12 files, no demo identity, the trust store locked to the built-in list, revocation checked before every signature. Tell IT staff.`,
  },
  SETTING_LOCKED: {
    vi: (d) =>
      `Cài đặt "${s(d['key'])}"${d['option'] ? ` (${s(d['option'])})` : ''} đã bị khóa ${
        d['by'] === 'settings'
          ? 'trong tệp cấu hình của bộ phận CNTT (settings.json)'
          : d['by'] === 'invalid-policy'
            ? 'vì tệp chính sách của máy không hợp lệ'
            : 'bởi chính sách của máy'
      }${d['reason'] ? `: ${s(d['reason'])}` : ''}; không thay đổi được.`,
    en: (d) =>
      `The setting "${s(d['key'])}"${d['option'] ? ` (${s(d['option'])})` : ''} is locked ${
        d['by'] === 'settings'
          ? "in IT staff's settings file (settings.json)"
          : d['by'] === 'invalid-policy'
            ? 'because the machine policy file is invalid'
            : 'by the machine policy'
      }${d['reason'] ? `: ${s(d['reason'])}` : ''}; it cannot be changed.`,
  },
  IDENTITY_NOT_ALLOWED: {
    vi: (d) =>
      `${d['identity'] === 'demo' ? 'Chứng thư thử nghiệm (demo)' : 'Tệp chứng thư .p12/.pfx'} không được phép dùng trên máy này${d['reason'] ? ` (${s(d['reason'])})` : ''}; hãy ký bằng USB token.`,
    en: (d) =>
      `${d['identity'] === 'demo' ? 'The demo identity is' : '.p12/.pfx certificate files are'} not allowed on this computer${d['reason'] ? ` (${s(d['reason'])})` : ''}; sign with a USB token.`,
  },
  PIN_NOT_PROVIDED: {
    vi: () => 'Chưa nhập mã PIN (dùng --pin-stdin, --pin-env TÊN hoặc nhập tại terminal).',
    en: () => 'No PIN was given (use --pin-stdin, --pin-env NAME, or type it at the terminal).',
  },
  PIN_NEW_INVALID: {
    vi: (d) =>
      d['reason'] === 'same'
        ? 'Mã PIN mới phải khác mã PIN hiện tại.'
        : d['reason'] === 'characters'
          ? 'Mã PIN mới có ký tự không gõ được bằng bàn phím.'
          : d['reason'] === 'rejected'
            ? `Token không nhận mã PIN mới${Number(d['max']) > 0 ? ` (độ dài cho phép ${s(d['min'])}–${s(d['max'])} ký tự)` : ''}; mã PIN cũ vẫn giữ nguyên.`
            : `Mã PIN mới phải dài từ ${s(d['min'])} đến ${s(d['max'])} ký tự.`,
    en: (d) =>
      d['reason'] === 'same'
        ? 'The new PIN must differ from the current PIN.'
        : d['reason'] === 'characters'
          ? 'The new PIN contains a character that cannot be typed.'
          : d['reason'] === 'rejected'
            ? `The token refused the new PIN${Number(d['max']) > 0 ? ` (allowed length ${s(d['min'])}–${s(d['max'])})` : ''}; the current PIN is unchanged.`
            : `The new PIN must be ${s(d['min'])} to ${s(d['max'])} characters long.`,
  },
  PIN_CONFIRMATION_MISMATCH: {
    vi: () => 'Hai lần nhập mã PIN mới không khớp nhau.',
    en: () => 'The two entries of the new PIN do not match.',
  },
  PIN_PAD_CHANGE_UNSUPPORTED: {
    vi: () =>
      'Token này nhập PIN trên bàn phím riêng của thiết bị: hãy đổi PIN bằng công cụ của nhà cung cấp token.',
    en: () => 'This token takes its PIN on its own keypad: change the PIN with the token vendor’s tool.',
  },
  PKCS11_TOKEN_WRITE_PROTECTED: {
    vi: (d) => `Token "${s(d['token'])}" đang ở chế độ chống ghi nên không đổi được mã PIN.`,
    en: (d) => `Token "${s(d['token'])}" is write-protected, so its PIN cannot be changed.`,
  },
  PKCS11_MODULE_NOT_FOUND: {
    vi: (d) => `Không tìm thấy thư viện PKCS#11 ${s(d['path'])}. Hãy cài trình điều khiển token.`,
    en: (d) => `PKCS#11 library not found: ${s(d['path'])}. Install the token driver.`,
  },
  PKCS11_MODULE_NOT_LOADABLE: {
    vi: (d) =>
      d['reason'] === 'wrong-architecture'
        ? `Thư viện token ${s(d['path'])} là bản ${archVi(d['arch'])}, còn Kyso đang chạy bản ${archVi(d['processArch'])}: một chương trình không nạp được thư viện khác kiến trúc. ${buildVi(d)}`
        : `${s(d['path'])} không phải thư viện PKCS#11 dùng được (${s(d['detail'])}).`,
    en: (d) =>
      d['reason'] === 'wrong-architecture'
        ? `The token library ${s(d['path'])} is ${archEn(d['arch'])} but Kyso runs as ${archEn(d['processArch'])}: a program cannot load a library of another architecture. ${buildEn(d)}`
        : `${s(d['path'])} is not a usable PKCS#11 library (${s(d['detail'])}).`,
  },
  PKCS11_MODULE_CRASHED: {
    vi: (d) => `Thư viện ${s(d['path'])} bị lỗi khi nạp (${s(d['detail'])}); Kyso đã bỏ qua nó.`,
    en: (d) => `The library ${s(d['path'])} crashed while loading (${s(d['detail'])}); Kyso skipped it.`,
  },
  PKCS11_NO_MODULE: {
    vi: () =>
      'Không tìm thấy thư viện token nào. Hãy cài trình điều khiển token hoặc chỉ đường dẫn bằng --module.',
    en: () => 'No token library was found. Install the token driver or give its path with --module.',
  },
  PKCS11_TOKEN_NOT_PRESENT: {
    vi: () => 'Không thấy token. Hãy cắm USB token và thử lại.',
    en: () => 'No token is present. Insert the USB token and try again.',
  },
  PKCS11_TOKEN_NOT_FOUND: {
    vi: (d) => `Không có token nào khớp với "${s(d['token'] ?? d['slot'])}".`,
    en: (d) => `No token matches "${s(d['token'] ?? d['slot'])}".`,
  },
  PKCS11_TOKEN_AMBIGUOUS: {
    vi: (d) => `Đang cắm ${s(d['count'])} token; hãy chọn một bằng --token hoặc --slot.`,
    en: (d) => `${s(d['count'])} tokens are present; choose one with --token or --slot.`,
  },
  PKCS11_DEVICE_REMOVED: {
    vi: () => 'Token đã bị rút ra. Hãy cắm lại token.',
    en: () => 'The token was removed. Insert it again.',
  },
  PKCS11_DEVICE_ERROR: {
    vi: () => 'Token báo lỗi thiết bị. Hãy rút ra, cắm lại và thử lại.',
    en: () => 'The token reported a device error. Unplug it, plug it back in and try again.',
  },
  PKCS11_PIN_INCORRECT: {
    vi: (d) => `Mã PIN không đúng.${pinStateVi(d)}`,
    en: (d) => `The PIN is incorrect.${pinStateEn(d)}`,
  },
  PKCS11_PIN_LOCKED: {
    vi: () => 'Token đã bị khóa PIN. Hãy liên hệ tổ chức cung cấp chứng thư số (CA) đã cấp token để mở khóa.',
    en: () => 'The token PIN is locked. Contact the CA that issued the token to unlock it.',
  },
  PKCS11_PIN_LEN_RANGE: {
    vi: (d) => `Mã PIN phải dài từ ${s(d['min'])} đến ${s(d['max'])} ký tự.`,
    en: (d) => `The PIN must be ${s(d['min'])} to ${s(d['max'])} characters long.`,
  },
  PKCS11_PIN_EXPIRED: {
    vi: () => 'Mã PIN đã hết hạn; hãy đổi PIN bằng công cụ của nhà cung cấp token.',
    en: () => 'The PIN has expired; change it with the token vendor’s tool.',
  },
  PKCS11_PIN_FINAL_TRY: {
    vi: () =>
      'Token chỉ cho phép thử PIN MỘT lần nữa; nhập sai sẽ khóa token. Chỉ tiếp tục khi chắc chắn (--allow-final-try).',
    en: () =>
      'The token allows only ONE more PIN try; a wrong PIN locks it. Continue only if sure (--allow-final-try).',
  },
  PKCS11_KEY_NOT_FOUND: {
    vi: (d) => `Không tìm thấy khóa ký${d['keyId'] ? ` ${s(d['keyId'])}` : ''} trên token.`,
    en: (d) => `Signing key${d['keyId'] ? ` ${s(d['keyId'])}` : ''} not found on the token.`,
  },
  PKCS11_KEY_AMBIGUOUS: {
    vi: (d) => `Token có ${s(d['count'])} chứng thư ký; hãy chọn một bằng --key.`,
    en: (d) => `The token holds ${s(d['count'])} signing certificates; choose one with --key.`,
  },
  PKCS11_MECHANISM_NOT_SUPPORTED: {
    vi: (d) => `Token không hỗ trợ thuật toán ký ${s(d['scheme'])} ${s(d['digest'])}.`,
    en: (d) => `The token does not support ${s(d['scheme'])} ${s(d['digest'])} signatures.`,
  },
  PKCS11_NOT_LOGGED_IN: {
    vi: () => 'Chưa đăng nhập token.',
    en: () => 'Not logged in to the token.',
  },
  PKCS11_SESSION_CLOSED: {
    vi: () => 'Phiên làm việc với token đã đóng (token có thể đã bị rút ra).',
    en: () => 'The token session was closed (the token may have been removed).',
  },
  PKCS11_GENERAL_ERROR: {
    vi: (d) => `Token báo lỗi${d['ckrName'] ? ` ${s(d['ckrName'])}` : ''}.`,
    en: (d) => `The token reported an error${d['ckrName'] ? ` ${s(d['ckrName'])}` : ''}.`,
  },
  P12_NOT_FOUND: {
    vi: (d) => `Không tìm thấy tệp ${s(d['path'])}.`,
    en: (d) => `File not found: ${s(d['path'])}.`,
  },
  P12_PASSWORD_INCORRECT: {
    vi: () => 'Mật khẩu tệp chứng thư (.p12/.pfx) không đúng.',
    en: () => 'The password of the .p12/.pfx file is incorrect.',
  },
  P12_INVALID: {
    vi: () => 'Tệp không phải tệp chứng thư PKCS#12 (.p12/.pfx) hợp lệ.',
    en: () => 'The file is not a valid PKCS#12 (.p12/.pfx) file.',
  },
  CERT_EXPIRED: {
    vi: (d) => `Chứng thư số đã hết hạn ngày ${s(d['notAfter'])}.`,
    en: (d) => `The certificate expired on ${s(d['notAfter'])}.`,
  },
  CERT_NOT_YET_VALID: {
    vi: (d) => `Chứng thư số chỉ có hiệu lực từ ngày ${s(d['notBefore'])}.`,
    en: (d) => `The certificate is valid only from ${s(d['notBefore'])}.`,
  },
  CERT_NO_SIGNING_USAGE: {
    vi: () => 'Chứng thư số này không được phép dùng để ký (key usage).',
    en: () => 'This certificate is not allowed to sign (key usage).',
  },
  CERT_REVOKED: {
    vi: (d) => `Chứng thư số đã bị thu hồi ngày ${s(d['revokedAt'])}.`,
    en: (d) => `The certificate was revoked on ${s(d['revokedAt'])}.`,
  },
  CERT_INVALID: { vi: () => 'Chứng thư số không đọc được.', en: () => 'The certificate cannot be read.' },
  KEY_UNSUPPORTED: {
    vi: () => 'Loại khóa của chứng thư số không được hỗ trợ.',
    en: () => 'The certificate’s key type is not supported.',
  },
  TRUST_STORE_BROKEN: {
    vi: (d) => `Kho chứng thư tin cậy bị hỏng (${s(d['path'])}); hãy sửa hoặc xóa tệp này.`,
    en: (d) => `The trust store is damaged (${s(d['path'])}); fix or delete this file.`,
  },
  TRUST_CERT_NOT_FOUND: {
    vi: (d) => `Không có chứng thư nào trong danh sách tin cậy có dấu vân tay ${s(d['fingerprint'])}.`,
    en: (d) => `No certificate of the trust list has the fingerprint ${s(d['fingerprint'])}.`,
  },
  TRUST_ADD_DECLINED: {
    vi: () => 'Chưa thêm chứng thư nào: người dùng không xác nhận.',
    en: () => 'Nothing was added: the addition was not confirmed.',
  },
  TRUST_BUILTIN_NOT_REMOVABLE: {
    vi: () => 'Chứng thư trong danh sách tin cậy có sẵn không xóa được; hãy tắt nó.',
    en: () => 'A certificate of the built-in trust list cannot be removed; switch it off instead.',
  },
  PDF_EMPTY: { vi: () => 'Tệp rỗng.', en: () => 'The file is empty.' },
  PDF_NOT_PDF: { vi: () => 'Tệp không phải PDF.', en: () => 'The file is not a PDF.' },
  PDF_TRUNCATED: {
    vi: () => 'Tệp PDF bị cắt cụt (tải về chưa xong?).',
    en: () => 'The PDF is truncated (an incomplete download?).',
  },
  PDF_XREF_BROKEN: {
    vi: () => 'Bảng tham chiếu của tệp PDF bị hỏng. Có thể thử --repair nếu văn bản chưa có chữ ký nào.',
    en: () => 'The PDF cross-reference table is broken. Try --repair if the document carries no signature.',
  },
  PDF_HYBRID_XREF: {
    vi: () => 'Tệp PDF dùng bảng tham chiếu lai mà Kyso chưa xử lý được.',
    en: () => 'The PDF uses a hybrid cross-reference that Kyso cannot handle.',
  },
  PDF_ENCRYPTED: {
    vi: () => 'Tệp PDF được bảo vệ bằng mật khẩu; hãy gỡ mật khẩu trước khi ký.',
    en: () => 'The PDF is password protected; remove the password before signing.',
  },
  PDF_MALFORMED: {
    vi: (d) => `Tệp PDF bị lỗi cấu trúc${d['reason'] ? `: ${s(d['reason'])}` : ''}.`,
    en: (d) => `The PDF is malformed${d['reason'] ? `: ${s(d['reason'])}` : ''}.`,
  },
  PDF_TOO_LARGE: { vi: () => 'Tệp PDF quá lớn.', en: () => 'The PDF is too large.' },
  PDF_CERTIFIED_NO_CHANGES: {
    vi: () =>
      'Văn bản đã được chứng nhận "không cho phép thay đổi"; ký thêm sẽ làm mất hiệu lực chữ ký chứng nhận.',
    en: () =>
      'The document is certified "no changes allowed"; another signature would invalidate the certification.',
  },
  PDF_FIELD_NOT_FOUND: {
    vi: (d) => `Không có ô chữ ký "${s(d['field'])}" trong văn bản.`,
    en: (d) => `The document has no signature field "${s(d['field'])}".`,
  },
  PDF_FIELD_ALREADY_SIGNED: {
    vi: (d) => `Ô chữ ký "${s(d['field'])}" đã được ký.`,
    en: (d) => `The signature field "${s(d['field'])}" is already signed.`,
  },
  PDF_PAGE_OUT_OF_RANGE: {
    vi: (d) => `Văn bản chỉ có ${s(d['pages'])} trang; không có trang ${s(d['page'])}.`,
    en: (d) => `The document has ${s(d['pages'])} pages; there is no page ${s(d['page'])}.`,
  },
  PDF_REPAIR_SIGNED: {
    vi: () => 'Không thể sửa tệp đã có chữ ký: việc sửa sẽ làm mất hiệu lực các chữ ký.',
    en: () => 'A signed document cannot be repaired: repairing would invalidate its signatures.',
  },
  SIGNATURE_TOO_LARGE: {
    vi: () => 'Chữ ký lớn hơn chỗ dành sẵn trong tệp.',
    en: () => 'The signature is larger than the space reserved for it.',
  },
  TSA_UNREACHABLE: {
    vi: (d) => `Không kết nối được máy chủ cấp dấu thời gian ${s(d['url'])}.`,
    en: (d) => `Cannot reach the timestamp server ${s(d['url'])}.`,
  },
  TSA_TIMEOUT: {
    vi: (d) => `Máy chủ cấp dấu thời gian ${s(d['url'])} không trả lời kịp.`,
    en: (d) => `The timestamp server ${s(d['url'])} did not answer in time.`,
  },
  TSA_BAD_RESPONSE: {
    vi: (d) => `Máy chủ cấp dấu thời gian trả lời không hợp lệ${d['reason'] ? ` (${s(d['reason'])})` : ''}.`,
    en: (d) => `The timestamp server sent an invalid answer${d['reason'] ? ` (${s(d['reason'])})` : ''}.`,
  },
  TSA_REJECTED: {
    vi: (d) =>
      `Máy chủ cấp dấu thời gian từ chối yêu cầu${d['statusString'] ? `: ${s(d['statusString'])}` : ''}.`,
    en: (d) =>
      `The timestamp server refused the request${d['statusString'] ? `: ${s(d['statusString'])}` : ''}.`,
  },
  TSA_AUTH_FAILED: {
    vi: (d) => `Máy chủ cấp dấu thời gian ${s(d['url'])} từ chối thông tin đăng nhập; hãy kiểm tra cấu hình.`,
    en: (d) => `The timestamp server ${s(d['url'])} refused the credentials; check the settings.`,
  },
  REVOCATION_UNAVAILABLE: {
    vi: (d) =>
      `Không kiểm tra được tình trạng thu hồi của chứng thư ${s(d['subject'])}${d['reason'] ? ` (${s(d['reason'])})` : ''}; chính sách không cho phép ký khi chưa kiểm tra được. Hãy kiểm tra kết nối mạng hoặc thử lại sau.`,
    en: (d) =>
      `The revocation status of ${s(d['subject'])} could not be checked${d['reason'] ? ` (${s(d['reason'])})` : ''}; the policy does not allow signing without it. Check the network connection or try again later.`,
  },
  PDF_NOT_SIGNED: {
    vi: (d) => `Tệp ${s(d['path'])} chưa có chữ ký số nào để bổ sung dữ liệu kiểm tra dài hạn.`,
    en: (d) => `${s(d['path'])} carries no signature to add long-term validation data to.`,
  },
  IMAGE_NOT_FOUND: {
    vi: (d) => `Không tìm thấy ảnh ${s(d['path'])}.`,
    en: (d) => `Image not found: ${s(d['path'])}.`,
  },
  IMAGE_UNSUPPORTED: {
    vi: () => 'Ảnh phải là tệp PNG hoặc JPEG.',
    en: () => 'The image must be a PNG or JPEG file.',
  },
  IMAGE_UNREADABLE: {
    vi: (d) =>
      `Không đọc được ảnh ${s(d['path'])}: tệp bị hỏng hoặc không mở được${d['reason'] ? ` (${s(d['reason'])})` : ''}.`,
    en: (d) =>
      `Cannot read the image ${s(d['path'])}: the file is damaged or cannot be opened${d['reason'] ? ` (${s(d['reason'])})` : ''}.`,
  },
  IMAGE_TOO_LARGE: {
    vi: (d) => `Ảnh ${s(d['path'])} quá lớn; hãy dùng ảnh nhỏ hơn (tối đa 20 MB, 40 triệu điểm ảnh).`,
    en: (d) =>
      `The image ${s(d['path'])} is too large; use a smaller one (at most 20 MB and 40 million pixels).`,
  },
  RECT_OUTSIDE_PAGE: {
    vi: () => 'Vị trí chữ ký nằm ngoài trang.',
    en: () => 'The signature box lies outside the page.',
  },
  ANCHOR_NOT_FOUND: {
    vi: (d) => `Không tìm thấy dòng chữ "${s(d['anchor'])}" trên trang.`,
    en: (d) => `The text "${s(d['anchor'])}" was not found on the page.`,
  },
  FONT_NO_VIETNAMESE: {
    vi: (d) => `Phông chữ ${s(d['path'])} thiếu ký tự tiếng Việt.`,
    en: (d) => `The font ${s(d['path'])} lacks Vietnamese characters.`,
  },
  FONT_UNREADABLE: {
    vi: (d) => `Không đọc được tệp phông chữ ${s(d['path'])}.`,
    en: (d) => `Cannot read the font file ${s(d['path'])}.`,
  },
  SEAL_WITHOUT_SIGNATURE: {
    vi: () =>
      'Văn bản chưa có chữ ký số hợp lệ của người có thẩm quyền: không được ký số của cơ quan, tổ chức (Nghị định 30/2020/NĐ-CP, Điều 32).',
    en: () =>
      "The document carries no valid signature of the competent person: the agency's signature cannot be applied (Decree 30/2020/NĐ-CP, art. 32).",
  },
  BATCH_JOURNAL_EXISTS: {
    vi: (d) =>
      `Thư mục ${s(d['path'])} đã có nhật ký của một đợt ký trước; dùng --resume để ký tiếp đợt đó, hoặc chọn thư mục khác.`,
    en: (d) =>
      `${s(d['path'])} already holds the journal of an earlier batch; use --resume to continue it, or choose another folder.`,
  },
  BATCH_JOURNAL_INVALID: {
    vi: (d) =>
      `Nhật ký đợt ký ${s(d['path'])} bị hỏng${d['line'] !== undefined ? ` (dòng ${s(d['line'])})` : ''}; không thể ký tiếp. Hãy chọn thư mục kết quả khác.`,
    en: (d) =>
      `The batch journal ${s(d['path'])} is damaged${d['line'] !== undefined ? ` (line ${s(d['line'])})` : ''}; the batch cannot be resumed. Choose another output folder.`,
  },
  BATCH_RESUME_MISMATCH: {
    vi: (d) =>
      `Tùy chọn ký khác với đợt ký đang dở trong ${s(d['path'])}; hãy dùng đúng tùy chọn (hoặc hồ sơ) cũ, hoặc chọn thư mục kết quả khác.`,
    en: (d) =>
      `The signing options differ from those of the unfinished batch in ${s(d['path'])}; use the same options (or profile), or choose another output folder.`,
  },
  BATCH_IN_PROGRESS: {
    vi: (d) =>
      `Một đợt ký khác đang chạy trên thư mục ${s(d['path'])} (tiến trình ${s(d['pid'])}${d['host'] ? ` trên máy ${s(d['host'])}` : ''}). Nếu chắc chắn không còn chạy, hãy xóa tệp ${s(d['lock'])}.`,
    en: (d) =>
      `Another batch is running on ${s(d['path'])} (process ${s(d['pid'])}${d['host'] ? ` on ${s(d['host'])}` : ''}). If it surely is not, delete ${s(d['lock'])}.`,
  },
  UPLOAD_DOSSIER_CODE_INVALID: {
    vi: (d) =>
      `Mã hồ sơ "${s(d['code'])}" không đúng dạng (ví dụ 000.00.01.H22-261126-0001: mã đơn vị, ngày tiếp nhận yymmdd, số thứ tự).`,
    en: (d) =>
      `"${s(d['code'])}" is not a dossier code (e.g. 000.00.01.H22-261126-0001: unit code, receipt date yymmdd, sequence).`,
  },
  UPLOAD_NO_DESTINATION: {
    vi: () =>
      'Chưa cấu hình nơi gửi hồ sơ: dùng --server URL hoặc đặt upload.server (hoặc upload.folder.path) trong settings.json.',
    en: () =>
      'No destination for results: use --server URL or set upload.server (or upload.folder.path) in settings.json.',
  },
  UPLOAD_CREDENTIAL_MISSING: {
    vi: (d) => `Chưa có khóa truy cập hệ thống một cửa${giveCredentialVi(d)}. Chưa gửi tệp nào.`,
    en: (d) => `No credential for the one-stop system${giveCredentialEn(d)}. Nothing was sent.`,
  },
  UPLOAD_CREDENTIAL_STORE_UNAVAILABLE: {
    vi: () =>
      'Kho bí mật của hệ điều hành không dùng được (trên Linux cần dịch vụ Secret Service hoặc KWallet đang chạy); Kyso chỉ cất khóa truy cập khi đã mã hóa, nên khóa chưa được lưu.',
    en: () =>
      'The OS secret store is not available (on Linux a Secret Service or KWallet must be running); Kyso stores the credential only encrypted, so it was not stored.',
  },
  UPLOAD_SIGNATURE_BROKEN: {
    vi: (d) =>
      `Chữ ký số trong ${s(d['path'])} bị hỏng (${s(d['reason'])}): không đưa vào hàng đợi gửi. Nếu vẫn muốn gửi, dùng --allow-broken-signatures.`,
    en: (d) =>
      `The signatures in ${s(d['path'])} are broken (${s(d['reason'])}): not queued. To send it anyway, use --allow-broken-signatures.`,
  },
  UPLOAD_UNSIGNED: {
    vi: (d) =>
      `${s(d['path'])} chưa có chữ ký số: không đưa vào hàng đợi gửi. Nếu vẫn muốn gửi, dùng --allow-broken-signatures.`,
    en: (d) =>
      `${s(d['path'])} carries no signature: not queued. To send it anyway, use --allow-broken-signatures.`,
  },
  UPLOAD_UNAUTHORIZED: {
    vi: (d) =>
      `Hệ thống một cửa từ chối khóa truy cập (HTTP ${s(d['status'])}): kiểm tra ${credentialVi(d)} hoặc cấu hình OAuth2. Tệp chưa được gửi.`,
    en: (d) =>
      `The one-stop system refused the credential (HTTP ${s(d['status'])}): check ${credentialEn(d)} or the OAuth2 settings. The file was not delivered.`,
  },
  UPLOAD_TOO_LARGE: {
    vi: (d) =>
      `Hệ thống một cửa không nhận tệp lớn như vậy (HTTP 413${d['message'] ? `: ${s(d['message'])}` : ''}).`,
    en: (d) =>
      `The one-stop system does not accept a file this large (HTTP 413${d['message'] ? `: ${s(d['message'])}` : ''}).`,
  },
  UPLOAD_REJECTED: {
    vi: (d) => `Hệ thống một cửa từ chối tệp (HTTP ${s(d['status'])}): ${s(d['message'])}`,
    en: (d) => `The one-stop system refused the file (HTTP ${s(d['status'])}): ${s(d['message'])}`,
  },
  UPLOAD_SERVER_ERROR: {
    vi: (d) => `Hệ thống một cửa đang lỗi (HTTP ${s(d['status'])}); sẽ gửi lại sau.`,
    en: (d) => `The one-stop system answered with an error (HTTP ${s(d['status'])}); it will be retried.`,
  },
  UPLOAD_UNREACHABLE: {
    vi: (d) =>
      `Không kết nối được tới ${s(d['url'])}${d['reason'] ? ` (${s(d['reason'])})` : ''}; sẽ gửi lại sau.`,
    en: (d) => `Cannot reach ${s(d['url'])}${d['reason'] ? ` (${s(d['reason'])})` : ''}; it will be retried.`,
  },
  UPLOAD_TIMEOUT: {
    vi: (d) => `${s(d['url'])} không trả lời kịp; sẽ gửi lại sau (cùng khóa chống trùng, không gửi trùng).`,
    en: (d) =>
      `${s(d['url'])} did not answer in time; it will be retried (same idempotency key, never twice).`,
  },
  UPLOAD_TLS: {
    vi: (d) =>
      `Kết nối an toàn tới ${s(d['url'])} thất bại${d['reason'] ? ` (${s(d['reason'])})` : ''}: chứng thư máy chủ không tin cậy hoặc TLS cũ hơn 1.2.`,
    en: (d) =>
      `The secure connection to ${s(d['url'])} failed${d['reason'] ? ` (${s(d['reason'])})` : ''}: untrusted server certificate or TLS older than 1.2.`,
  },
  UPLOAD_FILE_CHANGED: {
    vi: (d) => `Tệp ${s(d['path'])} đã bị thay đổi hoặc xóa sau khi đưa vào hàng đợi; không gửi.`,
    en: (d) => `${s(d['path'])} was changed or removed after it was queued; not sent.`,
  },
  UPLOAD_OAUTH_FAILED: {
    vi: (d) => `Không lấy được mã truy cập OAuth2 từ ${s(d['url'])} (${s(d['reason'])}).`,
    en: (d) => `Could not obtain an OAuth2 access token from ${s(d['url'])} (${s(d['reason'])}).`,
  },
  UPLOAD_OUTBOX_UNAVAILABLE: {
    vi: (d) => `Không mở được hàng đợi gửi ${s(d['path'])} (${s(d['reason'])}).`,
    en: (d) => `Cannot open the outbox ${s(d['path'])} (${s(d['reason'])}).`,
  },
  UPLOAD_ITEM_NOT_FOUND: {
    vi: (d) => `Không có mục số ${s(d['id'])} trong hàng đợi gửi.`,
    en: (d) => `The outbox has no item ${s(d['id'])}.`,
  },
  UPLOAD_ITEM_STATE: {
    vi: (d) =>
      `Mục số ${s(d['id'])} đang ở trạng thái "${s(d['state'])}": không thể ${s(d['action']) === 'cancel' ? 'hủy' : 'gửi lại'}.`,
    en: (d) =>
      `Item ${s(d['id'])} is ${s(d['state'])}: it cannot be ${s(d['action']) === 'cancel' ? 'cancelled' : 'retried'}.`,
  },
  BRIDGE_NOT_LOCAL: {
    vi: (d) => `Cầu nối chỉ được nghe trên máy này (127.0.0.1, ::1), không phải ${s(d['address'])}.`,
    en: (d) => `The bridge listens on this machine only (127.0.0.1, ::1), not on ${s(d['address'])}.`,
  },
  BRIDGE_PORT_IN_USE: {
    vi: (d) =>
      `Cổng ${s(d['port'])} đang được chương trình khác dùng (có thể là plugin ký số khác): hãy tắt nó hoặc chọn --port khác.`,
    en: (d) =>
      `Port ${s(d['port'])} is used by another program (perhaps another signing plugin): stop it or choose another --port.`,
  },
  BRIDGE_CERTIFICATE_UNREADABLE: {
    vi: (d) =>
      `Không đọc được chứng thư TLS của cầu nối trong ${s(d['path'])}; xóa thư mục đó để tạo lại (rồi cài tin cậy lại cho trình duyệt).`,
    en: (d) =>
      `Cannot read the bridge's TLS certificate in ${s(d['path'])}; delete that folder to make a new one (then trust it again in the browsers).`,
  },
  BRIDGE_REQUEST_INVALID: {
    vi: (d) => `Yêu cầu ký không hợp lệ: ${s(d['reason'])}`,
    en: (d) => `Invalid signing request: ${s(d['reason'])}`,
  },
  BRIDGE_HOST_NOT_ALLOWED: {
    vi: (d) =>
      `Máy chủ ${s(d['host'])} không thuộc danh sách trang được phép; Kyso không tải tệp từ đó và không gửi tệp đến đó.`,
    en: (d) =>
      `The server ${s(d['host'])} is not on the allowed list; Kyso neither downloads from it nor sends files to it.`,
  },
  BRIDGE_DOWNLOAD_FAILED: {
    vi: (d) => `Không tải được văn bản cần ký: ${s(d['reason'])}`,
    en: (d) => `Cannot download the document to sign: ${s(d['reason'])}`,
  },
  BRIDGE_FILE_TOO_LARGE: {
    vi: (d) => `Văn bản lớn hơn giới hạn ${s(d['limitMB'])} MB của cầu nối.`,
    en: (d) => `The document is larger than the bridge's limit of ${s(d['limitMB'])} MB.`,
  },
  BRIDGE_DECLINED: {
    vi: () => 'Người dùng đã từ chối ký văn bản này.',
    en: () => 'The user declined to sign this document.',
  },
  BRIDGE_BUSY: {
    vi: () => 'Có quá nhiều yêu cầu ký đang chờ; hãy thử lại sau.',
    en: () => 'Too many signing requests are waiting; try again later.',
  },
  BRIDGE_UPLOAD_FAILED: {
    vi: (d) =>
      `Đã ký nhưng không gửi được văn bản lên hệ thống (${s(d['reason'])}); bản đã ký được giữ lại tại ${s(d['path'])}.`,
    en: (d) =>
      `Signed, but the document could not be sent to the system (${s(d['reason'])}); the signed file is kept at ${s(d['path'])}.`,
  },
  BRIDGE_CERTIFICATE_NOT_CHOSEN: {
    vi: (d) =>
      `Chưa chọn chứng thư số để ký cho các trang web: có ${s(d['count'])} chứng thư số ký được; hãy chọn một trong mục Cầu nối ký số.`,
    en: (d) =>
      `No certificate is chosen for the web pages' signatures: ${s(d['count'])} certificates can sign; choose one in the signing bridge section.`,
  },
  BRIDGE_REQUEST_CLOSED: {
    vi: () =>
      'Yêu cầu ký này không còn chờ trả lời (trang web đã rời đi, hết thời gian hoặc đã được trả lời).',
    en: () =>
      'This signing request is no longer waiting for an answer (the page left, it timed out, or it was answered).',
  },
  INBOX_NO_SERVER: {
    vi: () =>
      `Chưa có địa chỉ máy chủ một cửa cho hộp văn bản chờ ký: dùng --server URL hoặc đặt upload.server trong cài đặt.`,
    en: () =>
      `No one-stop server for the signing inbox: use --server URL or set upload.server in the settings.`,
  },
  INBOX_UNREACHABLE: {
    vi: (d) =>
      `Không kết nối được máy chủ một cửa (${s(d['url'])} ${s(d['reason'])}). Danh sách đã tải trước vẫn dùng được; văn bản đã ký sẽ được gửi khi có mạng.`,
    en: (d) =>
      `Cannot reach the one-stop server (${s(d['url'])} ${s(d['reason'])}). The list downloaded earlier still works; signed documents are sent when the network is back.`,
  },
  INBOX_SERVER_ERROR: {
    vi: (d) => `Máy chủ một cửa đang lỗi (HTTP ${s(d['status'])}): ${s(d['message'])}. Sẽ thử lại sau.`,
    en: (d) =>
      `The one-stop server failed (HTTP ${s(d['status'])}): ${s(d['message'])}. It will be tried again later.`,
  },
  INBOX_LOGIN_NEEDED: {
    vi: () => 'Phiên làm việc với hệ thống một cửa đã hết hạn: hãy nhập mã PIN để mở lại hộp văn bản chờ ký.',
    en: () => 'The session with the one-stop server has ended: enter the PIN to open the inbox again.',
  },
  INBOX_UNAUTHORIZED: {
    vi: (d) =>
      `Máy chủ một cửa không chấp nhận danh tính (chữ ký trên mã thử thách hoặc khóa truy cập): ${s(d['message'])}`,
    en: (d) =>
      `The one-stop server did not accept the identity (the challenge signature or the credential): ${s(d['message'])}`,
  },
  INBOX_REQUEST_INVALID: {
    vi: (d) => `Máy chủ một cửa từ chối yêu cầu không hợp lệ: ${s(d['message'])}`,
    en: (d) => `The one-stop server refused an invalid request: ${s(d['message'])}`,
  },
  INBOX_NOT_FOUND: {
    vi: (d) => `Không có yêu cầu ký ${s(d['id'])} trong hộp văn bản chờ ký.`,
    en: (d) => `There is no signing request ${s(d['id'])} in the inbox.`,
  },
  INBOX_NOT_ASSIGNEE: {
    vi: (d) => `Chứng thư số này không phải người được giao ký văn bản ${s(d['id'])}: không gửi gì.`,
    en: (d) => `This certificate is not the assignee of request ${s(d['id'])}: nothing was sent.`,
  },
  INBOX_WITHDRAWN: {
    vi: (d) => `Cán bộ một cửa đã thu hồi yêu cầu ký ${s(d['id'])}: bản đã ký không được gửi vào hồ sơ.`,
    en: (d) =>
      `The officer withdrew signing request ${s(d['id'])}: the signed copy was not added to the dossier.`,
  },
  INBOX_DECLINED: {
    vi: (d) => `Yêu cầu ký ${s(d['id'])} đã bị từ chối (${s(d['reason'])}): không ký và không gửi nữa.`,
    en: (d) =>
      `Signing request ${s(d['id'])} was declined (${s(d['reason'])}): it is no longer signed or sent.`,
  },
  INBOX_ALREADY_DONE: {
    vi: (d) =>
      `Bước ký này của yêu cầu ${s(d['id'])} đã xong (người khác đã ký hoặc ban hành): bản này không được gửi.`,
    en: (d) =>
      `This step of request ${s(d['id'])} is already done (someone else signed or issued it): this copy was not sent.`,
  },
  INBOX_WRONG_STEP: {
    vi: (d) => `Yêu cầu ${s(d['id'])} chưa đến bước ban hành (lấy số).`,
    en: (d) => `Request ${s(d['id'])} is not at its issue step yet.`,
  },
  INBOX_DOCUMENT_CHANGED: {
    vi: (d) =>
      `Văn bản ${s(d['id'])} trên máy chủ đã thay đổi từ khi tải về: tải lại và ký bản mới. Bản đã ký không được gửi.`,
    en: (d) =>
      `Document ${s(d['id'])} changed on the server since it was downloaded: download it again and sign the new version. The signed copy was not sent.`,
  },
  INBOX_HASH_MISMATCH: {
    vi: (d) => `Tệp tải về của yêu cầu ${s(d['id'])} không khớp mã băm máy chủ báo (SHA-256): không ký.`,
    en: (d) =>
      `The file downloaded for request ${s(d['id'])} does not match the server's SHA-256: it was not signed.`,
  },
  INBOX_NOT_DOWNLOADED: {
    vi: (d) => `Văn bản ${s(d['id'])} chưa được tải về máy này và máy chủ không kết nối được: chưa ký được.`,
    en: (d) =>
      `Document ${s(d['id'])} was never downloaded to this computer and the server cannot be reached: it cannot be signed yet.`,
  },
  INBOX_ISSUE_TAKEN: {
    vi: (d) =>
      `Văn thư khác đang ban hành văn bản ${s(d['id'])} (số ${s(d['number'])}): không cấp số thứ hai, không gửi.`,
    en: (d) =>
      `Another clerk is issuing request ${s(d['id'])} (number ${s(d['number'])}): no second number was given, nothing was sent.`,
  },
  INBOX_ALREADY_DELIVERED: {
    vi: (d) => `Bản ký của ${s(d['id'])} đã được gửi lên máy chủ trước đó: không gửi lần hai.`,
    en: (d) => `The signed copy of ${s(d['id'])} was already delivered to the server: not sent twice.`,
  },
  INBOX_NOT_ISSUED: {
    vi: (d) => `Văn bản ${s(d['id'])} chưa được cấp số và ngày ban hành.`,
    en: (d) => `Request ${s(d['id'])} has no number and issue date reserved.`,
  },
  INBOX_NUMBER_MISMATCH: {
    vi: (d) => `Số văn bản ghi trên bản ký của ${s(d['id'])} khác số máy chủ đã cấp: ${s(d['message'])}`,
    en: (d) =>
      `The number on the signed copy of ${s(d['id'])} differs from the one the server reserved: ${s(d['message'])}`,
  },
  INBOX_SIGNATURE_INVALID: {
    vi: (d) =>
      `Máy chủ kiểm tra thấy chữ ký trên văn bản ${s(d['id'])} không hợp lệ hoặc chữ ký trước đã bị hỏng.`,
    en: (d) =>
      `The server found a signature on request ${s(d['id'])} invalid, or an earlier signature broken.`,
  },
  INBOX_TOO_LARGE: {
    vi: (d) => `Văn bản ${s(d['id'])} vượt quá kích thước máy chủ nhận.`,
    en: (d) => `Request ${s(d['id'])}'s file is larger than the server accepts.`,
  },
  INBOX_REJECTED: {
    vi: (d) => `Máy chủ một cửa từ chối (HTTP ${s(d['status'])}): ${s(d['message'])}`,
    en: (d) => `The one-stop server refused it (HTTP ${s(d['status'])}): ${s(d['message'])}`,
  },
  CONTRACT_INVALID_REQUEST: {
    vi: (d) => `Yêu cầu không hợp lệ (${s(d['channel'])}): ${s(d['reason'])}`,
    en: (d) => `Invalid request (${s(d['channel'])}): ${s(d['reason'])}`,
  },
  FRAME_REJECTED: {
    vi: () => 'Yêu cầu bị từ chối: không đến từ cửa sổ của Kyso.',
    en: () => 'Request refused: it does not come from a Kyso window.',
  },
  ENGINE_CRASHED: {
    vi: () =>
      'Bộ phận ký số của Kyso bị dừng đột ngột và đã được khởi động lại; không có tệp nào được ghi. Hãy thử lại.',
    en: () =>
      "Kyso's signing process stopped unexpectedly and was restarted; no file was written. Try again.",
  },
  DOCUMENT_NOT_OPEN: {
    vi: () => 'Văn bản chưa được mở hoặc đã đóng; hãy mở lại tệp PDF.',
    en: () => 'The document is not open (or was closed); open the PDF again.',
  },
  WEB_HOST_UNAUTHORIZED: {
    vi: () => 'Truy cập bị từ chối: thiếu hoặc sai mã truy cập của phiên.',
    en: () => "Access refused: the session's access token is missing or wrong.",
  },
  WEB_HOST_NOT_LOOPBACK: {
    vi: (d) => `Máy chủ phát triển chỉ nghe trên 127.0.0.1, không trên ${s(d['host'])}.`,
    en: (d) => `The development host listens on 127.0.0.1 only, not on ${s(d['host'])}.`,
  },
  INTERNAL: {
    vi: () => 'Lỗi nội bộ của Kyso. Hãy gửi báo cáo (kyso doctor) cho bộ phận CNTT.',
    en: () => 'Internal Kyso error. Send a report (kyso doctor) to IT staff.',
  },
};

export function messageFor(code: ErrorCode, details: ErrorDetails, lang: Lang): string {
  return MESSAGES[code][lang](details);
}
