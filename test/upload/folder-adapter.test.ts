// The shared-folder adapter: the PDF and its sidecar appear whole (no temporary file left), a
// second delivery of the same document is recognised, a crash between the PDF and its sidecar is
// completed on retry, another document of the same name is not overwritten, and a share that
// cannot be written is a permanent failure.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FolderAdapter } from '../../src/signing/upload/folder-adapter.js';
import { idempotencyKey } from '../../src/signing/upload/idempotency-key.js';
import { sha256File } from '../../src/signing/upload/queue-document.js';
import type { DeliveryRequest } from '../../src/signing/upload/upload-types.js';
import { DOSSIER, makeSignedResults } from './upload-documents.js';

let root: string;
let docs: string[];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kyso-folder-'));
  docs = await makeSignedResults(path.join(root, 'docs'), 2);
});

async function request(
  file: string,
  share: string,
  fileName = path.basename(file),
): Promise<DeliveryRequest> {
  const { sha256, size } = await sha256File(file);
  return {
    file,
    metadata: {
      dossierCode: DOSSIER,
      fileName,
      documentNumber: null,
      documentType: null,
      signer: null,
      signingTime: null,
      sha256,
      size,
      idempotencyKey: idempotencyKey({ kind: 'folder', path: share }, DOSSIER, sha256),
    },
  };
}

describe('shared-folder adapter', () => {
  it('writes the PDF then its sidecar, and recognises the same delivery again', async () => {
    const share = path.join(root, 'share1');
    const adapter = new FolderAdapter(share);
    const req = await request(docs[0] as string, share);
    expect(await adapter.deliver(req)).toMatchObject({ kind: 'delivered', already: false });
    const dir = path.join(share, DOSSIER);
    expect(readdirSync(dir).sort()).toEqual(['result-0000.pdf', 'result-0000.pdf.json']);
    expect(JSON.parse(readFileSync(path.join(dir, 'result-0000.pdf.json'), 'utf8'))).toMatchObject({
      idempotencyKey: req.metadata.idempotencyKey,
      sha256: req.metadata.sha256,
    });
    expect(await adapter.deliver(req)).toMatchObject({ kind: 'delivered', already: true });
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('completes a delivery cut between the PDF and its sidecar', async () => {
    const share = path.join(root, 'share2');
    const dir = path.join(share, DOSSIER);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'result-0000.pdf'), readFileSync(docs[0] as string));
    const outcome = await new FolderAdapter(share).deliver(await request(docs[0] as string, share));
    expect(outcome).toMatchObject({ kind: 'delivered', already: true });
    expect(readdirSync(dir).sort()).toEqual(['result-0000.pdf', 'result-0000.pdf.json']);
  });

  it('never overwrites another document of the same name', async () => {
    const share = path.join(root, 'share3');
    const adapter = new FolderAdapter(share);
    await adapter.deliver(await request(docs[0] as string, share, 'ket-qua.pdf'));
    const second = await request(docs[1] as string, share, 'ket-qua.pdf');
    expect(await adapter.deliver(second)).toMatchObject({ kind: 'delivered', already: false });
    const dir = path.join(share, DOSSIER);
    const marked = `ket-qua-${second.metadata.idempotencyKey.slice(5, 13)}.pdf`;
    expect(readdirSync(dir).sort()).toEqual(
      ['ket-qua.pdf', 'ket-qua.pdf.json', marked, `${marked}.json`].sort(),
    );
    expect(readFileSync(path.join(dir, 'ket-qua.pdf'))).toEqual(readFileSync(docs[0] as string));
    expect(readFileSync(path.join(dir, marked))).toEqual(readFileSync(docs[1] as string));
  });

  it('a file where the share should be is a permanent failure, nothing written', async () => {
    const share = path.join(root, 'not-a-folder');
    writeFileSync(share, 'x');
    const outcome = await new FolderAdapter(share).deliver(await request(docs[0] as string, share));
    expect(outcome).toMatchObject({ kind: 'failed', code: 'OUTPUT_NOT_WRITABLE' });
  });
});
