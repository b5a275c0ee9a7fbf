// Builds a sample of every attack class of pdf-insecurity.org against a document Kyso signed
// (shadowReadyPdf signed once): incremental saving attacks, signature wrapping, universal
// signature forgery, and the shadow attacks (hide, replace, hide-and-replace, plus optional content
// and annotation appearance variants). Each attack appends to, or rewrites the unsigned gap of, the
// signed file, as an attacker would; the signed bytes are never re-signed.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  PdfArray,
  PdfDict,
  PdfRef,
  PdfStream,
  PdfString,
  pdfArray,
  pdfDict,
  pdfInt,
  pdfName,
  type PdfReader,
} from '../../../src/signing/pdf/index.js';
import type { ChangeKind } from '../../../src/signing/verify/verification-report.js';
import { appendUpdate, HIDDEN_TEXT, lastByteRange, OBJ } from './sample-documents.js';

export interface AttackSample {
  readonly name: string;
  readonly attackClass:
    | 'incremental-saving'
    | 'signature-wrapping'
    | 'universal-forgery'
    | 'shadow-hide'
    | 'shadow-replace'
    | 'shadow-hide-and-replace';
  readonly file: string;
  /** The revision the attack added (the original is 1, Kyso's signature 2). */
  readonly revision: number;
  /** A change the verifier must name, when the attack is a later revision. */
  readonly change?: ChangeKind;
}

const ref = (n: number): PdfRef => new PdfRef(n, 0);

function contentStream(text: string): PdfStream {
  return PdfStream.fromBytes(new PdfDict(), Buffer.from(text, 'latin1'));
}

async function dictOf(reader: PdfReader, n: number): Promise<PdfDict> {
  const v = await reader.getObject(ref(n));
  if (!(v instanceof PdfDict)) throw new Error(`object ${n} is not a dictionary`);
  return v.clone();
}

/** The reference of the signature dictionary of the (single) signed field. */
async function signatureRef(reader: PdfReader): Promise<PdfRef> {
  const field = (await reader.fields()).find((f) => f.fieldType === 'Sig');
  const v = field?.dict.get('V');
  if (!(v instanceof PdfRef)) throw new Error('no signature value');
  return v;
}

