import { describe, expect, it } from 'vitest';
import { checkInvoice } from './invoice-check.js';
import { checkMessage } from './message-check.js';
import { parseInvoice } from './parse-invoice.js';
import { checkPlan } from './plan-check.js';
import { reportsDue } from './reporting.js';
import { ruleSource } from './testing.js';
import type { ParsedInvoice } from './types.js';

/** Every example of shared/seeds/004 expressed as a preference and caught by a check. */

const NAMES =
  'INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]';
const ledes = (invoiceDate: string, rows: [date: string, description: string, clientMatterId: string][]) => {
  const total = (rows.length * 400).toFixed(2);
  const lines = rows.map(([date, description, cm], i) =>
    [
      invoiceDate,
      'INV-9',
      'CL',
      'DEAL-1',
      total,
      '20260101',
      invoiceDate,
      'Services',
      String(i + 1),
      'F',
      '1',
      '0',
      '400.00',
      date,
      'L120',
      '',
      'A104',
      'TK',
      description,
      '13-1',
      '400.00',
      'Doe, Jo',
      'AS',
      cm,
    ].join('|'),
  );
  const r = parseInvoice(['LEDES1998B[]', NAMES, ...lines.map((l) => `${l}[]`)].join('\r\n'));
  if (!r.ok) {
    throw new Error(JSON.stringify(r.errors));
  }
  return r as ParsedInvoice;
};

