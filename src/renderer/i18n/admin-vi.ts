// Vietnamese strings of IT staff's parts of "Thiết bị ký" (libraries added by hand, the doctor
// report, the trust store) and of Cài đặt's "Mặc định khi ký" and language (issue 14), spread into vi.ts.
export const adminVi = {
  'libraries.title': 'Thư viện token',
  'libraries.intro':
    'Kyso tự tìm thư viện PKCS#11 của các token phổ biến. Nếu token của đơn vị dùng thư viện khác, hãy thêm đường dẫn tệp thư viện (.dll, .so, .dylib) của nhà cung cấp.',
  'libraries.add': 'Thêm thư viện…',
  'libraries.adding': 'Đang kiểm tra thư viện…',
  'libraries.added': 'Đã thêm thư viện {path}.',
  'libraries.remove': 'Gỡ khỏi danh sách',
  'libraries.removed': 'Đã gỡ thư viện {path}.',
  'doctor.title': 'Báo cáo chẩn đoán',
  'doctor.intro':
    'Báo cáo liệt kê thư viện, token, chứng thư và cảnh báo trên máy này, không chứa mã PIN. Gửi báo cáo cho bộ phận hỗ trợ khi cần.',
  'doctor.make': 'Tạo báo cáo',
  'doctor.making': 'Đang tạo báo cáo…',
  'doctor.warnings': '{count} cảnh báo',
  'doctor.save': 'Lưu báo cáo…',
  'doctor.saved': 'Đã lưu báo cáo: {path}',
  'doctor.copy': 'Sao chép',
  'doctor.copied': 'Đã sao chép báo cáo.',
  'doctor.copyFailed': 'Không sao chép được; hãy chọn nội dung báo cáo và sao chép bằng Ctrl+C.',
  'trust.title': 'Kho tin cậy',
  'trust.intro':
    'Chữ ký chỉ được xác nhận hợp lệ khi chứng thư của người ký nối tới một chứng thư gốc đang bật ở đây. Danh sách có sẵn gồm các gốc của Việt Nam; đối chiếu dấu vân tay SHA-256 tại ca.gov.vn và rootca.gov.vn.',
  'trust.builtin': 'Có sẵn',
  'trust.managed': 'Do quản trị thêm',
  'trust.root': 'Gốc',
  'trust.intermediate': 'Trung gian',
  'trust.validity': 'Hiệu lực {from} → {to}',
  'trust.enabled': 'Đang dùng',
  'trust.remove': 'Xóa',
  'trust.add': 'Thêm chứng thư…',
  'trust.sourceOff': 'Theo cài đặt của máy, nguồn này hiện không được dùng để xác nhận chữ ký.',
  'trust.previewTitle': 'Thêm vào kho tin cậy?',
  'trust.previewCheck':
    'Trước khi thêm, hãy đối chiếu dấu vân tay SHA-256 dưới đây với nơi công bố chính thức (ca.gov.vn, rootca.gov.vn).',
  'trust.subject': 'Chủ thể',
  'trust.fingerprint': 'SHA-256',
  'trust.confirm': 'Thêm vào kho tin cậy',
  'trust.cancel': 'Hủy',
  'trust.added': 'Đã thêm {count} chứng thư vào kho tin cậy.',
  'defaults.title': 'Mặc định khi ký',
  'defaults.intro':
    'Màn hình ký và ký hàng loạt mở ra với các lựa chọn này; khi ký vẫn có thể đổi cho từng văn bản.',
  'defaults.template': 'Mẫu chữ ký',
  'defaults.anchor': 'Đặt chữ ký dưới dòng chữ',
  'defaults.anchorHint':
    'Ví dụ “TM. ỦY BAN NHÂN DÂN”. Để trống: tìm “CHỦ TỊCH”, “GIÁM ĐỐC”… rồi góc quen thuộc.',
  'defaults.outputFolder': 'Thư mục lưu bản đã ký',
  'defaults.outputBeside': 'Cùng thư mục với tệp gốc',
  'defaults.chooseFolder': 'Chọn thư mục…',
  'defaults.besideButton': 'Lưu cạnh tệp gốc',
  'defaults.suffix': 'Thêm vào tên tệp đã ký',
  'defaults.example': 'Ví dụ: quyet-dinh-12.pdf → {name}',
  'defaults.save': 'Lưu',
  'defaults.saved': 'Đã lưu.',
  'language.title': 'Ngôn ngữ giao diện',
} as const;

export type AdminMessageKey = keyof typeof adminVi;
