// The reference server's signing chain over real HTTP on 127.0.0.1, with signatures made by the
// engine with the test PKI's identities: submit → list by assignee → document → signed (verified on
// receipt by our verifier) → the clerk's number and date → sealed → the result in the dossier; and
// the faults: a non-assignee's session, a changed document, a withdrawn request, a declined request
// signed anyway, a second clerk, two clerks reserving at once.
import { createHash, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnestopServer, type OnestopServer } from '../../src/onestop/onestop-server.js';
import { openP12 } from '../../src/signing/identity/index.js';
import { signPdf } from '../../src/signing/sign/sign-pdf.js';
import { expectKysoVerifies, expectPdfsigValid, qpdfCheck } from '../support/signed-output.js';
import { identity, pkiFile } from '../support/fixtures.js';
import { DOSSIER, testTrust } from '../upload/upload-documents.js';
import { plainPdf } from '../signing/inbox/inbox-support.js';

const OFFICER = 'officer-token-123456';
let root: string;
let server: OnestopServer;
let dataDir: string;
let seq = 0;

const der = (id: string): Buffer => readFileSync(pkiFile(identity(id).certDer));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-chain-'));
  server = await startOnestopServer({
    dataDir: (dataDir = path.join(root, 'data')),
    staticCredentials: { officer: OFFICER },
    trust: testTrust(),
  });
});
afterAll(async () => server?.close());