describe('the seed examples', () => {
  it('the straggler bill two months after closing', () => {
    const rule = ruleSource({ kind: 'billing', lateEntryGraceDays: 14 }, { statement: 'Once a deal closes, the books are closed: no bills after that.' });
    const invoice = ledes('20260515', [['20260310', 'Drafted closing memorandum', 'P1']]);
    const result = checkInvoice(invoice, {
      rules: [rule],
      matters: [{ firmMatterCode: 'DEAL-1', name: 'Harbour acquisition', closedOn: '2026-03-15', projectCode: 'P1' }],
      today: '2026-05-15',
    });
    expect(result.findings.map((f) => f.kind)).toEqual(['late_invoice']);
  });

  it('the Chevy from the airport for the Ford client', () => {
    const rule = ruleSource(
      { kind: 'avoid_brands', brands: [{ name: 'Chevrolet', aliases: ['Chevy', 'General Motors', 'GM'] }] },
      { statement: 'We are Ford.' },
    );
    expect(checkPlan([{ label: 'Car hire', text: 'Airport pick-up: Chevy Malibu or similar' }], [rule]).findings).toMatchObject([
      { brand: 'Chevrolet', text: 'Chevy' },
    ]);
  });

  it('invoices not split by the client’s projects', () => {
    const rule = ruleSource({ kind: 'billing', splitByProjectCode: true }, { statement: 'Each project has its own P&L; bill per project.' });
    const invoice = ledes('20260531', [
      ['20260502', 'Negotiated lease for Elm Street site', 'RE-ELM'],
      ['20260503', 'Reviewed title report for Oak Avenue site', 'RE-OAK'],
      ['20260504', 'Drafted purchase agreement for the new site', ''],
    ]);
    const kinds = checkInvoice(invoice, { rules: [rule], today: '2026-06-01' }).findings.map((f) => f.kind);
    expect(kinds).toEqual(['missing_project_code', 'mixed_project_codes']);
  });

  it('the litigation update before the monthly board meeting', () => {
    const rule = ruleSource(
      { kind: 'reporting_schedule', report: 'Status of all outstanding disputes', anchor: { type: 'nth_weekday', nth: 2, weekday: 3 }, leadDays: 7 },
      { statement: 'I report on all disputes at the monthly board meeting; send the update without my asking.' },
    );
    expect(reportsDue([rule], '2026-11-23', 60).map((d) => d.dueDate)).toEqual(['2026-12-02', '2027-01-06']);
  });

  it('"review of file" struck from every bill', () => {
    const rule = ruleSource({ kind: 'billing', disallowedPhrases: ['review of file'] }, { statement: 'We won’t pay for “Review of file”.' });
    const result = checkInvoice(ledes('20260531', [['20260502', 'Review of file', 'P1']]), { rules: [rule], today: '2026-06-01' });
    expect(result.findings.map((f) => [f.kind, f.severity, f.amountAtRisk])).toEqual([
      ['disallowed_phrase', 'error', 400],
      ['vague_description', 'warning', 0],
    ]);
    expect(result.summary.amountAtRisk).toBe(400);
  });

  it('Pepsi in the fridges for the Coca-Cola visitors', () => {
    const rule = ruleSource({ kind: 'avoid_brands', brands: [{ name: 'Pepsi', aliases: ['PepsiCo', 'Pepsi Max'] }] }, { statement: 'We are Coca-Cola.' });
    expect(checkPlan('Catering: sandwiches, fruit, and a case of Pepsis for the fridge', [rule]).findings).toMatchObject([{ brand: 'Pepsi', text: 'Pepsis' }]);
  });

  it('the monthly status report nobody wanted', () => {
    const rule = ruleSource(
      { kind: 'unwanted_report', report: 'Loan transaction status report', keywords: ['status report', 'loan spreadsheet'] },
      { statement: 'I don’t need that unless I ask.' },
    );
    expect(
      checkMessage({ recipients: [], subject: 'Monthly status report: loan transactions', body: 'See attached.' }, { rules: [rule], contacts: [] }).findings,
    ).toMatchObject([{ kind: 'unwanted_report' }]);
  });

  it('phone calls to someone in an open-plan office', () => {
    const rule = ruleSource(
      { kind: 'channel', preferred: ['email'], unwanted: ['phone'] },
      { contactId: 'c1', statement: 'Phone calls are annoying; no doors here.' },
    );
    const result = checkMessage(
      { recipients: [{ contactId: 'c1' }], body: 'Catching up', channel: 'phone' },
      { rules: [rule], contacts: [{ id: 'c1', name: 'Ann Lee' }] },
    );
    expect(result.findings).toMatchObject([{ kind: 'unwanted_channel', field: 'channel' }]);
  });

  it('the bookkeeper who must not see private matters, and summary descriptions', () => {
    const restricted = ruleSource(
      { kind: 'restricted_recipient', contactId: 'bk', keywords: ['personal', 'estate'] },
      { statement: 'My bookkeeper must not see my personal legal work.' },
    );
    const message = checkMessage(
      { recipients: [{ email: 'bk@example.com' }], subject: 'Invoice: personal estate matter', body: '' },
      { rules: [restricted], contacts: [{ id: 'bk', name: 'Book Keeper', email: 'bk@example.com' }] },
    );
    expect(message.findings).toMatchObject([{ kind: 'restricted_recipient' }]);
    const summary = ruleSource({ kind: 'billing', descriptionDetail: 'summary' }, { statement: 'Prefer less robust descriptions.' });
    const invoice = ledes('20260531', [
      ['20260502', 'Advised on revisions to personal estate plan including trusts for children from first marriage and the transfer of the holiday home', 'P1'],
    ]);
    expect(checkInvoice(invoice, { rules: [summary], today: '2026-06-01' }).findings).toMatchObject([{ kind: 'description_detail' }]);
  });

  it('FedEx overnight to the UPS client', () => {
    const rule = ruleSource({ kind: 'avoid_brands', brands: [{ name: 'FedEx', aliases: ['Federal Express'] }] }, { statement: 'We are UPS.' });
    expect(checkPlan([{ label: 'Courier', text: "Overnight via FedEx's Priority service" }], [rule]).findings).toMatchObject([
      { brand: 'FedEx', text: "FedEx's" },
    ]);
  });

  it('Meg for Megge', () => {
    const rule = ruleSource({ kind: 'naming', preferredName: 'Megge', avoid: ['Meg'] }, { contactId: 'm', statement: 'My name is Megge.' });
    const result = checkMessage(
      { recipients: [{ contactId: 'm' }], salutation: 'Dear Meg,', body: '' },
      { rules: [rule], contacts: [{ id: 'm', name: 'Megge Smith' }] },
    );
    expect(result.findings).toMatchObject([{ kind: 'name_form', text: 'Meg' }]);
  });

  it('a Zoom appointment for Microsoft', () => {
    const rule = ruleSource({ kind: 'meeting_platform', preferred: ['Microsoft Teams'], avoid: ['Zoom'] }, { statement: 'We are Microsoft.' });
    const result = checkMessage({ recipients: [], body: 'Invitation: https://zoom.us/j/123', meetingPlatform: 'Zoom' }, { rules: [rule], contacts: [] });
    expect(result.findings.map((f) => f.field)).toEqual(['meetingPlatform', 'body']);
  });
});
