// Reads a multipart/form-data body (RFC 7578) held in memory: each part's name, file name, type and
// bytes. Enough for the reference server; a production one-stop system has its own.
export interface FormPart {
  readonly name: string;
  readonly fileName: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2])?.trim() : undefined;
}

function param(header: string, key: string): string | undefined {
  const ext = new RegExp(`;\\s*${key}\\*=UTF-8''([^;]+)`, 'i').exec(header);
  if (ext?.[1]) {
    try {
      return decodeURIComponent(ext[1]);
    } catch {
      // fall back to the plain form
    }
  }
  const m =
    new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header) ??
    new RegExp(`;\\s*${key}=([^;]+)`, 'i').exec(header);
  return m?.[1]?.replace(/%22/g, '"').replace(/\\(.)/g, '$1');
}

/** The parts, or undefined when the body is not well-formed multipart. */
export function parseMultipart(contentType: string | undefined, body: Buffer): FormPart[] | undefined {
  const boundary = boundaryOf(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') return undefined;
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) return undefined;
    const head = body.subarray(pos, headEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headEnd + 4);
    if (next < 0) return undefined;
    const headers = new Map<string, string>();
    for (const line of head.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = param(disposition, 'name');
    if (name === undefined) return undefined;
    parts.push({
      name,
      fileName: param(disposition, 'filename'),
      contentType: headers.get('content-type'),
      data: body.subarray(headEnd + 4, next),
    });
    pos = next + 2;
  }
}
