// A scanned dossier for the large-file tests: one page showing one big uncompressed image, the big
// object first so that the page, the catalog and the cross-reference sit at the far end.
import fs from 'node:fs';

/**
 * Writes a one-page PDF whose page shows an image XObject of `imageBytes` bytes (an unfiltered stream
 * written in chunks; 10240 pixels wide). The big object comes first, so the page, the catalog and the xref sit at the far end.
 */
export function writeBigPdf(target: string, imageBytes: number): void {
  const fd = fs.openSync(target, 'w');
  let pos = 0;
  const offsets: number[] = [];
  const put = (data: string | Buffer): void => {
    const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    fs.writeSync(fd, b);
    pos += b.length;
  };
  const obj = (num: number, body: string): void => {
    offsets[num] = pos;
    put(`${num} 0 obj\n${body}\nendobj\n`);
  };
  put('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  // 1: the image, 10240 gray pixels a row.
  offsets[1] = pos;
  put(
    `1 0 obj\n<< /Type /XObject /Subtype /Image /Width 10240 /Height ${Math.ceil(imageBytes / 10240)} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${imageBytes} >>\nstream\n`,
  );
  const chunk = Buffer.alloc(8 * 1024 * 1024, 0x80);
  for (let written = 0; written < imageBytes; written += chunk.length)
    put(chunk.subarray(0, Math.min(chunk.length, imageBytes - written)));
  put('\nendstream\nendobj\n');
  const content = 'q 500 0 0 800 50 20 cm /Im1 Do Q BT /F1 12 Tf 50 820 Td (KYSO-MARKER big p1) Tj ET';
  obj(2, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  obj(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  obj(
    4,
    '<< /Type /Page /Parent 5 0 R /MediaBox [0 0 600 842] /Resources << /XObject << /Im1 1 0 R >> /Font << /F1 3 0 R >> >> /Contents 2 0 R >>',
  );
  obj(5, '<< /Type /Pages /Kids [4 0 R] /Count 1 >>');
  obj(6, '<< /Type /Catalog /Pages 5 0 R >>');
  const xref = pos;
  put('xref\n0 7\n0000000000 65535 f\r\n');
  for (let n = 1; n <= 6; n++) put(`${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`);
  put(`trailer\n<< /Size 7 /Root 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  fs.closeSync(fd);
}
