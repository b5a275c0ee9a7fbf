// multipart/form-data (RFC 7578) for one delivery: the JSON metadata part, then the PDF streamed
// from disk. The length is known up front, so the request carries a Content-Length and servers that
// refuse chunked uploads (or check the size first, 413) work.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface MultipartParts {
  readonly metadataField: string;
  readonly metadata: unknown;
  readonly fileField: string;
  readonly fileName: string;
  readonly file: string;
  readonly fileSize: number;
}

/** A quoted-string parameter: RFC 7578 §4.2 wants UTF-8 as is; quotes and line breaks escaped. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/** RFC 5987 form too, for servers that only read filename*. */
function extended(value: string): string {
  return `UTF-8''${encodeURIComponent(value)}`;
}

export function multipartBody(parts: MultipartParts): {
  readonly contentType: string;
  readonly length: number;
  chunks(): AsyncIterable<Uint8Array>;
} {
  const boundary = `kyso-${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name=${quoted(parts.metadataField)}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\n\r\n` +
      `${JSON.stringify(parts.metadata)}\r\n` +
      `--${boundary}\r\n` +
      `Content-Disposition: form-data; name=${quoted(parts.fileField)}; filename=${quoted(parts.fileName)}; filename*=${extended(parts.fileName)}\r\n` +
      `Content-Type: application/pdf\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + parts.fileSize + tail.length,
    async *chunks() {
      yield head;
      let read = 0;
      for await (const chunk of createReadStream(parts.file, { highWaterMark: 256 * 1024 })) {
        read += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      // The file changed under us: never send a body whose length disagrees with its header.
      if (read !== parts.fileSize)
        throw Object.assign(new Error('file size changed'), { code: 'EFILECHANGED' });
      yield tail;
    },
  };
}
