// The documents the end-to-end tests open: the sample decision (with "CHỦ TỊCH") and a signed
// document changed afterwards the way an attacker would.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PdfDict, PdfRef, PdfStream } from '../../../src/signing/pdf/index.js';
import {
  HIDDEN_TEXT,
  OBJ,
  appendUpdate,
  shadowReadyPdf,
  signAs,
} from '../../signing/verify/sample-documents.js';

const root = path.resolve(import.meta.dirname, '../../..');

export function writeDecision(file: string): void {
  execFileSync(process.execPath, [path.join(root, 'fixtures/documents/make-decision.mjs'), file]);
}

/**
 * A decision signed by the chairman's test identity, then changed by a later incremental update that
 * replaces what the page shows (an "incremental saving attack").
 */
export async function writeTampered(dir: string): Promise<string> {
  const base = path.join(dir, 'goc.pdf');
  const signed = path.join(dir, 'da-ky.pdf');
  const tampered = path.join(dir, 'bi-sua.pdf');
  writeFileSync(base, shadowReadyPdf());
  await signAs('chairman-rsa2048', base, signed);
  await appendUpdate(signed, tampered, async (_reader, update) => {
    update.set(
      new PdfRef(OBJ.contents, 0),
      PdfStream.fromBytes(
        new PdfDict(),
        Buffer.from(`BT /F1 16 Tf 72 760 Td (${HIDDEN_TEXT}) Tj ET`, 'latin1'),
      ),
    );
  });
  return tampered;
}
