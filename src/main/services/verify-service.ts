// verify.*: the verifier's report with each signature's box (for highlighting it on the page), the
// printable HTML report, and the document as a signature signed it (a read-only copy to view).
import { randomBytes } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import type { Language, VerifyRunResult } from '../../shared/contract/index.js';
import { signatureBoxes } from '../../signing/appearance-api.js';
import { kysoHome } from '../../signing/settings.js';
import {
  extractRevision,
  loadTrustStore,
  renderVerificationHtml,
  verifyPdf,
  type VerificationReport,
} from '../../signing/verify-api.js';
// The same printable report as `kyso verify --report`: one renderer for both.
import { writeFileAtomic } from './atomic-write.js';
import { inputFile } from './document-service.js';
import type { Handlers } from './service-types.js';

async function verifyFile(
  file: string,
  language: Language,
  signal?: AbortSignal,
): Promise<VerificationReport> {
  return verifyPdf({
    input: file,
    trust: await loadTrustStore(),
    lang: language,
    ...(signal ? { signal } : {}),
  });
}

async function samePath(a: string, b: string): Promise<boolean> {
  const canonical = async (p: string): Promise<string> => realpath(p).catch(() => path.resolve(p));
  return (await canonical(a)) === (await canonical(b));
}

/** Where extracted revisions go: the app's own folder in KYSO_HOME, never next to the user's files. */
export function revisionsDir(home: string = kysoHome()): string {
  return path.join(home, 'app', 'revisions');
}

export function verifyHandlers(): Handlers<'verify.run' | 'verify.saveReport' | 'verify.extractRevision'> {
  return {
    'verify.run': async ({ path: requested }, ctx): Promise<VerifyRunResult> => {
      const { path: file } = await inputFile(requested);
      ctx.progress({ stage: 'verifying' });
      const report = await verifyFile(file, ctx.language, ctx.signal);
      const boxes = await signatureBoxes(file);
      ctx.progress({ stage: 'done' });
      return {
        ...report,
        signatures: report.signatures.map((s) => {
          const box = boxes.find((b) => b.fieldName === s.field);
          return { ...s, widget: box ? { page: box.page, rect: box.rect } : null };
        }),
      };
    },
    'verify.saveReport': async ({ path: requested, output }, ctx) => {
      const { path: file } = await inputFile(requested);
      const target = path.resolve(output);
      if (await samePath(file, target)) {
        throw new KysoError('OUTPUT_SAME_AS_INPUT', 'the report would replace the document', {
          details: { path: target },
        });
      }
      const report = await verifyFile(file, ctx.language, ctx.signal);
      // The save dialog asked before replacing an existing file; the write itself is all or nothing.
      await writeFileAtomic(target, renderVerificationHtml(report, ctx.language)).catch((err: unknown) => {
        throw new KysoError('OUTPUT_NOT_WRITABLE', `cannot write ${target}`, {
          details: { path: path.dirname(target) },
          cause: err,
        });
      });
      return { output: target };
    },
    'verify.extractRevision': async ({ path: requested, revision }, ctx) => {
      const { path: file } = await inputFile(requested);
      const report = await verifyFile(file, ctx.language, ctx.signal);
      const signature = report.signatures.find((s) => s.coverage.revision === revision);
      if (!signature) {
        throw new KysoError('PDF_NOT_SIGNED', `no signature covers revision ${revision}`, {
          details: { path: file, revision },
        });
      }
      const dir = revisionsDir();
      await mkdir(dir, { recursive: true });
      const stem = path.basename(file, path.extname(file));
      const output = path.join(dir, `${stem}-rev${revision}-${randomBytes(4).toString('hex')}.pdf`);
      const result = await extractRevision({ report, signature: signature.index, output });
      return { path: result.output };
    },
  };
}