/** Every attack sample of `signed`, written into `dir`. */
export async function buildAttackSamples(signed: string, dir: string): Promise<AttackSample[]> {
  const out = (name: string): string => path.join(dir, `${name}.pdf`);
  const samples: AttackSample[] = [];
  const update = async (
    name: string,
    attackClass: AttackSample['attackClass'],
    change: ChangeKind | undefined,
    build: (reader: PdfReader, set: (n: number, value: PdfDict | PdfStream) => void) => Promise<void>,
  ): Promise<void> => {
    await appendUpdate(signed, out(name), async (reader, u) =>
      build(reader, (n, value) => u.set(ref(n), value)),
    );
    samples.push({ name, attackClass, file: out(name), revision: 3, ...(change ? { change } : {}) });
  };

  // Incremental saving attacks: a later update changes what the page shows.
  await update('isa-replace-content', 'incremental-saving', 'page-content-changed', async (_r, set) => {
    set(OBJ.contents, contentStream(`BT /F1 16 Tf 72 760 Td (${HIDDEN_TEXT}) Tj ET`));
  });
  await update('isa-new-contents', 'incremental-saving', 'page-content-changed', async (reader, set) => {
    const page = await dictOf(reader, OBJ.page);
    set(50, contentStream(`BT /F1 16 Tf 72 600 Td (${HIDDEN_TEXT}) Tj ET`));
    page.set('Contents', pdfArray(ref(OBJ.contents), ref(50)));
    set(OBJ.page, page);
  });
  await update('isa-add-page', 'incremental-saving', 'pages-changed', async (reader, set) => {
    const pages = await dictOf(reader, OBJ.pages);
    set(51, contentStream(`BT /F1 16 Tf 72 760 Td (${HIDDEN_TEXT}) Tj ET`));
    set(
      52,
      pdfDict({
        Type: pdfName('Page'),
        Parent: ref(OBJ.pages),
        MediaBox: pdfArray(pdfInt(0), pdfInt(0), pdfInt(595), pdfInt(842)),
        Contents: ref(51),
      }),
    );
    pages.set('Kids', pdfArray(ref(OBJ.page), ref(52)));
    pages.set('Count', pdfInt(2));
    set(OBJ.pages, pages);
  });
  {
    // Objects appended after %%EOF without a cross-reference: a repairing viewer shows them.
    const data = `BT /F1 16 Tf 72 760 Td (${HIDDEN_TEXT}) Tj ET`;
    const body = `\n${OBJ.contents} 0 obj\n<< /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n`;
    writeFileSync(out('isa-no-xref'), Buffer.concat([readFileSync(signed), Buffer.from(body, 'latin1')]));
    samples.push({
      name: 'isa-no-xref',
      attackClass: 'incremental-saving',
      file: out('isa-no-xref'),
      revision: 3,
      change: 'appended-data',
    });
  }

  // Signature wrapping: new objects hidden in the unsigned gap (after the CMS, in the zero
  // padding of /Contents), made live by a later cross-reference section.
  {
    const bytes = readFileSync(signed);
    const [, b, c] = lastByteRange(bytes);
    const hex = bytes.toString('latin1', b + 1, c - 1);
    const used = hex.replace(/0+$/, '').length + 8; // keep the CMS and a little of its padding
    const injectedAt = b + 1 + used;
    const data = `BT /F1 16 Tf 72 760 Td (${HIDDEN_TEXT}) Tj ET`;
    const obj = `> 60 0 obj\n<< /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n`;
    if (injectedAt + obj.length >= c - 1)
      throw new Error('the /Contents padding is too small for the wrapping sample');
    const wrapped = Buffer.from(bytes);
    wrapped.write(obj.padEnd(c - 1 - injectedAt, ' '), injectedAt, 'latin1');
    const objOffset = injectedAt + 2;
    // The new page points at the hidden object; a classic section lists both.
    const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(bytes.toString('latin1'))?.[1]);
    const pageText =
      bytes
        .toString('latin1')
        .match(new RegExp(`(?:^|\\n)${OBJ.page} 0 obj\\n([\\s\\S]*?)\\nendobj`, 'g'))
        ?.at(-1) ?? '';
    const newPage = pageText
      .replace(/^\n?\d+ 0 obj\n/, '')
      .replace(/\nendobj$/, '')
      .replace(/\/Contents \d+ 0 R/, '/Contents 60 0 R');
    const pageObj = `${OBJ.page} 0 obj\n${newPage}\nendobj\n`;
    const pageOffset = wrapped.length;
    const xrefOffset = pageOffset + pageObj.length;
    const size = Number(/\/Size (\d+)/.exec(bytes.toString('latin1').slice(-2048))?.[1] ?? 61);
    const xref =
      `xref\n${OBJ.page} 1\n${String(pageOffset).padStart(10, '0')} 00000 n \n60 1\n${String(objOffset).padStart(10, '0')} 00000 n \n` +
      `trailer\n<< /Size ${Math.max(size, 61)} /Root ${OBJ.catalog} 0 R /Prev ${startxref} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
    writeFileSync(out('signature-wrapping'), Buffer.concat([wrapped, Buffer.from(pageObj + xref, 'latin1')]));
    samples.push({
      name: 'signature-wrapping',
      attackClass: 'signature-wrapping',
      file: out('signature-wrapping'),
      revision: 3,
    });
  }

  // Universal signature forgery: a later update replaces the signature dictionary with one whose
  // /ByteRange or /Contents is missing, empty or pointing elsewhere, and changes the content.
  const forge = async (name: string, edit: (sig: PdfDict) => void): Promise<void> => {
    await update(name, 'universal-forgery', 'signature-changed', async (reader, set) => {
      const sigRef = await signatureRef(reader);
      const sig = await dictOf(reader, sigRef.num);
      edit(sig);
      set(sigRef.num, sig);
      set(OBJ.contents, contentStream(`BT /F1 16 Tf 72 760 Td (${HIDDEN_TEXT}) Tj ET`));
    });
  };
  await forge('usf-no-byterange', (sig) => sig.delete('ByteRange'));
  await forge('usf-null-byterange', (sig) => sig.set('ByteRange', null));
  await forge('usf-byterange-elsewhere', (sig) =>
    sig.set('ByteRange', pdfArray(pdfInt(0), pdfInt(10), pdfInt(20), pdfInt(30))),
  );
  await forge('usf-no-contents', (sig) => sig.delete('Contents'));
  await forge('usf-empty-contents', (sig) => sig.set('Contents', new PdfString(Buffer.alloc(0), true)));
  await forge('usf-zero-contents', (sig) => sig.set('Contents', new PdfString(Buffer.alloc(256), true)));

  // Shadow attacks: content prepared before signing, revealed by an "innocent-looking" update.
  await update('shadow-hide-xobject', 'shadow-hide', 'page-content-changed', async (_r, set) => {
    // The opaque cover becomes an empty form: the text under it appears.
    set(
      OBJ.cover,
      PdfStream.fromBytes(
        pdfDict({
          Type: pdfName('XObject'),
          Subtype: pdfName('Form'),
          BBox: pdfArray(pdfInt(0), pdfInt(0), pdfInt(1), pdfInt(1)),
        }),
        Buffer.alloc(0),
      ),
    );
  });
  await update('shadow-hide-ocg', 'shadow-hide', 'object-changed', async (_r, set) => {
    // Optional content switched on: the layer's text appears.
    set(
      OBJ.ocProperties,
      pdfDict({
        OCGs: pdfArray(ref(OBJ.ocg)),
        D: pdfDict({ Order: pdfArray(ref(OBJ.ocg)), ON: pdfArray(ref(OBJ.ocg)) }),
      }),
    );
  });
  await update('shadow-replace-font', 'shadow-replace', 'page-content-changed', async (reader, set) => {
    const font = await dictOf(reader, OBJ.font);
    font.set('BaseFont', pdfName('Courier'));
    set(OBJ.font, font);
  });
  await update('shadow-replace-annotation', 'shadow-replace', 'annotation-changed', async (_r, set) => {
    // The annotation's appearance grows into an opaque box with other text over the page.
    const ap = PdfStream.fromBytes(
      pdfDict({
        Type: pdfName('XObject'),
        Subtype: pdfName('Form'),
        BBox: pdfArray(pdfInt(0), pdfInt(0), pdfInt(100), pdfInt(50)),
        Resources: pdfDict({ Font: pdfDict({ F1: ref(OBJ.font) }) }),
      }),
      Buffer.from(`1 1 1 rg 0 0 100 50 re f BT /F1 8 Tf 2 20 Td (${HIDDEN_TEXT}) Tj ET`, 'latin1'),
    );
    set(OBJ.annotationAppearance, ap);
  });
  await update(
    'shadow-hide-and-replace',
    'shadow-hide-and-replace',
    'page-content-changed',
    async (reader, set) => {
      // The page now shows the alternative content stream that was in the signed file all along.
      const page = await dictOf(reader, OBJ.page);
      page.set('Contents', ref(OBJ.shadowContents));
      set(OBJ.page, page);
    },
  );
  return samples;
}

/** An update that adds a Document Security Store with the test PKI's certificates and CRLs. */
export async function addDss(
  signed: string,
  output: string,
  files: { certificates: string[]; crls: string[] },
): Promise<void> {
  await appendUpdate(signed, output, async (reader, u) => {
    const streams = (paths: string[]): PdfArray =>
      new PdfArray(
        paths.map((p) => {
          const r = u.allocate();
          u.set(r, PdfStream.fromBytes(new PdfDict(), readFileSync(p)));
          return r;
        }),
      );
    const dssRef = u.allocate();
    u.set(
      dssRef,
      pdfDict({ Type: pdfName('DSS'), Certs: streams(files.certificates), CRLs: streams(files.crls) }),
    );
    const catalog = (await reader.catalog()).clone();
    catalog.set('DSS', dssRef);
    const root = reader.trailer.getRef('Root');
    if (root === undefined) throw new Error('no catalog reference');
    u.set(root, catalog);
  });
}
