// Vietnamese strings of "Cài đặt" (issue 14 point 3), spread into vi.ts.
export const settingsVi = {
  'nav.settings': 'Cài đặt',
  'settings.title': 'Cài đặt',
  'settings.intro':
    'Ảnh chữ ký tay và ảnh con dấu của từng chứng thư số (chữ ký hiển thị dùng các ảnh này từ lần ký tiếp theo), mặc định khi ký và ngôn ngữ giao diện.',
  'settings.certificate': 'Chứng thư số',
  'settings.image.signature': 'Ảnh chữ ký',
  'settings.image.signature.hint': 'Chữ ký tay màu xanh, nền trong suốt (PNG).',
  'settings.image.seal': 'Ảnh con dấu',
  'settings.image.seal.hint':
    'Con dấu màu đỏ, nền trong suốt, có ghi độ phân giải để in đúng kích thước thật.',
  'settings.image.none': 'Chưa có ảnh.',
  'settings.image.stored': 'Ảnh {format} {width}×{height} điểm ảnh, {dpi}.',
  'settings.image.noDpi': 'không ghi độ phân giải',
  'settings.image.preview': 'Chữ ký sẽ hiển thị như sau',
  'settings.image.import': 'Nhập ảnh…',
  'settings.image.remove': 'Xóa ảnh',
} as const;

export type SettingsMessageKey = keyof typeof settingsVi;
