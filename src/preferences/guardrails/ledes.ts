import { binaryRefusal, failure, groupInvoices, isCalendarDate, isoDate, replacementWarning, splitLines, stripBom, timekeeperClass } from './common.js';
import type { Invoice, InvoiceFormat, InvoiceLine, InvoiceParseResult, LineType, ParseIssue } from './types.js';

/**
 * LEDES 1998B and LEDES 98BI V2 parser. Pure.
 *
 * Tolerated, with a warning: a UTF-8 BOM, a header in lower case or without `[]`, surrounding whitespace,
 * a field-name line or value lines without the closing `[]`, field names in another order (columns are
 * mapped by name), a missing field-name line when line 2 is plainly data, blank lines in the middle.
 * Tolerated silently: CRLF, LF, CR and mixed line endings; blank trailing lines.
 * Errors (located by line and field): empty file, binary content, wrong header, unknown or missing field
 * names, a wrong number of fields on a line (a value holding `|`), `[]` inside a value, dates not
 * YYYYMMDD, non-numeric amounts, an unknown EXP/FEE/INV_ADJ_TYPE, a missing invoice number or date.
 * LEDES XML and 98BI version 1 are refused as not supported.
 */

export const LEDES_1998B_FIELDS = [
  'INVOICE_DATE',
  'INVOICE_NUMBER',
  'CLIENT_ID',
  'LAW_FIRM_MATTER_ID',
  'INVOICE_TOTAL',
  'BILLING_START_DATE',
  'BILLING_END_DATE',
  'INVOICE_DESCRIPTION',
  'LINE_ITEM_NUMBER',
  'EXP/FEE/INV_ADJ_TYPE',
  'LINE_ITEM_NUMBER_OF_UNITS',
  'LINE_ITEM_ADJUSTMENT_AMOUNT',
  'LINE_ITEM_TOTAL',
  'LINE_ITEM_DATE',
  'LINE_ITEM_TASK_CODE',
  'LINE_ITEM_EXPENSE_CODE',
  'LINE_ITEM_ACTIVITY_CODE',
  'TIMEKEEPER_ID',
  'LINE_ITEM_DESCRIPTION',
  'LAW_FIRM_ID',
  'LINE_ITEM_UNIT_COST',
  'TIMEKEEPER_NAME',
  'TIMEKEEPER_CLASSIFICATION',
  'CLIENT_MATTER_ID',
] as const;

export const LEDES_98BI_V2_FIELDS = [
  ...LEDES_1998B_FIELDS,
  'PO_NUMBER',
  'CLIENT_TAX_ID',
  'MATTER_NAME',
  'INVOICE_TAX_TOTAL',
  'INVOICE_NET_TOTAL',
  'INVOICE_CURRENCY',
  'TIMEKEEPER_LAST_NAME',
  'TIMEKEEPER_FIRST_NAME',
  'ACCOUNT_TYPE',
  'LAW_FIRM_NAME',
  'LAW_FIRM_ADDRESS_1',
  'LAW_FIRM_ADDRESS_2',
  'LAW_FIRM_CITY',
  'LAW_FIRM_STATEorREGION',
  'LAW_FIRM_POSTCODE',
  'LAW_FIRM_COUNTRY',
  'CLIENT_NAME',
  'CLIENT_ADDRESS_1',
  'CLIENT_ADDRESS_2',
  'CLIENT_CITY',
  'CLIENT_STATEorREGION',
  'CLIENT_POSTCODE',
  'CLIENT_COUNTRY',
  'LINE_ITEM_TAX_RATE',
  'LINE_ITEM_TAX_TOTAL',
  'LINE_ITEM_TAX_TYPE',
  'INVOICE_REPORTED_TAX_TOTAL',
  'INVOICE_TAX_CURRENCY',
] as const;

const HEADERS: Record<string, { format: InvoiceFormat; exact: string; fields: readonly string[] }> = {
  LEDES1998B: { format: 'ledes1998b', exact: 'LEDES1998B[]', fields: LEDES_1998B_FIELDS },
  LEDES98BIV2: { format: 'ledes98bi_v2', exact: 'LEDES98BI V2[]', fields: LEDES_98BI_V2_FIELDS },
};

