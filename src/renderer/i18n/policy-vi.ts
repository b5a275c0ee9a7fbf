// Vietnamese strings of the machine policy (issue 14 point 4), spread into vi.ts.
export const policyVi = {
  'policy.locked.policy': 'Bộ phận CNTT đã khóa cài đặt này (chính sách của máy): {reason}',
  'policy.locked.policyNoReason': 'Bộ phận CNTT đã khóa cài đặt này (chính sách của máy).',
  'policy.locked.invalid': 'Cài đặt này bị khóa ở mức an toàn nhất vì tệp chính sách của máy không hợp lệ.',
  'policy.locked.settings': 'Cài đặt này bị khóa trong tệp cấu hình của bộ phận CNTT (settings.json).',
  'policy.invalid.banner':
    'Tệp chính sách của máy ({file}) không hợp lệ; Kyso đang chạy với cài đặt an toàn nhất. Hãy báo bộ phận CNTT.',
} as const;

export type PolicyMessageKey = keyof typeof policyVi;
