// The Document Security Store (ETSI EN 319 142-1 §5.4.2, ISO 32000-2 §12.8.4.3): certificates, OCSP
// responses and CRLs a document carries for long-term validation, including the per-signature VRI
// dictionaries.
import { PdfArray, PdfDict, PdfStream, type PdfReader, type PdfValue } from '../pdf/index.js';

export interface DssContents {
  readonly present: boolean;
  readonly certificates: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
}

const MAX_ITEM = 16 * 1024 * 1024;
const MAX_ITEMS = 10_000;

async function streams(reader: PdfReader, value: PdfValue | undefined, out: Uint8Array[]): Promise<void> {
  const arr = await reader.resolve(value ?? null);
  if (!(arr instanceof PdfArray)) return;
  for (const item of arr.items) {
    if (out.length >= MAX_ITEMS) return;
    const s = await reader.resolve(item);
    if (!(s instanceof PdfStream)) continue;
    try {
      const data = await reader.getStreamData(s, { decode: true, maxBytes: MAX_ITEM });
      if (data.remainingFilters.length === 0) out.push(new Uint8Array(data.bytes));
    } catch {
      // a damaged entry is no evidence; skip it
    }
  }
}

export async function readDocumentSecurityStore(reader: PdfReader): Promise<DssContents> {
  const dss = await reader.resolve((await reader.catalog()).get('DSS') ?? null);
  if (!(dss instanceof PdfDict)) return { present: false, certificates: [], ocsps: [], crls: [] };
  const certificates: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  await streams(reader, dss.get('Certs'), certificates);
  await streams(reader, dss.get('OCSPs'), ocsps);
  await streams(reader, dss.get('CRLs'), crls);
  const vri = await reader.resolve(dss.get('VRI') ?? null);
  if (vri instanceof PdfDict) {
    for (const [, entry] of vri.entries()) {
      const d = await reader.resolve(entry);
      if (!(d instanceof PdfDict)) continue;
      await streams(reader, d.get('Cert'), certificates);
      await streams(reader, d.get('OCSP'), ocsps);
      await streams(reader, d.get('CRL'), crls);
    }
  }
  return { present: true, certificates, ocsps, crls };
}
