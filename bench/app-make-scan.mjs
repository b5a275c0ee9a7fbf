#!/usr/bin/env node
// A scanned dossier for the app's benchmark: `node bench/app-make-scan.mjs OUT.pdf PAGES SIZE_MB`.
// Each page shows one uncompressed RGB image of noise (scans do not compress), sized so that the
// file reaches SIZE_MB over PAGES pages; written as a stream, so little memory is needed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

const [out, pagesArg, sizeArg] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: node bench/app-make-scan.mjs OUT.pdf [PAGES=120] [SIZE_MB=200]\n');
  process.exit(2);
}
const pages = Number(pagesArg ?? 120);
const perPage = (Number(sizeArg ?? 200) * 1024 * 1024) / pages;
// A4 proportions (1 : 1.414), three bytes a pixel.
const W = Math.round(Math.sqrt(perPage / 3 / 1.414));
const H = Math.round(W * 1.414);
const imageBytes = W * H * 3;

const fd = fs.openSync(out, 'w');
let pos = 0;
const offsets = [];
const write = (data) => {
  const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  fs.writeSync(fd, b);
  pos += b.length;
};
const obj = (num, body) => {
  offsets[num] = pos;
  write(`${num} 0 obj\n${body}\nendobj\n`);
};
write('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
// 1: catalog, 2: pages, then per page i: page 3+3i, content 4+3i, image 5+3i
const kids = Array.from({ length: pages }, (_, i) => `${3 + 3 * i} 0 R`).join(' ');
obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
obj(2, `<< /Type /Pages /Count ${pages} /Kids [${kids}] >>`);
for (let i = 0; i < pages; i++) {
  const page = 3 + 3 * i;
  obj(
    page,
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /XObject << /Im0 ${page + 2} 0 R >> >> /Contents ${page + 1} 0 R >>`,
  );
  const content = 'q 595.28 0 0 841.89 0 0 cm /Im0 Do Q';
  obj(page + 1, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  offsets[page + 2] = pos;
  write(
    `${page + 2} 0 obj\n<< /Type /XObject /Subtype /Image /Width ${W} /Height ${H} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${imageBytes} >>\nstream\n`,
  );
  write(randomBytes(imageBytes));
  write('\nendstream\nendobj\n');
}
const size = 3 + 3 * pages;
const xref = pos;
let table = `xref\n0 ${size}\n0000000000 65535 f \n`;
for (let n = 1; n < size; n++) table += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
write(table);
write(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
fs.closeSync(fd);
process.stdout.write(`${out}: ${pages} pages, ${(pos / 1024 / 1024).toFixed(1)} MiB\n`);
