import { invoiceSizeRefusal } from './common.js';
import { type CsvParseOptions, parseInvoiceCsv } from './invoice-csv.js';
import { looksLikeLedes, parseLedes } from './ledes.js';
import type { InvoiceParseResult } from './types.js';

export { invoiceSizeRefusal, MAX_INVOICE_BYTES } from './common.js';

/**
 * Parses an invoice in whatever format it is: a first line starting `LEDES` → LEDES (1998B, 98BI V2);
 * otherwise CSV. The file name only breaks ties: a `.csv`/`.tsv` name whose content starts with
 * `LEDES` is still read as LEDES, because the content is what the receiver will see. Never throws.
 */
export function parseInvoice(text: string, filename?: string, options: CsvParseOptions = {}): InvoiceParseResult {
  if (looksLikeLedes(text)) {
    const result = parseLedes(text);
    if (filename && !/\.txt$/i.test(filename)) {
      result.warnings.push({ line: 1, message: `e-billing systems expect LEDES files with a .txt extension, not "${filename}"` });
    }
    return result;
  }
  if (filename && /\.(xml)$/i.test(filename)) {
    return {
      ok: false,
      format: null,
      errors: [{ line: 1, message: 'LEDES XML invoices are not supported yet; export LEDES 1998B (.txt) or CSV' }],
      warnings: [],
    };
  }
  if (/^\s*(\ufeff)?\s*</.test(text.slice(0, 200))) {
    return {
      ok: false,
      format: null,
      errors: [{ line: 1, message: 'this looks like XML or HTML; export the invoice as LEDES 1998B (.txt) or CSV' }],
      warnings: [],
    };
  }
  return parseInvoiceCsv(text, options);
}

export type DecodedInvoice = { ok: true; text: string; encoding: 'utf-8' | 'windows-1252' } | { ok: false; message: string };

/** Control bytes that do not occur in text files (tab, LF, VT, FF, CR and ESC excepted). */
function hasControlBytes(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.byteLength, 65_536);
  for (let i = 0; i < end; i++) {
    const b = bytes[i] as number;
    if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b)) {
      return true;
    }
  }
  return false;
}

/**
 * Decodes uploaded bytes for `parseInvoice`. Refuses input over `MAX_INVOICE_BYTES` and binary content
 * (NUL or other control bytes) as "not a text file". UTF-8, with or without BOM, is read as such (the
 * BOM is kept so the parser can warn about it). Text that is not valid UTF-8 is read as Windows-1252,
 * the usual encoding of spreadsheet exports on Windows (`encoding` says which was used).
 */
export function decodeInvoiceBytes(bytes: Uint8Array): DecodedInvoice {
  const refusal = invoiceSizeRefusal(bytes.byteLength);
  if (refusal) {
    return { ok: false, message: refusal };
  }
  if (hasControlBytes(bytes)) {
    return { ok: false, message: 'not a text file (binary content); export the invoice as LEDES .txt or CSV' };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { ok: true, text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** `decodeInvoiceBytes` then `parseInvoice`; a refusal becomes a line-1 error. For the route and the CLI. */
export function parseInvoiceBytes(bytes: Uint8Array, filename?: string, options: CsvParseOptions = {}): InvoiceParseResult {
  const decoded = decodeInvoiceBytes(bytes);
  if (!decoded.ok) {
    return { ok: false, format: null, errors: [{ line: 1, message: decoded.message }], warnings: [] };
  }
  const result = parseInvoice(decoded.text, filename, options);
  if (decoded.encoding === 'windows-1252') {
    result.warnings.unshift({ line: 1, message: 'the file is not UTF-8; it was read as Windows-1252 (check accented names)' });
  }
  return result;
}