async function submit(title: string, clerks = ['clerk-p384']): Promise<{ id: string; sha256: string }> {
  const form = new FormData();
  form.set(
    'metadata',
    new Blob(
      [
        JSON.stringify({
          dossierCode: DOSSIER,
          documentType: 'Quyết định',
          title,
          chain: [
            { kind: 'approve', certificates: [der('chairman-rsa2048').toString('base64')] },
            { kind: 'issue', certificates: clerks.map((c) => der(c).toString('base64')) },
          ],
        }),
      ],
      { type: 'application/json' },
    ),
  );
  form.set('file', new Blob([plainPdf(title)], { type: 'application/pdf' }), 'qd.pdf');
  const res = await fetch(`${server.url}/signing-requests`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OFFICER}` },
    body: form,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; sha256: string };
}

/** Challenge–response: the key of `id` signs the server's nonce; the session token comes back. */
async function session(id: string, digest: string, scheme: string): Promise<string> {
  const c = await fetch(`${server.url}/auth/challenge`, {
    method: 'POST',
    body: JSON.stringify({ certificate: der(id).toString('base64') }),
  });
  expect(c.status).toBe(200);
  const { nonce, challenge } = (await c.json()) as { nonce: string; challenge: string };
  const key = readFileSync(pkiFile(identity(id).key));
  const signature = sign(digest, Buffer.from(challenge, 'utf8'), { key, dsaEncoding: 'der' });
  const s = await fetch(`${server.url}/auth/session`, {
    method: 'POST',
    body: JSON.stringify({ nonce, signature: signature.toString('base64'), digest, scheme }),
  });
  expect(s.status).toBe(200);
  const body = (await s.json()) as { token: string; certificate: string };
  expect(body.certificate).toBe(sha(der(id)));
  return body.token;
}

const auth = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

async function download(token: string, id: string): Promise<Buffer> {
  const res = await fetch(`${server.url}/signing-requests/${id}/document`, { headers: auth(token) });
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(res.headers.get('x-document-sha256')).toBe(sha(bytes));
  return bytes;
}

async function signAs(idName: string, input: Buffer): Promise<Buffer> {
  const dir = mkdtempSync(path.join(root, 'sign-'));
  writeFileSync(path.join(dir, 'in.pdf'), input);
  const signer = await openP12(pkiFile(identity(idName).p12), identity(idName).p12Password);
  await signPdf({
    input: path.join(dir, 'in.pdf'),
    output: path.join(dir, 'out.pdf'),
    signer,
    options: { reason: 'Kyso chain test' },
  });
  return readFileSync(path.join(dir, 'out.pdf'));
}

async function postSigned(
  token: string,
  id: string,
  file: Buffer,
  meta: Record<string, unknown>,
  key = `key-${id}-${++seq}`,
): Promise<Response> {
  const form = new FormData();
  form.set(
    'metadata',
    new Blob([JSON.stringify({ sha256: sha(file), ...meta })], { type: 'application/json' }),
  );
  form.set('file', new Blob([file], { type: 'application/pdf' }), 'signed.pdf');
  return fetch(`${server.url}/signing-requests/${id}/signed`, {
    method: 'POST',
    headers: { ...auth(token), 'Idempotency-Key': key },
    body: form,
  });
}

async function reserve(token: string, id: string): Promise<Response> {
  return fetch(`${server.url}/signing-requests/${id}/issue`, {
    method: 'POST',
    headers: auth(token),
    body: '{}',
  });
}

describe('the signing chain on the reference server', () => {
  it('submit → approve → number and date → sealed → the result in its dossier', async () => {
    const request = await submit('Quyet dinh chain 1');
    const chairman = await session('chairman-rsa2048', 'sha256', 'rsa-pkcs1');
    const list = (await (
      await fetch(`${server.url}/signing-requests?assignee=me`, { headers: auth(chairman) })
    ).json()) as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toContain(request.id);

    const original = await download(chairman, request.id);
    expect(sha(original)).toBe(request.sha256);
    const approved = await signAs('chairman-rsa2048', original);
    const key = `approve-${request.id}`;
    const ok = await postSigned(chairman, request.id, approved, { baseSha256: request.sha256 }, key);
    expect(ok.status).toBe(201);
    // The same key again: already delivered, nothing stored twice.
    const again = await postSigned(chairman, request.id, approved, { baseSha256: request.sha256 }, key);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('INBOX_ALREADY_DELIVERED');

    const clerk = await session('clerk-p384', 'sha384', 'ecdsa');
    const r = await reserve(clerk, request.id);
    expect(r.status).toBe(201);
    const issue = (await r.json()) as { number: string; issuedDate: string; year: number };
    expect(issue.number).toBe('0001/QĐ-UBND'); // the first of the book this year
    expect(issue.issuedDate).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    const current = await download(clerk, request.id);
    expect(current.equals(approved)).toBe(true);
    const sealed = await signAs('clerk-p384', current);
    const wrongNumber = await postSigned(clerk, request.id, sealed, { documentNumber: '9999/1999' });
    expect(((await wrongNumber.json()) as { code: string }).code).toBe('INBOX_NUMBER_MISMATCH');
    const done = await postSigned(clerk, request.id, sealed, { documentNumber: issue.number });
    expect(done.status).toBe(201);
    const view = (await done.json()) as { state: string; receiptId: string };
    expect(view.state).toBe('done');

    const receipt = server.store.byKey(`signing-request-${request.id}`);
    expect(receipt?.dossierCode).toBe(DOSSIER);
    expect(receipt?.metadata['documentNumber']).toBe(issue.number);
    const file = path.join(root, 'result.pdf');
    writeFileSync(file, sealed);
    await expectKysoVerifies(file);
    await expectPdfsigValid(file, 2);
    await qpdfCheck(file);
  }, 120_000);

  it('refuses a non-assignee, a changed document, a withdrawn and a declined request', async () => {
    const request = await submit('Quyet dinh chain 2');
    // The clerk's session cannot sign the chairman's step, nor see it in its pending list.
    const clerk = await session('clerk-p384', 'sha384', 'ecdsa');
    const chairman = await session('chairman-rsa2048', 'sha256', 'rsa-pkcs1');
    const original = await download(chairman, request.id);
    const byClerk = await signAs('clerk-p384', original);
    const notAssignee = await postSigned(clerk, request.id, byClerk, {});
    expect(((await notAssignee.json()) as { code: string }).code).toBe('INBOX_NOT_ASSIGNEE');
    const decl = await fetch(`${server.url}/signing-requests/${request.id}/decline`, {
      method: 'POST',
      headers: auth(clerk),
      body: JSON.stringify({ reason: 'không phải của tôi' }),
    });
    expect(((await decl.json()) as { code: string }).code).toBe('INBOX_NOT_ASSIGNEE');

    // The officer replaces the document: what the chairman signed no longer extends it.
    const signed = await signAs('chairman-rsa2048', original);
    const put = await fetch(`${server.url}/signing-requests/${request.id}/document`, {
      method: 'PUT',
      headers: auth(OFFICER),
      body: plainPdf('Quyet dinh chain 2 sua'),
    });
    expect(put.status).toBe(200);
    const changed = await postSigned(chairman, request.id, signed, { baseSha256: request.sha256 });
    expect(changed.status).toBe(412);
    expect(((await changed.json()) as { code: string }).code).toBe('INBOX_DOCUMENT_CHANGED');

    // Declined with a reason: back to the officer, and a signature sent afterwards is refused.
    const declined = await fetch(`${server.url}/signing-requests/${request.id}/decline`, {
      method: 'POST',
      headers: auth(chairman),
      body: JSON.stringify({ reason: 'Thiếu căn cứ pháp lý' }),
    });
    expect(declined.status).toBe(200);
    const officerView = (await (
      await fetch(`${server.url}/signing-requests/${request.id}`, { headers: auth(OFFICER) })
    ).json()) as { state: string; declineReason: string };
    expect(officerView).toMatchObject({ state: 'declined', declineReason: 'Thiếu căn cứ pháp lý' });
    const current = await download(chairman, request.id);
    const late = await postSigned(chairman, request.id, await signAs('chairman-rsa2048', current), {});
    expect(((await late.json()) as { code: string }).code).toBe('INBOX_DECLINED');

    // Withdrawn while the chairman was signing.
    const other = await submit('Quyet dinh chain 3');
    const doc = await download(chairman, other.id);
    const w = await fetch(`${server.url}/signing-requests/${other.id}/withdraw`, {
      method: 'POST',
      headers: auth(OFFICER),
    });
    expect(w.status).toBe(200);
    const afterWithdraw = await postSigned(chairman, other.id, await signAs('chairman-rsa2048', doc), {});
    expect(((await afterWithdraw.json()) as { code: string }).code).toBe('INBOX_WITHDRAWN');
    expect(server.store.byKey(`signing-request-${other.id}`)).toBeUndefined();
  }, 120_000);

  it('numbers in sequence: two clerk sessions reserving at once never share a number; asking again keeps it', async () => {
    const chairman = await session('chairman-rsa2048', 'sha256', 'rsa-pkcs1');
    const ids: string[] = [];
    for (const t of ['A', 'B', 'C', 'D']) {
      const req = await submit(`Quyet dinh song song ${t}`);
      const signed = await signAs('chairman-rsa2048', await download(chairman, req.id));
      expect((await postSigned(chairman, req.id, signed, {})).status).toBe(201);
      ids.push(req.id);
    }
    const clerkA = await session('clerk-p384', 'sha384', 'ecdsa');
    const clerkB = await session('clerk-p384', 'sha384', 'ecdsa');
    const answers = await Promise.all(
      ids.map((id, i) => reserve(i % 2 === 0 ? clerkA : clerkB, id).then((r) => r.json())),
    );
    const numbers = answers.map((a) => (a as { number: string }).number);
    expect(new Set(numbers).size).toBe(ids.length);
    const seqs = numbers.map((n) => Number(n.split('/')[0])).sort((a, b) => a - b);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1] as number) + 1);
    // The same reservation asked again gives the same number (no new one spent).
    const again = (await (await reserve(clerkA, ids[0] as string)).json()) as { number: string };
    expect(again.number).toBe(numbers[0]);
  }, 180_000);

  it('a second clerk is refused the number; a server gone mid-chain keeps the chain and its key', async () => {
    const request = await submit('Quyet dinh hai van thu', ['clerk-p384', 'agency-rsa3072']);
    const chairman = await session('chairman-rsa2048', 'sha256', 'rsa-pkcs1');
    const signed = await signAs('chairman-rsa2048', await download(chairman, request.id));
    const key = `approve-restart-${request.id}`;
    expect((await postSigned(chairman, request.id, signed, {}, key)).status).toBe(201);

    // The server goes away after storing (the answer lost, as far as the desktop knows) and comes
    // back on the same data: the same key is recognised, the request is at the issue step.
    await server.close();
    const down = await fetch(`${server.url}/signing-requests`, { headers: auth(OFFICER) }).catch(
      (e: unknown) => e,
    );
    expect(down).toBeInstanceOf(Error);
    server = await startOnestopServer({
      dataDir,
      staticCredentials: { officer: OFFICER },
      trust: testTrust(),
    });
    const chairman2 = await session('chairman-rsa2048', 'sha256', 'rsa-pkcs1');
    const repeat = await postSigned(chairman2, request.id, signed, {}, key);
    expect(repeat.status).toBe(409);
    expect(((await repeat.json()) as { code: string }).code).toBe('INBOX_ALREADY_DELIVERED');
    const view = (await (
      await fetch(`${server.url}/signing-requests/${request.id}`, { headers: auth(OFFICER) })
    ).json()) as { state: string; step: { kind: string } };
    expect(view).toMatchObject({ state: 'pending', step: { kind: 'issue' } });

    const first = await session('clerk-p384', 'sha384', 'ecdsa');
    const second = await session('agency-rsa3072', 'sha256', 'rsa-pkcs1');
    const held = (await (await reserve(first, request.id)).json()) as { number: string };
    const refused = await reserve(second, request.id);
    expect(refused.status).toBe(409);
    expect((await refused.json()) as { code: string; number: string }).toMatchObject({
      code: 'INBOX_ISSUE_TAKEN',
      number: held.number,
    });
    // The second clerk's seal is refused too: one number, one clerk.
    const bySecond = await signAs('agency-rsa3072', await download(second, request.id));
    const sealRefused = await postSigned(second, request.id, bySecond, { documentNumber: held.number });
    expect(((await sealRefused.json()) as { code: string }).code).toBe('INBOX_ISSUE_TAKEN');
    expect(server.store.byKey(`signing-request-${request.id}`)).toBeUndefined();
  }, 180_000);
});
