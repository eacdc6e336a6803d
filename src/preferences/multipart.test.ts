import { describe, expect, it } from 'vitest';
import { firstFilePart, multipartBoundary } from './multipart.js';

const form = (boundary: string, parts: string[]) => Buffer.from(`${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`);

describe('multipart upload', () => {
  it('should read the boundary, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc123')).toBe('----abc123');
    expect(multipartBoundary('multipart/form-data; boundary="a b"; charset=utf-8')).toBe('a b');
    expect(multipartBoundary('text/plain')).toBeNull();
  });

  it('should find the file part after other fields, keeping its bytes and CRLFs', () => {
    const body = form('XYZ', [
      'Content-Disposition: form-data; name="note"\r\n\r\nhello',
      'Content-Disposition: form-data; name="invoice"; filename="inv.txt"\r\nContent-Type: text/plain\r\n\r\nLEDES1998B[]\r\nA|B[]',
    ]);
    expect(firstFilePart(body, 'XYZ')).toEqual({ name: 'invoice', filename: 'inv.txt', data: Buffer.from('LEDES1998B[]\r\nA|B[]') });
  });

  it('should give an empty file as empty data, and null without a file or for a truncated body', () => {
    expect(firstFilePart(form('b', ['Content-Disposition: form-data; name="file"; filename="e.txt"\r\n\r\n']), 'b')?.data.length).toBe(0);
    expect(firstFilePart(form('b', ['Content-Disposition: form-data; name="note"\r\n\r\nx']), 'b')).toBeNull();
    expect(firstFilePart(Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\nabc'), 'b')).toBeNull();
    expect(firstFilePart(Buffer.from('garbage'), 'b')).toBeNull();
  });
});
