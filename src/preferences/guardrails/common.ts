import { TIMEKEEPER_CLASSES, type TimekeeperClass } from '../rules.js';
import type { Invoice, InvoiceLine, InvoiceParseFailure, ParseIssue } from './types.js';

/** Helpers shared by the LEDES and CSV parsers. Pure. */

/** Refuse invoices larger than this (50 MiB): real invoices are kilobytes; a bigger upload is a mistake or an attack. */
export const MAX_INVOICE_BYTES = 50 * 1024 * 1024;

/** A clear refusal message for input over `MAX_INVOICE_BYTES`, or null when the size is fine. For the route and CLI. */
export function invoiceSizeRefusal(byteLength: number): string | null {
  if (byteLength <= MAX_INVOICE_BYTES) {
    return null;
  }
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return `The file is ${mb(byteLength)} MB; invoices up to ${mb(MAX_INVOICE_BYTES)} MB can be checked. Split the export by invoice or matter and check each part.`;
}

/** Splits into physical lines: CRLF, lone CR and LF each end a line (mixed endings are fine). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * NUL bytes, or many U+FFFD (a lenient decoder's mark for bytes that are not UTF-8), mean the input is
 * not a text invoice. One to three U+FFFD are a warning (`replacementWarning`): a text file with a few
 * mis-encoded characters is still worth checking.
 */
export function binaryRefusal(text: string): ParseIssue | null {
  const nul = text.indexOf('\u0000');
  const sample = text.slice(0, 65_536);
  const replacements = sample.split('\ufffd').length - 1;
  const bad = nul >= 0 ? nul : replacements >= 4 ? text.indexOf('\ufffd') : -1;
  if (bad < 0) {
    return null;
  }
  const line = splitLines(text.slice(0, bad)).length;
  return { line, message: 'not a text file (binary content or invalid UTF-8); export the invoice as LEDES .txt or CSV' };
}

/** A warning when the text holds a few U+FFFD replacement characters. */
export function replacementWarning(text: string): ParseIssue | null {
  const at = text.indexOf('\ufffd');
  if (at < 0) {
    return null;
  }
  return {
    line: splitLines(text.slice(0, at)).length,
    message: 'the file contains replacement characters (\ufffd): part of it was not valid UTF-8; check names and descriptions',
  };
}

export function failure(format: InvoiceParseFailure['format'], errors: ParseIssue[], warnings: ParseIssue[] = []): InvoiceParseFailure {
  return { ok: false, format, errors, warnings };
}

/** Whether y-m-d is a real calendar date. */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1000 || y > 9999) {
    return false;
  }
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Older LEDES words and common export titles → LOC two-letter class. Keys are upper case without spaces or punctuation. */
const CLASS_WORDS: Record<string, TimekeeperClass> = {
  PARTNR: 'PT',
  PARTNER: 'PT',
  SENIORPARTNER: 'PT',
  EQUITYPARTNER: 'PT',
  SHAREHOLDER: 'PT',
  MEMBER: 'PT',
  PRINCIPAL: 'PT',
  ASSOC: 'AS',
  ASSOCIATE: 'AS',
  SENIORASSOCIATE: 'AS',
  JUNIORASSOCIATE: 'AS',
  SOLICITOR: 'AS',
  OFCOUNSEL: 'OC',
  OFCNSL: 'OC',
  COUNSEL: 'OC',
  SENIORCOUNSEL: 'OC',
  LEGALASSISTANT: 'LA',
  LEGAST: 'LA',
  LGLAST: 'LA',
  LEGALAST: 'LA',
  // LOC counts paralegals as legal assistants (LA); PL is the later Collaborati code. The rate-cap check treats LA and PL as one.
  PARALEGAL: 'LA',
  PARLGL: 'LA',
  PARALGL: 'LA',
  LEGALPROFESSIONAL: 'LP',
  CLERK: 'CS',
  LAWCLERK: 'CS',
  SECRETARY: 'CS',
  LEGALINTERN: 'LI',
  INTERN: 'LI',
  SUMMERASSOCIATE: 'LI',
  TRAINEE: 'LI',
  TRAINEESOLICITOR: 'LI',
  OTHER: 'OT',
  OTHERTIMEKEEPER: 'OT',
};

