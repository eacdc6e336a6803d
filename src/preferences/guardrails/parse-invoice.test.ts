import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RuleSource } from '../rules.js';
import { splitLines } from './common.js';
import { checkInvoice } from './invoice-check.js';
import { parseInvoiceCsv } from './invoice-csv.js';
import { parseLedes } from './ledes.js';
import { decodeInvoiceBytes, invoiceSizeRefusal, MAX_INVOICE_BYTES, parseInvoice, parseInvoiceBytes } from './parse-invoice.js';
import { fixture, ruleSource } from './testing.js';
import type { InvoiceLine, InvoiceParseResult, ParsedInvoice } from './types.js';

const NAMES =
  'INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]';

describe('parseInvoice', () => {
  it('should sniff LEDES and CSV from the content', () => {
    expect(parseInvoice(fixture('us-clean-crlf.ledes.txt'), 'invoice.csv').format).toBe('ledes1998b');
    expect(parseInvoice(fixture('international-98bi-v2.ledes.txt')).format).toBe('ledes98bi_v2');
    expect(parseInvoice(fixture('practice-management-semicolon.csv'), 'export.csv').format).toBe('csv');
    expect(parseInvoice(fixture('bom-lf.ledes.txt')).format).toBe('ledes1998b');
    expect(parseInvoice(fixture('us-clean-crlf.ledes.txt'), 'invoice.csv').warnings).toEqual([{ line: 1, message: expect.stringContaining('.txt extension') }]);
    expect(parseInvoice(fixture('us-clean-crlf.ledes.txt'), 'INVOICE.TXT').warnings).toEqual([]);
  });

  it('should refuse XML as not supported', () => {
    const r = parseInvoice('<?xml version="1.0"?><ledesxmlebilling2.2/>', 'inv.xml');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.errors[0]?.message).toContain('not supported');
  });
});

describe('invoice bytes', () => {
  it('should refuse input over the 50 MB limit with a clear message', () => {
    expect(MAX_INVOICE_BYTES).toBe(50 * 1024 * 1024);
    expect(invoiceSizeRefusal(MAX_INVOICE_BYTES)).toBeNull();
    expect(invoiceSizeRefusal(MAX_INVOICE_BYTES + 1)).toMatch(/up to 50\.0 MB/);
    const big = new Uint8Array(MAX_INVOICE_BYTES + 1);
    expect(decodeInvoiceBytes(big)).toEqual({ ok: false, message: expect.stringContaining('50.0 MB') });
  });

  it('should refuse NUL bytes and invalid UTF-8 as not a text file, and keep the BOM for the parser', () => {
    expect(decodeInvoiceBytes(new Uint8Array([0x4c, 0x00, 0x45]))).toMatchObject({ ok: false, message: expect.stringContaining('not a text file') });
    expect(decodeInvoiceBytes(new Uint8Array([0x4c, 0xff, 0x01, 0x02, 0x45]))).toMatchObject({
      ok: false,
      message: expect.stringContaining('not a text file'),
    });
    const withBom = decodeInvoiceBytes(new TextEncoder().encode('\ufeffLEDES1998B[]'));
    expect(withBom).toEqual({ ok: true, text: '\ufeffLEDES1998B[]', encoding: 'utf-8' });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(decodeInvoiceBytes(new Uint8Array([0x43, 0x61, 0x66, 0xe9]))).toEqual({ ok: true, text: 'Café', encoding: 'windows-1252' });
    const cp1252 = new Uint8Array([
      ...new TextEncoder().encode('Date,Description,Amount\n2026-11-01,Conf'),
      0xe9,
      ...new TextEncoder().encode('rence with client,100\n'),
    ]);
    const read = parseInvoiceBytes(cp1252, 'export.csv');
    expect(read.ok && read.invoices[0]?.lines[0]?.description).toBe('Conférence with client');
    expect(read.warnings[0]?.message).toContain('Windows-1252');
    expect(parseInvoiceBytes(png, 'invoice.txt')).toMatchObject({ ok: false, errors: [{ line: 1, message: expect.stringContaining('not a text file') }] });
  });
});

const withinLines = (text: string, r: InvoiceParseResult) => {
  const count = splitLines(text).length;
  const issues = r.ok ? r.warnings : [...r.errors, ...r.warnings];
  for (const issue of issues) {
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.line).toBeLessThanOrEqual(count);
  }
  if (!r.ok) {
    expect(r.errors.length).toBeGreaterThan(0);
  } else {
    for (const line of r.invoices.flatMap((i) => i.lines)) {
      expect(line.fileLine).toBeGreaterThanOrEqual(1);
      expect(line.fileLine).toBeLessThanOrEqual(count);
    }
  }
};

