import { describe, expect, it } from 'vitest';
import { detectDateOrder, detectDelimiter, parseAmount, parseCsvDate, parseInvoiceCsv } from './invoice-csv.js';
import { fixture } from './testing.js';
import type { InvoiceParseResult, ParsedInvoice } from './types.js';

const ok = (r: InvoiceParseResult): ParsedInvoice => {
  if (!r.ok) {
    throw new Error(`expected a parse, got ${JSON.stringify(r.errors)}`);
  }
  return r;
};
const errorsOf = (r: InvoiceParseResult) => (r.ok ? [] : r.errors);

describe('parseInvoiceCsv', () => {
  it('should read a European practice-management export: semicolons, dd.mm.yyyy, decimal commas, a title row and a totals row', () => {
    const r = ok(parseInvoiceCsv(fixture('practice-management-semicolon.csv')));
    expect(r.format).toBe('csv');
    const lines = r.invoices[0]?.lines ?? [];
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      fileLine: 3,
      date: '2026-09-03',
      timekeeperName: 'Weber, Klara',
      timekeeperClass: 'PT',
      units: 1.5,
      rate: 520,
      total: 780,
      taskCode: 'L120',
      lawFirmMatterId: 'MUC-771',
      clientMatterId: 'MS-HR-2026',
      type: 'F',
    });
    expect(lines[1]).toMatchObject({ description: 'Drafted consultation letter; revised after comments', total: 930 });
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringContaining('above the header skipped'), 'totals row skipped']);
  });

  it('should read a US export with quoted multi-line narratives, $ amounts and an expense line', () => {
    const r = ok(parseInvoiceCsv(fixture('us-export-quoted.csv')));
    const lines = r.invoices[0]?.lines ?? [];
    expect(r.invoices[0]?.invoiceNumber).toBe('NY-2026-1190');
    expect(lines.map((l) => l.fileLine)).toEqual([2, 4, 5]);
    expect(lines[0]).toMatchObject({
      date: '2026-11-03',
      rate: 650,
      total: 1625,
      description: "Analyzed supplier's motion to dismiss\nand outlined response arguments",
    });
    expect(lines[2]).toMatchObject({ type: 'E', expenseCode: 'E101', total: 18 });
    expect(r.warnings[0]?.message).toContain('read as MM/DD/YYYY');
  });

  it('should map header synonyms case- and punctuation-insensitively', () => {
    const text =
      'Work Date\tATTORNEY\tTitle\tQty\tUnit Cost\tLine-Total\tNarrative\tutbms_task\tActivity\tProject Code\n2026-11-03\tHale\tAssociate\t2\t300\t600\tDrafted brief\tL210\tA103\tP-9\n';
    const line = ok(parseInvoiceCsv(text)).invoices[0]?.lines[0];
    expect(line).toMatchObject({
      date: '2026-11-03',
      timekeeperName: 'Hale',
      timekeeperClass: 'AS',
      units: 2,
      rate: 300,
      total: 600,
      taskCode: 'L210',
      activityCode: 'A103',
      clientMatterId: 'P-9',
    });
  });

  it('should decide day-first from the data and report the choice when ambiguous', () => {
    expect(ok(parseInvoiceCsv('Date,Description,Amount\n25/03/2026,Drafted brief,100\n03/04/2026,Filed brief,50\n')).invoices[0]?.lines[1]?.date).toBe(
      '2026-04-03',
    );
    expect(ok(parseInvoiceCsv('Date,Description,Amount\n03/25/2026,Drafted brief,100\n03/04/2026,Filed brief,50\n')).invoices[0]?.lines[1]?.date).toBe(
      '2026-03-04',
    );
    const guessed = ok(parseInvoiceCsv('Date,Description,Amount\n03/04/2026,Filed brief,50\n'));
    expect(guessed.invoices[0]?.lines[0]?.date).toBe('2026-03-04');
    expect(guessed.warnings[0]?.message).toContain('ambiguous');
    expect(ok(parseInvoiceCsv('Date,Description,Amount\n03/04/2026,Filed brief,50\n', { dateOrder: 'dmy' })).invoices[0]?.lines[0]?.date).toBe('2026-04-03');
  });

  it('should report bad dates and amounts with line and column', () => {
    const errors = errorsOf(parseInvoiceCsv('Date,Description,Amount\n2026-13-01,Drafted brief,100\n2026-11-01,Filed brief,lots\n'));
    expect(errors).toEqual([
      { line: 2, field: 'Date', message: expect.stringContaining('"2026-13-01" is not a calendar date') },
      { line: 3, field: 'Amount', message: 'expected an amount, found "lots"' },
    ]);
  });

  it('should report extra values on a line and unclosed quotes', () => {
    expect(errorsOf(parseInvoiceCsv('Date,Description,Amount\n2026-11-01,Drafted, revised brief,100\n'))[0]).toMatchObject({
      line: 2,
      message: expect.stringContaining('expected 3 columns, found 4'),
    });
    expect(errorsOf(parseInvoiceCsv('Date,Description,Amount\n2026-11-01,"Drafted brief,100\n'))[0]).toMatchObject({
      message: expect.stringContaining('CSV syntax'),
    });
  });

  it('should refuse empty, binary and header-less input', () => {
    expect(errorsOf(parseInvoiceCsv(''))).toEqual([{ line: 1, message: 'the file is empty' }]);
    expect(errorsOf(parseInvoiceCsv('a\u0000b'))[0]?.message).toContain('not a text file');
    expect(errorsOf(parseInvoiceCsv('foo,bar\n1,2\n'))[0]?.message).toContain('no header row');
  });

  it('should honour an Excel sep= line and keep line numbers', () => {
    const r = ok(parseInvoiceCsv('sep=;\r\nDate;Description;Amount\r\n2026-11-01;Drafted brief;100,50\r\n'));
    expect(r.invoices[0]?.lines[0]).toMatchObject({ fileLine: 3, total: 100.5 });
  });
});