/** Maps a timekeeper class as written to the two-letter code; null when it is not recognised. */
export function timekeeperClass(raw: string): TimekeeperClass | null {
  const key = raw.toUpperCase().replace(/[^A-Z]/g, '');
  if ((TIMEKEEPER_CLASSES as readonly string[]).includes(key)) {
    return key as TimekeeperClass;
  }
  return CLASS_WORDS[key] ?? null;
}

const near = (a: number, b: number) => Math.abs(a - b) < 0.005;
const money = (n: number) => n.toFixed(2);

/**
 * Groups lines into invoices by invoice number (first value of invoice-level fields counts) and adds the
 * consistency warnings the e-billing receivers document.
 */
export function groupInvoices(
  rows: { line: InvoiceLine; invoice: Omit<Invoice, 'lines'> }[],
  warnings: ParseIssue[],
  fieldNames: { total: string; description: string; lineTotal: string },
): Invoice[] {
  const byNumber = new Map<string, Invoice>();
  const seenLineNumbers = new Map<string, Set<string>>();
  for (const { line, invoice } of rows) {
    const key = invoice.invoiceNumber ?? '';
    let inv = byNumber.get(key);
    if (!inv) {
      inv = { ...invoice, lines: [] };
      byNumber.set(key, inv);
      seenLineNumbers.set(key, new Set());
    } else {
      if (invoice.total !== null && inv.total !== null && !near(invoice.total, inv.total)) {
        warnings.push({
          line: line.fileLine,
          field: fieldNames.total,
          message: `invoice ${key}: ${fieldNames.total} ${money(invoice.total)} differs from ${money(inv.total)} on its first line`,
        });
      }
      if ((invoice.description ?? '') !== (inv.description ?? '')) {
        warnings.push({
          line: line.fileLine,
          field: fieldNames.description,
          message: `invoice ${key}: ${fieldNames.description} differs from its first line; receivers expect it identical on every line`,
        });
      }
    }
    const seen = seenLineNumbers.get(key) as Set<string>;
    if (line.lineItemNumber !== null) {
      if (seen.has(line.lineItemNumber)) {
        warnings.push({ line: line.fileLine, message: `invoice ${key}: line item number ${line.lineItemNumber} is used twice` });
      }
      seen.add(line.lineItemNumber);
    }
    if (line.units !== null && line.units < 0 && (line.type === 'F' || line.type === 'E')) {
      warnings.push({ line: line.fileLine, message: 'negative units; put discounts on an IF/IE adjustment line instead' });
    }
    if ((line.type === 'F' || line.type === 'E') && line.units !== null && line.rate !== null && line.total !== null) {
      const expected = line.units * line.rate + (line.adjustment ?? 0);
      if (!near(expected, line.total)) {
        warnings.push({
          line: line.fileLine,
          field: fieldNames.lineTotal,
          message: `line total ${money(line.total)} ≠ units × rate + adjustment = ${money(expected)}`,
        });
      }
    }
    inv.lines.push(line);
  }
  const invoices = [...byNumber.values()];
  for (const inv of invoices) {
    const totals = inv.lines.map((l) => l.total);
    if (inv.total !== null && totals.every((t) => t !== null)) {
      const sum = (totals as number[]).reduce((a, b) => a + b, 0);
      if (!near(sum, inv.total)) {
        warnings.push({
          line: inv.lines[0]?.fileLine ?? 1,
          field: fieldNames.total,
          message: `invoice ${inv.invoiceNumber ?? ''}: ${fieldNames.total} ${money(inv.total)} ≠ sum of line totals ${money(sum)}`,
        });
      }
    }
  }
  return invoices;
}
