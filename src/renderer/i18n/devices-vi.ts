// Vietnamese strings of token administration on "Thiết bị ký" (issue 14 point 2), spread into vi.ts.
export const devicesVi = {
  'changePin.open': 'Đổi mã PIN',
  'changePin.title': 'Đổi mã PIN của token',
  'changePin.for': 'Token “{token}”. Mã PIN mới dùng ngay cho lần ký sau.',
  'changePin.current': 'Mã PIN hiện tại',
  'changePin.new': 'Mã PIN mới',
  'changePin.again': 'Nhập lại mã PIN mới',
  'changePin.submit': 'Đổi mã PIN',
  'changePin.working': 'Đang đổi…',
  'changePin.never':
    'Kyso chỉ thử một lần: nếu mã PIN hiện tại sai, token trừ một lượt thử và Kyso không tự thử lại.',
  'changePin.done': 'Đã đổi mã PIN của token “{token}”.',
  'changePin.problem.empty': 'Hãy nhập đủ ba ô: mã PIN hiện tại và hai lần mã PIN mới.',
  'changePin.problem.mismatch': 'Hai lần nhập mã PIN mới không khớp nhau. Chưa có gì thay đổi.',
  'changePin.problem.length': 'Mã PIN mới phải dài từ {min} đến {max} ký tự. Chưa có gì thay đổi.',
  'changePin.problem.same': 'Mã PIN mới phải khác mã PIN hiện tại.',
} as const;

export type DevicesMessageKey = keyof typeof devicesVi;
