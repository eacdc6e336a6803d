import { parse } from 'csv-parse/sync';
import { binaryRefusal, failure, groupInvoices, isCalendarDate, isoDate, replacementWarning, splitLines, stripBom, timekeeperClass } from './common.js';
import type { Invoice, InvoiceLine, InvoiceParseResult, LineType, ParseIssue } from './types.js';

/**
 * CSV invoice parser for exports from e-billing and practice-management systems. Pure; `csv-parse` sync API.
 *
 * - Delimiter: comma, semicolon or tab, whichever occurs most (outside quotes) in the first ten lines;
 *   an Excel `sep=;` first line wins.
 * - Header: the first of the first ten rows naming at least two known columns, one of them a
 *   description or an amount; rows above it (report titles) are skipped. Names are matched case- and
 *   punctuation-insensitively against `CSV_COLUMN_SYNONYMS`; unknown columns are ignored.
 * - Dates: YYYY-MM-DD, YYYYMMDD, and D/M/Y with `/`, `.` or `-`. Day-first or month-first is decided per file:
 *   a first part above 12 anywhere means day-first, a second part above 12 means month-first; when
 *   nothing decides, day-first for `.` dates or semicolon files (European exports), else month-first
 *   (US), with a warning naming the choice. `options.dateOrder` overrides.
 * - Amounts: currency symbols and codes, thousands separators (`,` `.` space `'`), parentheses or a
 *   trailing minus for negatives. Decimal comma when the file's amounts show one (`1.234,50`, `12,5`).
 */

export type CsvField =
  | 'date'
  | 'timekeeperName'
  | 'timekeeperId'
  | 'timekeeperClass'
  | 'units'
  | 'rate'
  | 'total'
  | 'adjustment'
  | 'description'
  | 'taskCode'
  | 'activityCode'
  | 'expenseCode'
  | 'lawFirmMatterId'
  | 'clientMatterId'
  | 'clientId'
  | 'type'
  | 'lineItemNumber'
  | 'invoiceNumber'
  | 'invoiceDate'
  | 'invoiceTotal'
  | 'currency';

/** Column names (lower case, letters and digits only) → field. Exported so the docs and tests can list them. */
export const CSV_COLUMN_SYNONYMS: Record<CsvField, readonly string[]> = {
  date: ['date', 'workdate', 'entrydate', 'servicedate', 'lineitemdate', 'transactiondate', 'activitydate', 'datedone', 'dateofservice', 'workeddate'],
  timekeeperName: ['timekeeper', 'timekeepername', 'attorney', 'attorneyname', 'name', 'lawyer', 'feeearner', 'user', 'staff', 'professional', 'biller'],
  timekeeperId: ['timekeeperid', 'tkid', 'attorneyid', 'userid', 'feeearnerid', 'staffid'],
  timekeeperClass: ['timekeeperclass', 'timekeeperclassification', 'class', 'title', 'level', 'role', 'position', 'grade', 'seniority'],
  units: ['hours', 'units', 'quantity', 'qty', 'lineitemnumberofunits', 'numberofunits', 'time', 'duration', 'hrs', 'billedhours'],
  rate: ['rate', 'unitcost', 'price', 'hourlyrate', 'lineitemunitcost', 'unitprice', 'billingrate', 'billrate'],
  total: ['amount', 'total', 'linetotal', 'lineitemtotal', 'lineamount', 'billedamount', 'value', 'fees', 'fee', 'charge'],
  adjustment: ['adjustment', 'lineitemadjustmentamount', 'adjustmentamount', 'discount'],
  description: ['description', 'narrative', 'lineitemdescription', 'details', 'workdescription', 'entrydescription', 'activitydescription', 'notes', 'text'],
  taskCode: ['taskcode', 'utbmstask', 'utbmstaskcode', 'task', 'lineitemtaskcode', 'phasetask', 'phasetaskcode'],
  activityCode: ['activitycode', 'utbmsactivity', 'utbmsactivitycode', 'activity', 'lineitemactivitycode'],
  expenseCode: ['expensecode', 'utbmsexpense', 'utbmsexpensecode', 'lineitemexpensecode', 'disbursementcode', 'costcode'],
  lawFirmMatterId: ['matter', 'matterid', 'mattercode', 'matternumber', 'matterno', 'lawfirmmatterid', 'filenumber', 'fileno', 'firmmatterid'],
  clientMatterId: [
    'clientmatterid',
    'clientmatter',
    'clientmatternumber',
    'projectcode',
    'project',
    'projectid',
    'costcentre',
    'costcenter',
    'clientreference',
    'clientref',
    'yourreference',
  ],
  clientId: ['clientid', 'client', 'clientcode', 'clientnumber'],
  type: ['type', 'entrytype', 'lineitemtype', 'expfeeinvadjtype', 'feeexpense', 'kind', 'category'],
  lineItemNumber: ['lineitemnumber', 'line', 'lineno', 'linenumber', 'item', 'itemno', 'entryid', 'entrynumber', 'id'],
  invoiceNumber: ['invoicenumber', 'invoice', 'invoiceno', 'invoiceid', 'billnumber', 'billno'],
  invoiceDate: ['invoicedate', 'billdate'],
  invoiceTotal: ['invoicetotal', 'billtotal'],
  currency: ['currency', 'invoicecurrency', 'ccy'],
};

const columnKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const FIELD_BY_KEY = new Map<string, CsvField>(
  (Object.entries(CSV_COLUMN_SYNONYMS) as [CsvField, readonly string[]][]).flatMap(([field, keys]) => keys.map((k) => [k, field] as const)),
);

export interface CsvParseOptions {
  /** Force day-first or month-first for ambiguous D/M/Y dates. */
  dateOrder?: 'dmy' | 'mdy';
}

const MAX_ERRORS = 200;

function countOutsideQuotes(line: string, ch: string): number {
  let inQuotes = false;
  let n = 0;
  for (const c of line) {
    if (c === '"') {
      inQuotes = !inQuotes;
    } else if (c === ch && !inQuotes) {
      n++;
    }
  }
  return n;
}

export function detectDelimiter(lines: string[]): ',' | ';' | '\t' {
  const sample = lines.filter((l) => l.trim() !== '').slice(0, 10);
  let best: ',' | ';' | '\t' = ',';
  let bestScore = 0;
  for (const d of [',', ';', '\t'] as const) {
    const score = Math.max(0, ...sample.map((l) => countOutsideQuotes(l, d)));
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

const DMY_LIKE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;

/** Parses a date with the file's day/month order; returns ISO or an error message. */
export function parseCsvDate(value: string, order: 'dmy' | 'mdy'): { iso: string } | { error: string } {
  const v = value.trim().replace(/[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, '');
  let y: number;
  let m: number;
  let d: number;
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(v);
  const dmy = ymd ? null : DMY_LIKE.exec(v);
  if (ymd) {
    [y, m, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  } else if (dmy) {
    const a = Number(dmy[1]);
    const b = Number(dmy[3]);
    y = Number(dmy[4]);
    if ((dmy[4] as string).length === 2) {
      y += y < 70 ? 2000 : 1900;
    }
    [d, m] = order === 'dmy' ? [a, b] : [b, a];
  } else {
    return { error: `expected a date (YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY or DD/MM/YYYY), found "${value}"` };
  }
  if (!isCalendarDate(y, m, d)) {
    return { error: `"${value}" is not a calendar date (read as ${order === 'dmy' ? 'day-first' : 'month-first'})` };
  }
  return { iso: isoDate(y, m, d) };
}

/** Decides day-first or month-first from the file's own dates. `decided` false means it was a guess. */
export function detectDateOrder(values: string[], hint: 'dmy' | 'mdy'): { order: 'dmy' | 'mdy'; decided: boolean; ambiguous: boolean } {
  let dayFirst = false;
  let monthFirst = false;
  let ambiguous = false;
  for (const v of values) {
    const m = DMY_LIKE.exec(v.trim());
    if (!m) {
      continue;
    }
    const a = Number(m[1]);
    const b = Number(m[3]);
    if (a > 12) {
      dayFirst = true;
    } else if (b > 12) {
      monthFirst = true;
    } else if (a !== b) {
      ambiguous = true;
    }
  }
  if (dayFirst !== monthFirst) {
    return { order: dayFirst ? 'dmy' : 'mdy', decided: true, ambiguous };
  }
  return { order: hint, decided: false, ambiguous };
}

const CURRENCY = /[$€£¥₹]|\b(USD|EUR|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|INR)\b/gi;

/** Parses an amount; `decimalComma` when the file writes 1.234,50. */
export function parseAmount(value: string, decimalComma: boolean): { n: number } | { error: string } {
  let v = value.trim();
  let negative = false;
  if (/^\(.*\)$/.test(v)) {
    negative = true;
    v = v.slice(1, -1);
  }
  v = v.replace(CURRENCY, '').replace(/[\s\u00a0\u202f']/g, '');
  if (v.startsWith('-')) {
    negative = !negative;
    v = v.slice(1);
  } else if (v.endsWith('-')) {
    negative = !negative;
    v = v.slice(0, -1);
  } else if (v.startsWith('+')) {
    v = v.slice(1);
  }
  const bad = { error: `expected an amount, found "${value}"` };
  if (!/^[\d.,]*\d[\d.,]*$/.test(v)) {
    return bad;
  }
  const lastDot = v.lastIndexOf('.');
  const lastComma = v.lastIndexOf(',');
  let normal: string;
  if (lastDot >= 0 && lastComma >= 0) {
    normal = lastComma > lastDot ? v.replace(/\./g, '').replace(',', '.') : v.replace(/,/g, '');
  } else if (lastComma >= 0) {
    if (!decimalComma && /^\d{1,3}(,\d{3})+$/.test(v)) {
      normal = v.replace(/,/g, '');
    } else if (/^\d*,\d+$/.test(v)) {
      normal = v.replace(',', '.');
    } else if (/^\d{1,3}(,\d{3})+$/.test(v)) {
      normal = v.replace(/,/g, '');
    } else {
      return bad;
    }
  } else if (lastDot >= 0 && (v.match(/\./g) ?? []).length > 1) {
    if (!/^\d{1,3}(\.\d{3})+$/.test(v)) {
      return bad;
    }
    normal = v.replace(/\./g, '');
  } else if (lastDot >= 0 && decimalComma && /^\d{1,3}\.\d{3}$/.test(v)) {
    normal = v.replace('.', '');
  } else {
    normal = v;
  }
  if ((normal.match(/\./g) ?? []).length > 1) {
    return bad;
  }
  const n = Number(normal);
  return Number.isFinite(n) ? { n: negative ? -n : n } : bad;
}

function detectDecimalComma(values: string[]): boolean {
  let comma = 0;
  let dot = 0;
  for (const raw of values) {
    const v = raw.replace(CURRENCY, '').replace(/[\s\u00a0()'+-]/g, '');
    if (/^\d{1,3}(\.\d{3})*,\d{1,2}$/.test(v) || /^\d+,\d{1,2}$/.test(v)) {
      comma++;
    } else if (/^\d{1,3}(,\d{3})*\.\d{1,2}$/.test(v) || /^\d+\.\d{1,2}$/.test(v)) {
      dot++;
    }
  }
  return comma > dot;
}

function lineType(raw: string): LineType | null | 'invalid' {
  const k = raw.trim().toUpperCase();
  if (k === '') {
    return null;
  }
  if (['F', 'FEE', 'FEES', 'TIME', 'T', 'SERVICE', 'SERVICES'].includes(k)) {
    return 'F';
  }
  if (['E', 'EXPENSE', 'EXPENSES', 'DISBURSEMENT', 'DISBURSEMENTS', 'COST', 'COSTS', 'D'].includes(k)) {
    return 'E';
  }
  if (k === 'IF' || k === 'IE') {
    return k;
  }
  return 'invalid';
}

interface Row {
  cells: string[];
  line: number;
}

/** Parses a CSV invoice export given as text. Never throws. */
export function parseInvoiceCsv(input: string, options: CsvParseOptions = {}): InvoiceParseResult {
  const warnings: ParseIssue[] = [];
  const binary = binaryRefusal(input);
  if (binary) {
    return failure(null, [binary]);
  }
  const replaced = replacementWarning(input);
  if (replaced) {
    warnings.push(replaced);
  }
  const lineCount = splitLines(input).length;
  // One \n per physical line end keeps csv-parse's line numbers equal to ours on mixed endings.
  let text = stripBom(input).replace(/\r\n?/g, '\n');
  if (text.trim() === '') {
    return failure('csv', [{ line: 1, message: 'the file is empty' }]);
  }
  let lineOffset = 0;
  let delimiter: string;
  const sep = /^sep=(.)\n/i.exec(text);
  if (sep) {
    delimiter = sep[1] as string;
    text = text.slice(sep[0].length);
    lineOffset = 1;
  } else {
    delimiter = detectDelimiter(text.split('\n', 10));
  }
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, relax_column_count: true, raw: true, info: true, bom: false }) as unknown as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    const line = Math.min(Math.max(1, (err.lines ?? 1) + lineOffset), lineCount);
    return failure('csv', [{ line, message: `CSV syntax: ${err.message ?? String(e)}` }]);
  }
  // Empty lines are kept as records (csv-parse's line count skips them otherwise) and dropped here.
  const rows: Row[] = records
    .filter((r) => !(r.record.length === 1 && r.record[0] === ''))
    .map((r) => {
      const inner = r.raw.replace(/\n$/, '');
      const newlines = (inner.match(/\n/g) ?? []).length;
      return { cells: r.record, line: Math.min(Math.max(1, r.info.lines - newlines + lineOffset), lineCount) };
    });

  // Header row: the first row naming two known columns including a description or an amount.
  const headerIndex = rows.slice(0, 10).findIndex((row) => {
    const fields = new Set(
      row.cells
        .map(
          (c) =>
            FIELD_BY_KEY.get(columnKey(c)) ??
            c
              .split(/[/|]/)
              .map((p) => FIELD_BY_KEY.get(columnKey(p)))
              .find(Boolean),
        )
        .filter(Boolean),
    );
    return fields.size >= 2 && (fields.has('description') || fields.has('total'));
  });
  if (headerIndex < 0) {
    return failure('csv', [
      {
        line: rows[0]?.line ?? 1,
        message: 'no header row found: expected column names such as Date, Timekeeper, Hours, Rate, Amount, Description in the first ten rows',
      },
    ]);
  }
  const header = rows[headerIndex] as Row;
  if (headerIndex > 0) {
    warnings.push({ line: rows[0]?.line ?? 1, message: `${headerIndex} row(s) above the header skipped` });
  }
  const columns = new Map<CsvField, number>();
  const ignored: string[] = [];
  header.cells.forEach((name, i) => {
    // Bilingual headers ("Datum/Date") map by any of their parts.
    const field =
      FIELD_BY_KEY.get(columnKey(name)) ??
      name
        .split(/[/|]/)
        .map((part) => FIELD_BY_KEY.get(columnKey(part)))
        .find(Boolean);
    if (field && !columns.has(field)) {
      columns.set(field, i);
    } else if (name.trim() !== '') {
      ignored.push(name.trim());
    }
  });
  if (ignored.length > 0) {
    warnings.push({ line: header.line, message: `columns not used by the check: ${ignored.slice(0, 10).join(', ')}${ignored.length > 10 ? '…' : ''}` });
  }
  const headerName = (field: CsvField) => (header.cells[columns.get(field) as number] ?? field).trim();
  const data = rows.slice(headerIndex + 1);
  const cell = (row: Row, field: CsvField): string => {
    const i = columns.get(field);
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };

  const dateValues = data.flatMap((r) => [cell(r, 'date'), cell(r, 'invoiceDate')]);
  const hint: 'dmy' | 'mdy' = delimiter === ';' || dateValues.some((v) => /^\d{1,2}\.\d{1,2}\.\d{2,4}$/.test(v)) ? 'dmy' : 'mdy';
  const detected = detectDateOrder(dateValues, hint);
  const order = options.dateOrder ?? detected.order;
  if (!options.dateOrder && !detected.decided && detected.ambiguous) {
    warnings.push({
      line: header.line,
      message: `dates such as 03/04/2026 are ambiguous; read as ${order === 'dmy' ? 'DD/MM/YYYY (day first)' : 'MM/DD/YYYY (month first)'}${order === 'dmy' ? ' because the export looks European' : ''}`,
    });
  }
  const decimalComma = detectDecimalComma(data.flatMap((r) => [cell(r, 'total'), cell(r, 'rate'), cell(r, 'units'), cell(r, 'invoiceTotal')]));

  const errors: ParseIssue[] = [];
  const parsed: { line: InvoiceLine; invoice: Omit<Invoice, 'lines'> }[] = [];
  for (const row of data) {
    if (errors.length >= MAX_ERRORS) {
      errors.push({ line: row.line, message: `more than ${MAX_ERRORS} errors; stopped reading` });
      break;
    }
    if (row.cells.every((c) => c.trim() === '')) {
      continue;
    }
    const isTotal = (c: string) => /^\s*(sub)?totals?\b/i.test(c);
    if ((cell(row, 'description') === '' || isTotal(cell(row, 'description'))) && row.cells.some(isTotal)) {
      warnings.push({ line: row.line, message: 'totals row skipped' });
      continue;
    }
    const rowErrors: ParseIssue[] = [];
    if (row.cells.length > header.cells.length && row.cells.slice(header.cells.length).some((c) => c.trim() !== '')) {
      rowErrors.push({
        line: row.line,
        message: `expected ${header.cells.length} columns, found ${row.cells.length} (a value may contain an unquoted "${delimiter === '\t' ? 'tab' : delimiter}")`,
      });
    }
    const date = (field: CsvField): string | null => {
      const v = cell(row, field);
      if (v === '') {
        return null;
      }
      const r = parseCsvDate(v, order);
      if ('error' in r) {
        rowErrors.push({ line: row.line, field: headerName(field), message: r.error });
        return null;
      }
      return r.iso;
    };
    const amount = (field: CsvField): number | null => {
      const v = cell(row, field);
      if (v === '') {
        return null;
      }
      const r = parseAmount(v, decimalComma);
      if ('error' in r) {
        rowErrors.push({ line: row.line, field: headerName(field), message: r.error });
        return null;
      }
      return r.n;
    };
    const opt = (field: CsvField) => cell(row, field) || null;
    let type = lineType(cell(row, 'type'));
    if (type === 'invalid') {
      warnings.push({ line: row.line, field: headerName('type'), message: `unknown entry type "${cell(row, 'type')}"; inferred from the codes` });
      type = null;
    }
    if (type === null) {
      if (opt('expenseCode')) {
        type = 'E';
      } else if (opt('timekeeperName') || opt('timekeeperId') || opt('taskCode') || opt('activityCode')) {
        type = 'F';
      }
    }
    const classRaw = opt('timekeeperClass');
    const tkClass = classRaw ? timekeeperClass(classRaw) : null;
    if (classRaw && !tkClass) {
      warnings.push({
        line: row.line,
        field: headerName('timekeeperClass'),
        message: `unknown timekeeper class "${classRaw}"; rate caps cannot be applied to it`,
      });
    }
    const units = amount('units');
    const rate = amount('rate');
    const adjustment = amount('adjustment');
    let total = amount('total');
    if (total === null && units !== null && rate !== null) {
      total = units * rate + (adjustment ?? 0);
    }
    const line: InvoiceLine = {
      fileLine: row.line,
      lineItemNumber: opt('lineItemNumber'),
      invoiceNumber: opt('invoiceNumber'),
      type,
      date: date('date'),
      units,
      rate,
      adjustment,
      total,
      taskCode: opt('taskCode'),
      activityCode: opt('activityCode'),
      expenseCode: opt('expenseCode'),
      timekeeperId: opt('timekeeperId'),
      timekeeperName: opt('timekeeperName'),
      timekeeperClass: tkClass,
      timekeeperClassRaw: classRaw,
      description: cell(row, 'description'),
      clientId: opt('clientId'),
      lawFirmMatterId: opt('lawFirmMatterId'),
      clientMatterId: opt('clientMatterId'),
    };
    const invoice = {
      invoiceNumber: line.invoiceNumber,
      invoiceDate: date('invoiceDate'),
      clientId: line.clientId,
      total: amount('invoiceTotal'),
      billingStart: null,
      billingEnd: null,
      description: null,
      currency: opt('currency'),
    };
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
    } else {
      parsed.push({ line, invoice });
    }
  }
  if (errors.length > 0) {
    return failure('csv', errors, warnings);
  }
  if (parsed.length === 0) {
    return failure('csv', [{ line: header.line, message: 'the file has a header but no line items' }], warnings);
  }
  const invoices = groupInvoices(parsed, warnings, { total: 'invoice total', description: 'invoice description', lineTotal: headerName('total') });
  return { ok: true, format: 'csv', invoices, warnings };
}
