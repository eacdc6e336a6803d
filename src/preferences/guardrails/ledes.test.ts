import { describe, expect, it } from 'vitest';
import { parseLedes } from './ledes.js';
import { fixture } from './testing.js';
import type { InvoiceParseResult, ParsedInvoice } from './types.js';

const NAMES =
  'INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]';

interface LineOpts {
  invoiceTotal?: string;
  number?: string;
  type?: string;
  units?: string;
  total?: string;
  date?: string;
  invoiceDate?: string;
  desc?: string;
  rate?: string;
  cls?: string;
  invoiceDescription?: string;
}
const line = (o: LineOpts = {}) =>
  `${[
    o.invoiceDate ?? '20261130',
    'INV-1',
    'C1',
    'M1',
    o.invoiceTotal ?? '650.00',
    '20261101',
    '20261130',
    o.invoiceDescription ?? 'November work',
    o.number ?? '1',
    o.type ?? 'F',
    o.units ?? '1.0',
    '0',
    o.total ?? '650.00',
    o.date ?? '20261103',
    'L120',
    '',
    'A104',
    'TK1',
    o.desc ?? 'Analyzed motion to dismiss',
    '13-4567890',
    o.rate ?? '650.00',
    'Hale, Jordan',
    o.cls ?? 'PT',
    'PRJ-1',
  ].join('|')}[]`;

const ok = (r: InvoiceParseResult): ParsedInvoice => {
  if (!r.ok) {
    throw new Error(`expected a parse, got ${JSON.stringify(r.errors)}`);
  }
  return r;
};
const errorsOf = (r: InvoiceParseResult) => (r.ok ? [] : r.errors);

