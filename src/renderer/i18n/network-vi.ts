// Vietnamese strings of the TSA, proxy and revocation settings on "Thiết bị ký" (issue 14 point 2).
export const networkVi = {
  'network.title': 'Mạng và dấu thời gian',
  'network.intro':
    'Máy chủ cấp dấu thời gian (TSA) làm cho chữ ký có thời điểm ký đáng tin cậy; proxy là máy chủ trung gian của cơ quan để ra Internet.',
  'network.tsaUrl': 'Địa chỉ máy chủ cấp dấu thời gian (TSA)',
  'network.check': 'Kiểm tra kết nối',
  'network.checking': 'Đang kiểm tra…',
  'network.checkOk': 'Kết nối được: {name} cấp dấu thời gian lúc {time} ({ms} ms).',
  'network.proxy': 'Proxy HTTP (để trống nếu kết nối trực tiếp)',
  'network.noProxy': 'Các máy chủ không đi qua proxy',
  'network.revocation': 'Kiểm tra thu hồi chứng thư số',
  'network.revocation.online': 'Trực tuyến (hỏi OCSP/CRL qua mạng)',
  'network.revocation.offline': 'Ngoại tuyến (chỉ dùng dữ liệu có sẵn)',
  'network.save': 'Lưu cài đặt mạng',
  'network.saved': 'Đã lưu.',
} as const;

export type NetworkMessageKey = keyof typeof networkVi;
