import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the loopback provider doubles (mailgun-double.ts, plivo-double.ts) share: reading a request
 * body within a limit, and multipart/form-data (RFC 7578) as form-data and undici write it.
 */

/** Past the limit the rest is read and dropped (so the client gets the 413), up to this much. */
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

/** A request listener that reads the body (null when it is over `maxBodyBytes`) and hands it on. */
export function withBody(
  maxBodyBytes: number,
  handle: (req: IncomingMessage, res: ServerResponse, body: Buffer | null) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > maxBodyBytes;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBodyBytes) tooLarge = true;
      // Past the limit the rest is read and dropped, so the client gets the 413 instead of a broken pipe.
      if (received > DRAIN_CAP_BYTES) req.destroy();
      else if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => handle(req, res, tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', () => res.destroy());
  };
}

export interface MultipartFile {
  field: string;
  /** Null when the part has a Content-Type but no filename (form-data's Buffers). */
  filename: string | null;
  contentType: string;
  data: Buffer;
}

export interface MultipartOptions {
  /** How a name or filename parameter is unescaped (writers differ). */
  decodeName: (value: string) => string;
  /** Whether a part is a file: by default when it has a filename. */
  isFile?: (filename: string | undefined, contentType: string | undefined) => boolean;
}

/** Parses a multipart/form-data body; throws an Error whose message says what is malformed. */
export function parseMultipart(
  raw: Buffer,
  boundary: string,
  opts: MultipartOptions,
): { fields: Array<[string, string]>; files: MultipartFile[] } {
  const isFile = opts.isFile ?? ((filename) => filename !== undefined);
  const fields: Array<[string, string]> = [];
  const files: MultipartFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let position = raw.indexOf(delimiter);
  if (position === -1) throw new Error('Malformed multipart body: no boundary');
  position += delimiter.length;
  for (;;) {
    if (raw.subarray(position, position + 2).toString('latin1') === '--') break;
    if (raw.subarray(position, position + 2).toString('latin1') !== '\r\n') {
      throw new Error('Malformed multipart body: bad delimiter');
    }
    const headerStart = position + 2;
    const headerEnd = raw.indexOf('\r\n\r\n', headerStart, 'latin1');
    if (headerEnd === -1) throw new Error('Malformed multipart body: part without headers');
    const contentStart = headerEnd + 4;
    const contentEnd = raw.indexOf(nextDelimiter, contentStart);
    if (contentEnd === -1) throw new Error('Malformed multipart body: unterminated part');
    const headers = new Map<string, string>();
    for (const line of raw.subarray(headerStart, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const params = new Map<string, string>();
    for (const p of disposition.matchAll(/;\s*([^=;\s]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
      params.set(p[1].toLowerCase(), opts.decodeName(p[2] ?? p[3].trim()));
    }
    const name = params.get('name');
    if (!/^form-data\b/i.test(disposition) || name === undefined) {
      throw new Error('Malformed multipart body: part without a form-data name');
    }
    const content = raw.subarray(contentStart, contentEnd);
    const filename = params.get('filename');
    const partType = headers.get('content-type');
    if (isFile(filename, partType)) {
      files.push({
        field: name,
        filename: filename ?? null,
        contentType: partType ?? 'application/octet-stream',
        data: Buffer.from(content),
      });
    } else {
      fields.push([name, content.toString('utf8')]);
    }
    position = contentEnd + nextDelimiter.length;
  }
  return { fields, files };
}
