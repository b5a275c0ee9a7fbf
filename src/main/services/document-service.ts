// document.*: opening a PDF the user chose, range reads for the viewer (pdf.js asks for the ranges
// it needs, so page 1 of a 200 MB scan shows without reading the file whole), and the proposed place
// of a signature box.
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { KysoError } from '../../shared/errors.js';
import type { Placement } from '../../shared/contract/index.js';
import {
  documentLayout,
  loadAppearanceSettings,
  placeAppearance,
  type AppearanceTemplate,
} from '../../signing/appearance-api.js';
import { loadEffectiveSettings } from '../../signing/settings.js';
import type { DocumentTable } from './document-table.js';
import { suggestedOutput, type OutputRule } from './output-name.js';
import { readRange } from './read-range.js';
import type { Handlers } from './service-types.js';

/**
 * Where the personal signature goes on a Vietnamese administrative document: under the signer's
 * title in the signature block (Decree 30, Appendix I). The last page that has one wins.
 */
export const SIGNATURE_ANCHORS = ['CHỦ TỊCH', 'GIÁM ĐỐC', 'THỦ TRƯỞNG'] as const;

/** A readable regular file, or INPUT_NOT_FOUND / INPUT_UNREADABLE. */
export async function inputFile(file: string): Promise<{ path: string; size: number }> {
  const resolved = path.resolve(file);
  const info = await stat(resolved).catch((err: NodeJS.ErrnoException) => {
    throw new KysoError(
      err.code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'INPUT_UNREADABLE',
      `cannot stat ${file}`,
      {
        details: { path: resolved },
      },
    );
  });
  if (!info.isFile()) {
    throw new KysoError('INPUT_UNREADABLE', `${file} is not a file`, { details: { path: resolved } });
  }
  return { path: resolved, size: info.size };
}

async function suggestPlacement(file: string, template: AppearanceTemplate): Promise<Placement | null> {
  const settings = await loadAppearanceSettings();
  // The seal goes over the signature it confirms and the text block in the corner: the engine's own
  // default places them; only the personal signature looks for the signer's title (the office's
  // own from the settings first, then the usual ones).
  if (template === 'personal') {
    const { anchorText } = (await loadEffectiveSettings()).settings.signing;
    const anchors = anchorText.trim() === '' ? SIGNATURE_ANCHORS : [anchorText.trim(), ...SIGNATURE_ANCHORS];
    for (const anchor of anchors) {
      try {
        return await placeAppearance(file, { template, settings, anchor });
      } catch (err) {
        if (!(err instanceof KysoError && err.code === 'ANCHOR_NOT_FOUND')) throw err;
      }
    }
  }
  try {
    return await placeAppearance(file, { template, settings });
  } catch (err) {
    // A page too small for the template's box: no proposal, the user draws one.
    if (err instanceof KysoError && err.code === 'RECT_OUTSIDE_PAGE') return null;
    throw err;
  }
}

/** Where signed copies go, from the settings' "Mặc định khi ký". */
async function outputRule(): Promise<OutputRule> {
  const { signing } = (await loadEffectiveSettings()).settings;
  return { folder: signing.outputFolder, suffix: signing.outputSuffix };
}

export function documentHandlers(
  documents: DocumentTable,
): Handlers<
  'document.open' | 'document.read' | 'document.readMany' | 'document.close' | 'document.suggestPlacement'
> {
  return {
    'document.open': async ({ path: requested }) => {
      const { path: file, size } = await inputFile(requested);
      const layout = await documentLayout(file);
      const documentId = documents.open(file);
      return {
        documentId,
        path: file,
        name: path.basename(file),
        size,
        pageCount: layout.pages.length,
        pages: layout.pages,
        signatureCount: layout.signatureCount,
        suggestedOutput: await suggestedOutput(file, await outputRule()),
      };
    },
    'document.read': async ({ documentId, offset, length }) => {
      const file = documents.pathOf(documentId);
      const handle = await open(file, 'r').catch(() => {
        throw new KysoError('INPUT_UNREADABLE', `cannot open ${file}`, { details: { path: file } });
      });
      try {
        return await readRange(handle, (await handle.stat()).size, offset, length);
      } finally {
        await handle.close();
      }
    },
    'document.readMany': async ({ documentId, ranges }) => {
      const file = documents.pathOf(documentId);
      const handle = await open(file, 'r').catch(() => {
        throw new KysoError('INPUT_UNREADABLE', `cannot open ${file}`, { details: { path: file } });
      });
      try {
        const { size } = await handle.stat();
        const parts = await Promise.all(
          ranges.map(async (r) => (await readRange(handle, size, r.offset, r.length)).bytes),
        );
        return { parts, size };
      } finally {
        await handle.close();
      }
    },
    'document.close': async ({ documentId }) => {
      documents.close(documentId);
      return {};
    },
    'document.suggestPlacement': async ({ documentId, template }) =>
      suggestPlacement(documents.pathOf(documentId), template),
  };
}
