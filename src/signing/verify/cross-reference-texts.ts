// The sentences that name a cross-reference trick (cross-reference-audit.ts), in Vietnamese and
// English. The fact's subject carries the trick and its numbers ("wrong-object:4,7").
import type { CrossReferenceTrick } from './cross-reference-audit.js';

function parse(subject: string): { trick: CrossReferenceTrick | string; v: number[] } {
  const [trick = '', values = ''] = subject.split(':');
  return { trick, v: values === '' ? [] : values.split(',').map(Number) };
}

export function crossReferenceTrickVi(subject: string): string {
  const { trick, v } = parse(subject);
  const [a, b, c] = v;
  switch (trick) {
    case 'wrong-object':
      return `mục tham chiếu của đối tượng ${a} trỏ vào dữ liệu của đối tượng ${b}: trình xem PDF sẽ hiển thị đối tượng khác với đối tượng đã ký`;
    case 'no-object':
      return `mục tham chiếu của đối tượng ${a} trỏ vào vị trí ${b}, nơi không có đối tượng nào`;
    case 'into-signed':
      return `mục tham chiếu của đối tượng ${a} trỏ ngược vào phần đã ký (phiên bản ${b}) tại chỗ không phải định nghĩa của chính đối tượng đó`;
    case 'stream-index':
      return `mục tham chiếu của đối tượng ${a} chỉ vào luồng đối tượng ${b} ở vị trí chứa đối tượng khác`;
    case 'generation':
      return `đối tượng ${a} đổi số thế hệ từ ${b} sang ${c}: các trình xem PDF có thể hiển thị những đối tượng khác nhau`;
    case 'defined-twice':
      return `đối tượng ${a} được định nghĩa hai lần với nội dung khác nhau trong cùng phiên bản`;
    case 'hybrid-disagrees':
      return `bảng tham chiếu và luồng tham chiếu (tệp lai) chỉ đối tượng ${a} vào hai chỗ khác nhau`;
    case 'prev-loop':
      return `chuỗi /Prev của bảng tham chiếu quay vòng (tại vị trí ${a})`;
    case 'prev-gap':
      return `/Prev của bảng tham chiếu bỏ qua phiên bản trước đó (trỏ tới vị trí ${a}, thuộc phiên bản ${b})`;
    case 'no-prev':
      return `bảng tham chiếu không có /Prev, cắt rời các phiên bản trước (đến phiên bản ${a})`;
    case 'chain-broken':
      return 'chuỗi bảng tham chiếu bị đứt';
    case 'repaired':
      return 'bảng tham chiếu hỏng, trình xem PDF phải dựng lại và có thể hiển thị nội dung khác với nội dung đã ký';
    default:
      return `bảng tham chiếu bất thường (${subject})`;
  }
}

export function crossReferenceTrickEn(subject: string): string {
  const { trick, v } = parse(subject);
  const [a, b, c] = v;
  switch (trick) {
    case 'wrong-object':
      return `the cross-reference entry of object ${a} points at the bytes of object ${b}: a PDF viewer shows another object than the one signed`;
    case 'no-object':
      return `the cross-reference entry of object ${a} points at offset ${b}, where there is no object`;
    case 'into-signed':
      return `the cross-reference entry of object ${a} points back into the signed part (revision ${b}) at something other than that object's own definition`;
    case 'stream-index':
      return `the cross-reference entry of object ${a} points into object stream ${b} at a position holding another object`;
    case 'generation':
      return `object ${a} changes generation from ${b} to ${c}: PDF viewers may show different objects`;
    case 'defined-twice':
      return `object ${a} is defined twice with different content in the same revision`;
    case 'hybrid-disagrees':
      return `the cross-reference table and stream of this hybrid file point object ${a} at different places`;
    case 'prev-loop':
      return `the cross-reference /Prev chain loops (at offset ${a})`;
    case 'prev-gap':
      return `the cross-reference /Prev skips the previous revision (it points at offset ${a}, in revision ${b})`;
    case 'no-prev':
      return `the cross-reference has no /Prev and cuts off the earlier revisions (up to revision ${a})`;
    case 'chain-broken':
      return 'the chain of cross-reference sections is broken';
    case 'repaired':
      return 'the cross-reference is broken: a PDF viewer must rebuild it and may show other content than what was signed';
    default:
      return `unusual cross-reference (${subject})`;
  }
}
