// Helpers of the inbox tests: the reference one-stop server on 127.0.0.1 with an officer's static
// credential, documents submitted by the officer (approve by the chairman, issue by the clerk), and
// the officer's own routes (withdraw, replace, view) over real HTTP.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { startOnestopServer, type OnestopServer } from '../../../src/onestop/onestop-server.js';
import { identity, pkiFile } from '../../support/fixtures.js';
import { DOSSIER, testTrust } from '../../upload/upload-documents.js';

export const OFFICER = 'officer-token-123456';
export { DOSSIER };

export const der = (id: string): Buffer => readFileSync(pkiFile(identity(id).certDer));

export async function startServer(dataDir: string, port = 0): Promise<OnestopServer> {
  return await startOnestopServer({
    dataDir,
    port,
    staticCredentials: { officer: OFFICER },
    trust: testTrust(),
  });
}

/** A one-page PDF with `text` on it, written directly. */
export function plainPdf(text: string): Buffer {
  const content = `BT /F1 14 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export interface Submitted {
  readonly id: string;
  readonly sha256: string;
}

/** The officer submits a document: approved by `approver`, issued by `clerks`. */
export async function submit(
  server: { url: string },
  title: string,
  options: { approver?: string; clerks?: readonly string[]; dossier?: string; pdf?: Buffer } = {},
): Promise<Submitted> {
  const chain: { kind: string; certificates: string[] }[] = [
    { kind: 'approve', certificates: [der(options.approver ?? 'chairman-rsa2048').toString('base64')] },
  ];
  const clerks = options.clerks ?? ['clerk-p384'];
  if (clerks.length > 0) {
    chain.push({ kind: 'issue', certificates: clerks.map((c) => der(c).toString('base64')) });
  }
  const form = new FormData();
  form.set(
    'metadata',
    new Blob(
      [
        JSON.stringify({
          dossierCode: options.dossier ?? DOSSIER,
          documentType: 'Quyết định',
          title,
          chain,
        }),
      ],
      { type: 'application/json' },
    ),
  );
  form.set('file', new Blob([options.pdf ?? plainPdf(title)], { type: 'application/pdf' }), 'qd.pdf');
  const res = await fetch(`${server.url}/signing-requests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OFFICER}` },
    body: form,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Submitted;
}

export const officer = { Authorization: `Bearer ${OFFICER}` };

export async function officerView(
  server: { url: string },
  id: string,
): Promise<{
  state: string;
  declineReason: string | null;
  step: { kind: string } | null;
  receiptId: string | null;
  issue: { number: string; issuedDate: string } | null;
}> {
  const res = await fetch(`${server.url}/signing-requests/${id}`, { headers: officer });
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

export async function withdraw(server: { url: string }, id: string): Promise<void> {
  const res = await fetch(`${server.url}/signing-requests/${id}/withdraw`, {
    method: 'POST',
    headers: officer,
  });
  expect(res.status).toBe(200);
}

export async function replaceDocument(server: { url: string }, id: string, text: string): Promise<void> {
  const res = await fetch(`${server.url}/signing-requests/${id}/document`, {
    method: 'PUT',
    headers: officer,
    body: plainPdf(text),
  });
  expect(res.status).toBe(200);
}