/** Strings that look like LEDES or CSV, mutated: the interesting inputs for a parser. */
const ledesish = fc
  .tuple(
    fc.constantFrom('LEDES1998B[]', 'ledes1998b', 'LEDES98BI V2[]', '\ufeffLEDES1998B[]', 'LEDES1998B[]\r'),
    fc.constantFrom(NAMES, NAMES.slice(0, -2), ''),
    fc.array(
      fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('20261103', '650.00', 'F', 'E', 'IF', 'PARTNR', 'L120', '', '[]', '|')), {
        minLength: 20,
        maxLength: 26,
      }),
      { maxLength: 5 },
    ),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([header, names, rows, eol]) => [header, names, ...rows.map((r) => `${r.join('|')}[]`)].join(eol));
const csvish = fc
  .tuple(
    fc.constantFrom('Date,Timekeeper,Hours,Rate,Amount,Description', 'Datum;Fee Earner;Hours;Rate;Amount;Narrative', 'date\tdescription\ttotal'),
    fc.array(
      fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('"a\nb"', '03/04/2026', '$1,234.50', '1.234,50', '"', '(5)', 'Total')), { maxLength: 8 }),
      {
        maxLength: 6,
      },
    ),
    fc.constantFrom(',', ';', '\t'),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([header, rows, d, eol]) => [header, ...rows.map((r) => r.join(d))].join(eol));

describe('parser properties', () => {
  it('should never throw and always locate issues within the input, on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), ledesish, csvish), (text) => {
        for (const r of [parseLedes(text), parseInvoiceCsv(text), parseInvoice(text)]) {
          withinLines(text, r);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('should never throw on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const r = parseInvoiceBytes(bytes);
        const text = new TextDecoder().decode(bytes);
        withinLines(text, r);
      }),
      { numRuns: 300 },
    );
  });
});

/** Amounts as a parser can produce them (finite), plus NaN and infinities that a caller might pass. */
const money = fc.oneof(fc.double({ min: -1e9, max: 1e9 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY));
const lineArb: fc.Arbitrary<InvoiceLine> = fc.record({
  fileLine: fc.integer({ min: 1, max: 1000 }),
  lineItemNumber: fc.option(fc.string({ maxLength: 4 })),
  invoiceNumber: fc.option(fc.string({ maxLength: 4 })),
  type: fc.constantFrom('F', 'E', 'IF', 'IE', null),
  date: fc.option(fc.constantFrom('2026-01-01', '2026-12-31', '2027-06-01', 'garbage')),
  units: fc.option(money),
  rate: fc.option(money),
  adjustment: fc.option(money),
  total: fc.option(money),
  taskCode: fc.option(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('L120', 'A104', 'B110', 'L999'))),
  activityCode: fc.option(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('A104', 'L120'))),
  expenseCode: fc.option(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('E101', 'E999'))),
  timekeeperId: fc.option(fc.string({ maxLength: 4 })),
  timekeeperName: fc.option(fc.string({ maxLength: 10 })),
  timekeeperClass: fc.constantFrom('PT', 'AS', 'LA', 'PL', null),
  timekeeperClassRaw: fc.option(fc.string({ maxLength: 6 })),
  description: fc.oneof(fc.string(), fc.constantFrom('Review of file', 'Drafted brief; reviewed letter', 'work on matter', '')),
  clientId: fc.option(fc.string({ maxLength: 4 })),
  lawFirmMatterId: fc.option(fc.constantFrom('M1', 'M2')),
  clientMatterId: fc.option(fc.constantFrom('P1', 'P2', 'X')),
});

describe('check properties', () => {
  const rules: RuleSource[] = [
    ruleSource({
      kind: 'billing',
      disallowedPhrases: ['review of file'],
      noBlockBilling: true,
      rateCaps: [{ timekeeperClass: 'PT', maxRate: 500 }],
      lateEntryGraceDays: 30,
      splitByProjectCode: true,
      descriptionDetail: 'detailed',
      requireUtbmsCodes: true,
    }),
    ruleSource({ kind: 'billing', rateCaps: [{ timekeeperClass: 'PT', maxRate: 450 }], descriptionDetail: 'summary' }),
  ];
  it('should never throw on arbitrary parsed invoices and keep the amount at risk within the amount billed', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 12 }), fc.option(fc.constantFrom('2026-06-01', '2027-01-01')), (lines, invoiceDate) => {
        const parsed: ParsedInvoice = {
          ok: true,
          format: 'csv',
          warnings: [],
          invoices: [
            { invoiceNumber: 'I', invoiceDate, clientId: null, total: null, billingStart: null, billingEnd: null, description: null, currency: null, lines },
          ],
        };
        const result = checkInvoice(parsed, {
          rules,
          matters: [{ firmMatterCode: 'M1', name: 'Deal', closedOn: '2026-03-01', projectCode: 'P1' }],
          today: '2026-11-23',
        });
        expect(result.summary.linesChecked).toBe(lines.length);
        expect(Number.isFinite(result.summary.amountAtRisk)).toBe(true);
        const positive = lines.reduce((sum, l) => sum + (l.total !== null && Number.isFinite(l.total) && l.total > 0 ? l.total : 0), 0);
        expect(result.summary.amountAtRisk).toBeLessThanOrEqual(positive + 0.01);
      }),
      { numRuns: 300 },
    );
  });
});
