/**
 * The one file of a multipart/form-data upload (the invoice check's form upload). Pure: takes the
 * buffered body, which the route has already limited in size. Enough of RFC 7578 for browsers and
 * curl -F: parts separated by the boundary, a Content-Disposition naming the field and file name.
 */

export interface FilePart {
  /** The form field's name. */
  name: string | null;
  filename: string | null;
  data: Buffer;
}

/** The boundary of a multipart/form-data Content-Type, or null. */
export function multipartBoundary(contentType: string | undefined): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** The first part with a file name (or named `file`); null when there is none or the body is malformed. */
export function firstFilePart(body: Buffer, boundary: string): FilePart | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) {
      return null; // the closing delimiter
    }
    if (body[start] === 0x0d && body[start + 1] === 0x0a) {
      start += 2;
    }
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) {
      return null;
    }
    const end = body.indexOf(next, headerEnd + 4);
    if (end === -1) {
      return null;
    }
    const headers = body.subarray(start, headerEnd).toString('utf8');
    const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    const filename = /(?:^|;)\s*filename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
    if (filename !== null || name === 'file') {
      return { name, filename, data: body.subarray(headerEnd + 4, end) };
    }
    pos = end + 2;
  }
  return null;
}