/** At most this many errors are listed; a file that bad is the wrong file, and the list would drown the first ones. */
const MAX_ERRORS = 200;

const nameKey = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Whether the first non-blank line looks like a LEDES header (for format sniffing). */
export function looksLikeLedes(text: string): boolean {
  const first = splitLines(stripBom(text)).find((l) => l.trim() !== '') ?? '';
  return /^\s*LEDES/i.test(first);
}

interface Header {
  format: InvoiceFormat;
  fields: readonly string[];
}

function readHeader(raw: string, line: number, warnings: ParseIssue[], errors: ParseIssue[]): Header | null {
  const trimmed = raw.trim();
  const key = nameKey(trimmed.replace(/\[\]\s*$/, ''));
  const known = HEADERS[key];
  if (known) {
    if (trimmed !== known.exact) {
      warnings.push({ line, message: `header should be exactly "${known.exact}", found "${trimmed}"; read as ${known.exact}` });
    }
    return { format: known.format, fields: known.fields };
  }
  if (/^<\?xml|<ledes|^LEDES2000/i.test(trimmed) || /^LEDESXML/.test(key)) {
    errors.push({ line, message: 'LEDES XML invoices are not supported yet; export LEDES 1998B or 98BI V2 (pipe-separated .txt)' });
  } else if (key === 'LEDES98BI') {
    errors.push({ line, message: 'LEDES 98BI version 1 is not supported; export LEDES 98BI V2 or 1998B' });
  } else {
    const shown = trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
    errors.push({ line, message: `wrong header: expected "LEDES1998B[]" or "LEDES98BI V2[]", found "${shown}"` });
  }
  return null;
}

/** Splits a record line into values, noting whether it ended with `[]`. */
function splitRecord(raw: string): { values: string[]; closed: boolean } {
  let body = raw.replace(/\s+$/, '');
  const closed = body.endsWith('[]');
  if (closed) {
    body = body.slice(0, -2);
  }
  return { values: body.split('|'), closed };
}

function parseDate(value: string): { iso: string } | { error: string } {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return { iso: isoDate(Number(m[1]), Number(m[2]), Number(m[3])) };
  }
  return { error: m ? `"${value}" is not a calendar date` : `expected a date as YYYYMMDD, found "${value}"` };
}

function parseNumber(value: string): { n: number } | { error: string } {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value) && Number.isFinite(Number(value))) {
    return { n: Number(value) };
  }
  return { error: `expected a number (digits and a decimal point, no currency or thousands separators), found "${value}"` };
}

