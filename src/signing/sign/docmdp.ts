// Certification (DocMDP, ISO 32000-1 §12.8.2.2): reads whether a document is certified and with
// which permissions, so that signing refuses what would break the certification.
import { PdfArray, PdfDict, PdfNumber, type PdfReader } from '../pdf/index.js';

/** 1 = no changes; 2 = form filling and signing; 3 = also annotations. */
export type DocMdpPermission = 1 | 2 | 3;

export async function readDocMdpPermission(reader: PdfReader): Promise<DocMdpPermission | null> {
  const catalog = await reader.catalog();
  const perms = await reader.resolve(catalog.get('Perms') ?? null);
  if (!(perms instanceof PdfDict)) return null;
  const sig = await reader.resolve(perms.get('DocMDP') ?? null);
  if (!(sig instanceof PdfDict)) return null;
  const refs = await reader.resolve(sig.get('Reference') ?? null);
  if (!(refs instanceof PdfArray)) return 2; // certified, parameters missing: the default is P=2
  for (const item of refs.items) {
    const ref = await reader.resolve(item);
    if (!(ref instanceof PdfDict) || ref.getName('TransformMethod') !== 'DocMDP') continue;
    const params = await reader.resolve(ref.get('TransformParams') ?? null);
    const p = params instanceof PdfDict ? await reader.resolve(params.get('P') ?? null) : null;
    const value = p instanceof PdfNumber ? p.value : 2;
    return value === 1 || value === 3 ? value : 2;
  }
  return 2;
}