describe('parseLedes', () => {
  it('should parse a clean 1998B file with CRLF into typed lines', () => {
    const r = ok(parseLedes(fixture('us-clean-crlf.ledes.txt')));
    expect(r.format).toBe('ledes1998b');
    expect(r.warnings).toEqual([]);
    expect(r.invoices).toHaveLength(1);
    const inv = r.invoices[0];
    expect(inv).toMatchObject({ invoiceNumber: 'NY-2026-1187', invoiceDate: '2026-11-30', clientId: 'FORD01', total: 3536.5 });
    expect(inv?.lines).toHaveLength(6);
    expect(inv?.lines[0]).toMatchObject({
      fileLine: 3,
      lineItemNumber: '1',
      type: 'F',
      date: '2026-11-03',
      units: 2.5,
      rate: 650,
      total: 1625,
      taskCode: 'L120',
      activityCode: 'A104',
      timekeeperClass: 'PT',
      clientMatterId: 'PRJ-7781',
    });
    expect(inv?.lines[4]).toMatchObject({ type: 'E', expenseCode: 'E101', units: 120, rate: 0.15, total: 18 });
  });

  it('should accept a BOM, LF endings and blank trailing lines, warning about the BOM', () => {
    const r = ok(parseLedes(fixture('bom-lf.ledes.txt')));
    expect(r.invoices[0]?.lines).toHaveLength(3);
    expect(r.invoices[0]?.lines[2]).toMatchObject({ type: 'IF', units: null, rate: null, total: -100 });
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringContaining('byte-order mark')]);
  });

  it('should map older timekeeper class words to two-letter codes', () => {
    const r = ok(parseLedes(fixture('older-classes.ledes.txt')));
    expect(r.invoices[0]?.lines.map((l) => [l.timekeeperClassRaw, l.timekeeperClass])).toEqual([
      ['PARTNR', 'PT'],
      ['ASSOC', 'AS'],
      ['PARALEGAL', 'LA'],
      ['OFCOUNSEL', 'OC'],
    ]);
  });

  it('should parse LEDES 98BI V2 with 52 fields and its currency', () => {
    const r = ok(parseLedes(fixture('international-98bi-v2.ledes.txt')));
    expect(r.format).toBe('ledes98bi_v2');
    expect(r.invoices[0]).toMatchObject({ currency: 'EUR', total: 1710 });
    expect(r.invoices[0]?.lines).toHaveLength(2);
  });

  it('should keep a blank CLIENT_MATTER_ID as null (Brightflag rejects it; the check reports it)', () => {
    const r = ok(parseLedes(fixture('brightflag-blank-client-matter.ledes.txt')));
    expect(r.invoices[0]?.lines.every((l) => l.clientMatterId === null)).toBe(true);
  });

  it('should accept mixed line endings and count lines across them', () => {
    const text = `LEDES1998B[]\r\n${NAMES}\n${line()}\r${line({ number: '2', invoiceTotal: '1300.00' }).replace('650.00|', '1300.00|')}\r\n`;
    const r = parseLedes(text);
    // Both lines parse; line 4 is reached through a lone CR.
    const parsed = ok(r);
    expect(parsed.invoices[0]?.lines.map((l) => l.fileLine)).toEqual([3, 4]);
  });

  it('should refuse an empty file', () => {
    expect(errorsOf(parseLedes(''))).toEqual([{ line: 1, message: 'the file is empty' }]);
    expect(errorsOf(parseLedes('\n\r\n  \n'))).toEqual([{ line: 1, message: 'the file is empty' }]);
  });

  it('should refuse binary content as not a text file', () => {
    expect(errorsOf(parseLedes('LEDES1998B[]\n\u0000\u0001'))[0]).toMatchObject({ line: 2, message: expect.stringContaining('not a text file') });
    expect(errorsOf(parseLedes('LEDES1998B[]\n\ufffd\ufffd\ufffd\ufffd'))[0]?.message).toContain('not a text file');
    const fewReplacements = parseLedes(`LEDES1998B[]\n${NAMES}\n${line({ desc: 'Call with M\ufffdller' })}`);
    expect(fewReplacements.warnings[0]).toMatchObject({ line: 3, message: expect.stringContaining('replacement characters') });
  });

  it('should report a wrong header with what was found', () => {
    const errors = errorsOf(parseLedes(`LEDES1999X[]\n${NAMES}\n${line()}`));
    expect(errors).toEqual([{ line: 1, message: expect.stringContaining('found "LEDES1999X[]"') }]);
  });

  it('should tolerate a lower-case header or one without [] with a warning', () => {
    for (const header of ['ledes1998b[]', 'LEDES1998B', 'Ledes1998B []']) {
      const r = ok(parseLedes(`${header}\n${NAMES}\n${line()}`));
      expect(r.warnings[0]?.message).toContain('exactly "LEDES1998B[]"');
    }
    expect(ok(parseLedes(` LEDES1998B[]  \n${NAMES}\n${line()}`)).warnings).toEqual([]);
  });

  it('should refuse LEDES XML and 98BI version 1 as not supported', () => {
    expect(errorsOf(parseLedes('LEDES98BI[]\nX'))[0]?.message).toContain('not supported');
  });

  it('should warn when the field-name line lacks [] and map reordered names', () => {
    const r = ok(parseLedes(`LEDES1998B[]\n${NAMES.slice(0, -2)}\n${line()}`));
    expect(r.warnings[0]).toMatchObject({ line: 2, message: expect.stringContaining('does not end with []') });
  });

  it('should name unknown and missing field names on line 2', () => {
    const errors = errorsOf(parseLedes(`LEDES1998B[]\n${NAMES.replace('INVOICE_TOTAL', 'INVOICE_AMOUNT')}\n${line()}`));
    expect(errors).toContainEqual({ line: 2, field: 'INVOICE_AMOUNT', message: expect.stringContaining('unknown field name') });
    expect(errors).toContainEqual({ line: 2, message: expect.stringContaining('missing: INVOICE_TOTAL') });
  });

  it('should assume the standard order when the field-name line is missing', () => {
    const r = ok(parseLedes(`LEDES1998B[]\n${line()}`));
    expect(r.warnings[0]?.message).toContain('field-name line is missing');
    expect(r.invoices[0]?.lines[0]?.fileLine).toBe(2);
  });

  it('should report a wrong field count per line, hinting at a | inside a value', () => {
    const errors = errorsOf(parseLedes(`LEDES1998B[]\n${NAMES}\n${line({ desc: 'Call re A|B' })}\n${line({ number: '2' }).replace('|PRJ-1', '')}`));
    expect(errors).toEqual([
      { line: 3, message: expect.stringMatching(/expected 24 fields, found 25.*"\|"/) },
      { line: 4, message: expect.stringContaining('expected 24 fields, found 23') },
    ]);
  });

  it('should report non-numeric amounts and non-YYYYMMDD dates with what was found', () => {
    const errors = errorsOf(
      parseLedes(`LEDES1998B[]\n${NAMES}\n${line({ total: '$650.00', date: '11/03/2026' })}\n${line({ number: '2', invoiceDate: '20260231' })}`),
    );
    expect(errors).toContainEqual({ line: 3, field: 'LINE_ITEM_TOTAL', message: expect.stringContaining('found "$650.00"') });
    expect(errors).toContainEqual({ line: 3, field: 'LINE_ITEM_DATE', message: 'expected a date as YYYYMMDD, found "11/03/2026"' });
    expect(errors).toContainEqual({ line: 4, field: 'INVOICE_DATE', message: '"20260231" is not a calendar date' });
  });

  it('should report an unknown line type and [] inside a value', () => {
    const errors = errorsOf(parseLedes(`LEDES1998B[]\n${NAMES}\n${line({ type: 'X', desc: 'see [] here' })}`));
    expect(errors).toContainEqual({ line: 3, field: 'EXP/FEE/INV_ADJ_TYPE', message: 'expected F, E, IF or IE, found "X"' });
    expect(errors).toContainEqual({ line: 3, field: 'LINE_ITEM_DESCRIPTION', message: expect.stringContaining('"[]"') });
  });

  it('should warn when totals do not add up and descriptions differ within an invoice', () => {
    const r = ok(
      parseLedes(
        `LEDES1998B[]\n${NAMES}\n${line({ invoiceTotal: '1000.00' })}\n${line({ number: '2', invoiceTotal: '1000.00', total: '700.00', invoiceDescription: 'Other' })}`,
      ),
    );
    const messages = r.warnings.map((w) => w.message);
    expect(messages).toContainEqual(expect.stringContaining('line total 700.00 ≠ units × rate + adjustment = 650.00'));
    expect(messages).toContainEqual(expect.stringContaining('INVOICE_DESCRIPTION differs'));
    expect(messages).toContainEqual(expect.stringContaining('INVOICE_TOTAL 1000.00 ≠ sum of line totals 1350.00'));
  });

  it('should warn about an unknown timekeeper class and lines without []', () => {
    const r = ok(parseLedes(`LEDES1998B[]\n${NAMES}\n${line({ cls: 'WIZARD' }).slice(0, -2)}`));
    expect(r.invoices[0]?.lines[0]?.timekeeperClass).toBeNull();
    expect(r.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('unknown timekeeper class "WIZARD"'),
      expect.stringContaining('do not end with []'),
    ]);
  });

  it('should group several invoices in one file', () => {
    const second = line({ number: '1' }).replace('INV-1', 'INV-2');
    const r = ok(parseLedes(`LEDES1998B[]\n${NAMES}\n${line()}\n${second}`));
    expect(r.invoices.map((i) => i.invoiceNumber)).toEqual(['INV-1', 'INV-2']);
  });
});

describe('fixtures', () => {
  it('should locate every error in the malformed sample', () => {
    expect(errorsOf(parseLedes(fixture('malformed.ledes.txt')))).toEqual([
      { line: 3, field: 'LINE_ITEM_DATE', message: 'expected a date as YYYYMMDD, found "11/03/2026"' },
      { line: 4, field: 'LINE_ITEM_TOTAL', message: expect.stringContaining('found "1,360.00"') },
      { line: 5, message: expect.stringContaining('expected 24 fields, found 25') },
    ]);
  });
});