/** Parses a LEDES 1998B or 98BI V2 file given as text (decode bytes with `decodeInvoiceBytes` first). Never throws. */
export function parseLedes(input: string): InvoiceParseResult {
  const warnings: ParseIssue[] = [];
  const errors: ParseIssue[] = [];
  const binary = binaryRefusal(input);
  if (binary) {
    return failure(null, [binary]);
  }
  const replaced = replacementWarning(input);
  if (replaced) {
    warnings.push(replaced);
  }
  let text = input;
  if (text.charCodeAt(0) === 0xfeff) {
    text = stripBom(text);
    warnings.push({ line: 1, message: 'the file starts with a UTF-8 byte-order mark; some e-billing systems reject it' });
  }
  const lines = splitLines(text);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) {
    return failure(null, [{ line: 1, message: 'the file is empty' }], warnings);
  }
  const header = readHeader(lines[first] as string, first + 1, warnings, errors);
  if (!header) {
    return failure(null, errors, warnings);
  }
  const { format, fields } = header;
  const expected = fields.length;

  // The field-name line. Columns are mapped by name so a reordered export still reads right.
  let dataStart = first + 2;
  const index = new Map<string, number>();
  const namesLine = lines[first + 1];
  if (namesLine === undefined || namesLine.trim() === '') {
    return failure(
      format,
      [{ line: Math.min(first + 2, lines.length), message: `no field-name line after the header; expected the ${expected} field names` }],
      warnings,
    );
  }
  const names = splitRecord(namesLine.trim());
  const keyed = names.values.map((n) => nameKey(n));
  if (!keyed.includes('INVOICEDATE') && names.values.length === expected && /^\d{8}$/.test((names.values[0] ?? '').trim())) {
    warnings.push({ line: first + 2, message: 'the field-name line is missing; the standard field order is assumed' });
    fields.forEach((f, i) => {
      index.set(f, i);
    });
    dataStart = first + 1;
  } else {
    if (!names.closed) {
      warnings.push({ line: first + 2, message: 'the field-name line does not end with []' });
    }
    const wanted = new Map(fields.map((f) => [nameKey(f), f]));
    keyed.forEach((k, i) => {
      const field = wanted.get(k);
      const written = (names.values[i] ?? '').trim();
      if (!field) {
        errors.push({ line: first + 2, field: written, message: `unknown field name "${written}" in column ${i + 1}` });
      } else if (index.has(field)) {
        errors.push({ line: first + 2, field, message: `field ${field} appears twice` });
      } else {
        index.set(field, i);
      }
    });
    const missing = fields.filter((f) => !index.has(f));
    if (missing.length > 0) {
      errors.push({
        line: first + 2,
        message: `expected ${expected} field names, found ${names.values.length}; missing: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? '…' : ''}`,
      });
    }
    if (errors.length === 0 && fields.some((f, i) => index.get(f) !== i)) {
      warnings.push({ line: first + 2, message: 'field names are not in the standard order; columns were matched by name' });
    }
    if (errors.length > 0) {
      return failure(format, errors, warnings);
    }
  }

  const rows: { line: InvoiceLine; invoice: Omit<Invoice, 'lines'> }[] = [];
  let unclosed = 0;
  let firstUnclosed = 0;
  let lastContent = lines.length;
  while (lastContent > dataStart && (lines[lastContent - 1] as string).trim() === '') {
    lastContent--;
  }
  for (let i = dataStart; i < lastContent && errors.length < MAX_ERRORS; i++) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    if (raw.trim() === '') {
      warnings.push({ line: lineNo, message: 'blank line skipped' });
      continue;
    }
    const { values, closed } = splitRecord(raw);
    if (!closed) {
      unclosed++;
      firstUnclosed ||= lineNo;
    }
    if (values.length !== expected) {
      const hint =
        values.length > expected ? ' (a value may contain "|", which LEDES does not allow)' : ' (fields are missing, or a value runs onto the next line)';
      errors.push({ line: lineNo, message: `expected ${expected} fields, found ${values.length}${hint}` });
      continue;
    }
    const lineErrors: ParseIssue[] = [];
    const get = (field: string): string => (values[index.get(field) as number] ?? '').trim();
    const opt = (field: string): string | null => get(field) || null;
    values.forEach((v, col) => {
      if (v.includes('[]')) {
        lineErrors.push({ line: lineNo, field: fields[col] as string, message: 'a value contains "[]", which LEDES reserves for line ends' });
      }
    });
    const date = (field: string, required: boolean): string | null => {
      const v = get(field);
      if (v === '') {
        if (required) {
          lineErrors.push({ line: lineNo, field, message: 'is required' });
        }
        return null;
      }
      const r = parseDate(v);
      if ('error' in r) {
        lineErrors.push({ line: lineNo, field, message: r.error });
        return null;
      }
      return r.iso;
    };
    const num = (field: string, required: boolean): number | null => {
      const v = get(field);
      if (v === '') {
        if (required) {
          lineErrors.push({ line: lineNo, field, message: 'is required' });
        }
        return null;
      }
      const r = parseNumber(v);
      if ('error' in r) {
        lineErrors.push({ line: lineNo, field, message: r.error });
        return null;
      }
      return r.n;
    };
    const typeRaw = get('EXP/FEE/INV_ADJ_TYPE').toUpperCase();
    let type: LineType | null = null;
    if (typeRaw === 'F' || typeRaw === 'E' || typeRaw === 'IF' || typeRaw === 'IE') {
      type = typeRaw;
    } else {
      lineErrors.push({ line: lineNo, field: 'EXP/FEE/INV_ADJ_TYPE', message: `expected F, E, IF or IE, found "${typeRaw}"` });
    }
    const invoiceNumber = opt('INVOICE_NUMBER');
    if (!invoiceNumber) {
      lineErrors.push({ line: lineNo, field: 'INVOICE_NUMBER', message: 'is required' });
    }
    const invoiceDate = date('INVOICE_DATE', true);
    const adjustmentLine = type === 'IF' || type === 'IE';
    const classRaw = opt('TIMEKEEPER_CLASSIFICATION');
    const tkClass = classRaw ? timekeeperClass(classRaw) : null;
    if (classRaw && !tkClass) {
      warnings.push({ line: lineNo, field: 'TIMEKEEPER_CLASSIFICATION', message: `unknown timekeeper class "${classRaw}"; rate caps cannot be applied to it` });
    }
    let tkName = opt('TIMEKEEPER_NAME');
    if (!tkName && index.has('TIMEKEEPER_LAST_NAME')) {
      const parts = [get('TIMEKEEPER_LAST_NAME'), get('TIMEKEEPER_FIRST_NAME')].filter(Boolean);
      tkName = parts.length > 0 ? parts.join(', ') : null;
    }
    const line: InvoiceLine = {
      fileLine: lineNo,
      lineItemNumber: opt('LINE_ITEM_NUMBER'),
      invoiceNumber,
      type,
      date: date('LINE_ITEM_DATE', false),
      units: adjustmentLine ? null : num('LINE_ITEM_NUMBER_OF_UNITS', false),
      rate: adjustmentLine ? null : num('LINE_ITEM_UNIT_COST', false),
      adjustment: num('LINE_ITEM_ADJUSTMENT_AMOUNT', false),
      total: num('LINE_ITEM_TOTAL', true),
      taskCode: opt('LINE_ITEM_TASK_CODE'),
      activityCode: opt('LINE_ITEM_ACTIVITY_CODE'),
      expenseCode: opt('LINE_ITEM_EXPENSE_CODE'),
      timekeeperId: opt('TIMEKEEPER_ID'),
      timekeeperName: tkName,
      timekeeperClass: tkClass,
      timekeeperClassRaw: classRaw,
      description: get('LINE_ITEM_DESCRIPTION'),
      clientId: opt('CLIENT_ID'),
      lawFirmMatterId: opt('LAW_FIRM_MATTER_ID'),
      clientMatterId: opt('CLIENT_MATTER_ID'),
    };
    const invoice = {
      invoiceNumber,
      invoiceDate,
      clientId: line.clientId,
      total: num('INVOICE_TOTAL', true),
      billingStart: date('BILLING_START_DATE', false),
      billingEnd: date('BILLING_END_DATE', false),
      description: opt('INVOICE_DESCRIPTION'),
      currency: index.has('INVOICE_CURRENCY') ? opt('INVOICE_CURRENCY') : null,
    };
    if (lineErrors.length > 0) {
      errors.push(...lineErrors);
      continue;
    }
    rows.push({ line, invoice });
  }
  if (errors.length >= MAX_ERRORS) {
    errors.push({ line: errors[errors.length - 1]?.line ?? 1, message: `more than ${MAX_ERRORS} errors; stopped reading` });
  }
  if (unclosed > 0) {
    warnings.push({ line: firstUnclosed, message: `${unclosed} line(s) do not end with [] (first at line ${firstUnclosed})` });
  }
  if (errors.length > 0) {
    return failure(format, errors, warnings);
  }
  if (rows.length === 0) {
    return failure(format, [{ line: Math.max(1, Math.min(dataStart, lines.length)), message: 'the file has a header but no line items' }], warnings);
  }
  const invoices = groupInvoices(rows, warnings, { total: 'INVOICE_TOTAL', description: 'INVOICE_DESCRIPTION', lineTotal: 'LINE_ITEM_TOTAL' });
  return { ok: true, format, invoices, warnings };
}