describe('CSV helpers', () => {
  it('should detect the delimiter', () => {
    expect(detectDelimiter(['a;b;c', '1;2;3'])).toBe(';');
    expect(detectDelimiter(['a\tb\tc'])).toBe('\t');
    expect(detectDelimiter(['"a;b",c,d'])).toBe(',');
  });

  it('should parse amounts with symbols, separators and negatives', () => {
    const n = (v: string, dc = false) => {
      const r = parseAmount(v, dc);
      return 'n' in r ? r.n : r.error;
    };
    expect(n('$1,234.56')).toBe(1234.56);
    expect(n('1.234,56 €', true)).toBe(1234.56);
    expect(n('EUR 1 234,50', true)).toBe(1234.5);
    expect(n("CHF 1'234.50")).toBe(1234.5);
    expect(n('(100.00)')).toBe(-100);
    expect(n('100.00-')).toBe(-100);
    expect(n('12,5')).toBe(12.5);
    expect(n('1,500')).toBe(1500);
    expect(n('1,500', true)).toBe(1.5);
    expect(n('1.500', true)).toBe(1500);
    expect(n('abc')).toContain('expected an amount');
    expect(n('1.2.3')).toContain('expected an amount');
  });

  it('should parse dates in the supported formats', () => {
    const d = (v: string, o: 'dmy' | 'mdy' = 'mdy') => {
      const r = parseCsvDate(v, o);
      return 'iso' in r ? r.iso : r.error;
    };
    expect(d('2026-11-03')).toBe('2026-11-03');
    expect(d('20261103')).toBe('2026-11-03');
    expect(d('2026-11-03T10:00:00Z')).toBe('2026-11-03');
    expect(d('11/03/2026')).toBe('2026-11-03');
    expect(d('11/03/2026', 'dmy')).toBe('2026-03-11');
    expect(d('03.11.26', 'dmy')).toBe('2026-11-03');
    expect(d('Nov 3')).toContain('expected a date');
  });

  it('should tell day-first from month-first', () => {
    expect(detectDateOrder(['13/01/2026'], 'mdy')).toMatchObject({ order: 'dmy', decided: true });
    expect(detectDateOrder(['01/13/2026'], 'dmy')).toMatchObject({ order: 'mdy', decided: true });
    expect(detectDateOrder(['01/02/2026'], 'dmy')).toMatchObject({ order: 'dmy', decided: false, ambiguous: true });
  });
});

describe('CSV line numbers', () => {
  it('should count blank lines and multi-line values', () => {
    const r = parseInvoiceCsv('Date,Description,Amount\n\n2026-11-01,Drafted brief,1\n\n\n2026-11-02,"Filed\n\nbrief",2\r\n2026-11-03,Served brief,3\r');
    expect(r.ok && r.invoices[0]?.lines.map((l) => l.fileLine)).toEqual([3, 6, 9]);
  });
});
