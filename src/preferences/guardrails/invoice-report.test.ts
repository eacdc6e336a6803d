import { describe, expect, it } from 'vitest';
import { checkInvoice } from './invoice-check.js';
import { renderInvoiceCheckText } from './invoice-report.js';
import { parseInvoice } from './parse-invoice.js';
import { fixture, ruleSource } from './testing.js';

describe('renderInvoiceCheckText', () => {
  it('should put totals first and list each finding with its preference and fix', () => {
    const parse = parseInvoice(fixture('trips-every-rule.ledes.txt'));
    const rule = ruleSource({ kind: 'billing', disallowedPhrases: ['review of file'] }, { statement: 'No “review of file”, ever.' });
    const check = parse.ok ? checkInvoice(parse, { rules: [rule], today: '2026-11-23' }) : null;
    const text = renderInvoiceCheckText(parse, check, 'kestrel.txt');
    const lines = text.split('\n');
    expect(lines[0]).toBe('kestrel.txt: ledes1998b, 1 invoice');
    expect(lines[1]).toBe('9 lines checked (5,967.50), 4 flagged, 5 findings, amount at risk 980.00');
    expect(text).toContain('ERROR line 3 (item 1), invoice ST-2026-301: Disallowed phrase "review of file" — at risk 520.00');
    expect(text).toContain('  Preference: “No “review of file”, ever.”');
  });

  it('should list parse errors with line and field', () => {
    const text = renderInvoiceCheckText(parseInvoice(fixture('malformed.ledes.txt')), null);
    expect(text).toContain('could not be read as ledes1998b (3 errors)');
    expect(text).toContain('  line 3, LINE_ITEM_DATE: expected a date as YYYYMMDD, found "11/03/2026"');
  });
});
