// The public face of the PDF layer: a lazy reader, the object model, and the incremental writer.
// Signing and verification (src/signing/sign, verify) import from here only.
export {
  PdfArray,
  PdfByteRangePlaceholder,
  PdfDict,
  PdfHexPlaceholder,
  PdfName,
  PdfNumber,
  PdfRef,
  PdfStream,
  PdfString,
  decodeTextString,
  pdfArray,
  pdfDict,
  pdfInt,
  pdfName,
  pdfReal,
  pdfTextString,
} from './objects.js';
export type { PdfPlaceholder, PdfStreamData, PdfValue } from './objects.js';
export { PdfReader } from './pdf-reader.js';
export type { PdfReaderOptions, StreamReadOptions } from './pdf-reader.js';
export type { PdfPage, PdfRect } from './page-tree.js';
export type { PdfField, PdfWidget } from './form-fields.js';
export type { Revision, XrefEntry, XrefKind } from './xref.js';
export { XrefAudit } from './xref-audit.js';
export { IN_MEMORY_LIMIT, openDocumentFile } from './document-file.js';
export type { DocumentFile, PositionalFile } from './document-file.js';
export type { AuditedSection, ObjectDefinition, ObjectHeader } from './xref-audit.js';
export type { DecodeResult } from './stream-decoder.js';
export type { ByteSourceStats } from './byte-source.js';
export { IncrementalUpdate } from './incremental-writer.js';
export type { SerializedUpdate, UpdateBase } from './incremental-writer.js';
export { BYTE_RANGE_LENGTH, serializeValue } from './serializer.js';
export type { PlaceholderLocation } from './serializer.js';
export { byteRangeAround, patchByteRange, patchHexContents } from './placeholders.js';
export type { ByteRange } from './placeholders.js';
export { Lexer } from './lexer.js';
export { ObjectParser } from './object-parser.js';
export { pdfDate, parsePdfDate } from './pdf-date.js';
