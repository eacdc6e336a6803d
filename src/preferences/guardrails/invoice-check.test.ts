import { describe, expect, it } from 'vitest';
import { blockBilledTasks, checkInvoice, type InvoiceCheckContext, isVague } from './invoice-check.js';
import { parseInvoice } from './parse-invoice.js';
import { fixture, ruleSource } from './testing.js';
import type { InvoiceLine, ParsedInvoice } from './types.js';

const parsed = (name: string): ParsedInvoice => {
  const r = parseInvoice(fixture(name), name);
  if (!r.ok) {
    throw new Error(JSON.stringify(r.errors));
  }
  return r;
};

const guidelines = ruleSource(
  {
    kind: 'billing',
    disallowedPhrases: ['Review of file'],
    noBlockBilling: true,
    rateCaps: [{ timekeeperClass: 'PT', maxRate: 750 }],
    lateEntryGraceDays: 5,
    splitByProjectCode: true,
    requireUtbmsCodes: true,
    noVagueDescriptions: true,
  },
  { preferenceId: 'pref-guidelines', statement: 'Our billing guidelines: no "review of file", no block billing, partners capped at $750.' },
);

function line(overrides: Partial<InvoiceLine>): InvoiceLine {
  return {
    fileLine: 3,
    lineItemNumber: '1',
    invoiceNumber: 'I-1',
    type: 'F',
    date: '2026-11-03',
    units: 1,
    rate: 400,
    adjustment: 0,
    total: 400,
    taskCode: 'L120',
    activityCode: 'A104',
    expenseCode: null,
    timekeeperId: 'TK1',
    timekeeperName: 'Hale, Jordan',
    timekeeperClass: 'AS',
    timekeeperClassRaw: 'AS',
    description: 'Analyzed motion to dismiss to outline the response',
    clientId: 'C1',
    lawFirmMatterId: 'M-1',
    clientMatterId: 'P-1',
    ...overrides,
  };
}
const invoiceOf = (lines: InvoiceLine[], invoiceDate: string | null = '2026-11-30'): ParsedInvoice => ({
  ok: true,
  format: 'ledes1998b',
  warnings: [],
  invoices: [
    { invoiceNumber: 'I-1', invoiceDate, clientId: 'C1', total: null, billingStart: null, billingEnd: null, description: null, currency: null, lines },
  ],
});
const ctx = (rules = [guidelines], extra: Partial<InvoiceCheckContext> = {}): InvoiceCheckContext => ({ rules, today: '2026-11-23', ...extra });

describe('checkInvoice', () => {
  it('should flag every rule the sample invoice trips, each naming line, rule, preference, amount and fix', () => {
    const result = checkInvoice(parsed('trips-every-rule.ledes.txt'), ctx());
    const byLine = (fileLine: number) => result.findings.filter((f) => f.fileLine === fileLine).map((f) => f.kind);
    expect(byLine(3)).toEqual(['disallowed_phrase', 'vague_description']);
    expect(byLine(4)).toEqual(['block_billing']);
    expect(byLine(5)).toEqual(['vague_description']);
    expect(byLine(6)).toEqual(['rate_above_cap']);
    expect(byLine(7)).toEqual(['unknown_code']);
    expect(byLine(8)).toEqual(['missing_code', 'missing_code']);
    expect(byLine(9)).toEqual(['missing_project_code']);
    expect(byLine(10)).toEqual([]);
    expect(byLine(11)).toEqual(['unknown_code']);

    const phrase = result.findings[0];
    expect(phrase).toMatchObject({
      kind: 'disallowed_phrase',
      invoiceNumber: 'ST-2026-301',
      fileLine: 3,
      lineItemNumber: '1',
      rule: 'Disallowed phrase "Review of file"',
      source: { preferenceId: 'pref-guidelines', statement: expect.stringContaining('review of file') },
      amountAtRisk: 520,
      span: { start: 0, end: 14 },
      suggestedFix: expect.any(String),
    });
    const rate = result.findings.find((f) => f.kind === 'rate_above_cap');
    expect(rate).toMatchObject({ amountAtRisk: 300, lineItemNumber: '4', suggestedFix: 'Bill at 750.00: 2 × 750.00 = 1500.00.' });
    // Line 3 is flagged twice (phrase + vague) but counted once: 520 + 1487.5 + 425 + 300 + 425 + 425 + 637.5 + 35.
    expect(result.summary).toMatchObject({ invoices: 1, linesChecked: 9, linesFlagged: 8, amountAtRisk: 4255, findings: 10 });
    expect(result.summary.findingsByKind).toEqual({
      disallowed_phrase: 1,
      vague_description: 2,
      block_billing: 1,
      rate_above_cap: 1,
      unknown_code: 2,
      missing_code: 2,
      missing_project_code: 1,
    });
  });

  it('should find the same problems in the same invoice exported as CSV', () => {
    const ledes = checkInvoice(parsed('trips-every-rule.ledes.txt'), ctx());
    const csv = checkInvoice(parsed('trips-every-rule.csv'), ctx());
    const shape = (r: typeof ledes) => r.findings.map((f) => [f.kind, f.amountAtRisk]);
    expect(shape(csv)).toEqual(shape(ledes));
    expect(csv.summary.amountAtRisk).toBe(ledes.summary.amountAtRisk);
    expect(csv.findings[0]).toMatchObject({ invoiceNumber: 'ST-2026-302', fileLine: 2, lineItemNumber: null });
  });

  it('should catch the straggler bill: entries after the matter closed plus grace, and an invoice sent too late', () => {
    const matters = [{ firmMatterCode: 'K-100', name: 'Kestrel acquisition', closedOn: '2026-11-15', projectCode: 'KP-01' }];
    const result = checkInvoice(parsed('trips-every-rule.ledes.txt'), ctx([guidelines], { matters }));
    const late = result.findings.filter((f) => f.kind === 'late_entry');
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      fileLine: 10,
      amountAtRisk: 212.5,
      message: expect.stringContaining('10 days after "Kestrel acquisition" closed on 2026-11-15'),
    });
    expect(result.findings.filter((f) => f.kind === 'late_invoice')).toHaveLength(8);
    // Every line is now at risk in full (once each).
    expect(result.summary.amountAtRisk).toBe(result.summary.amountChecked);

    const onTime = checkInvoice(
      invoiceOf([line({ date: '2026-11-10' })], null),
      ctx([guidelines], { matters: [{ firmMatterCode: 'M-1', name: 'Deal', closedOn: '2026-11-20', projectCode: 'P-1' }] }),
    );
    expect(onTime.findings).toEqual([]);
  });

  it('should flag the blank CLIENT_MATTER_ID of a Brightflag-style file when the client splits by project', () => {
    const rule = ruleSource({ kind: 'billing', splitByProjectCode: true });
    const result = checkInvoice(parsed('brightflag-blank-client-matter.ledes.txt'), ctx([rule]));
    expect(result.findings.map((f) => [f.kind, f.fileLine, f.amountAtRisk])).toEqual([
      ['missing_project_code', 3, 500],
      ['missing_project_code', 4, 700],
    ]);
    expect(checkInvoice(parsed('us-clean-crlf.ledes.txt'), ctx([rule])).findings).toEqual([]);
  });

  it('should match matters by the client project code when the firm code is absent', () => {
    const matters = [{ name: 'Deal', closedOn: '2026-01-01', projectCode: 'p-1' }];
    const result = checkInvoice(invoiceOf([line({ lawFirmMatterId: null, date: '2026-03-01' })]), ctx([guidelines], { matters }));
    expect(result.findings.map((f) => f.kind)).toEqual(['late_entry']);
  });

  it('should report unknown project codes and invoices mixing projects', () => {
    const matters = [{ firmMatterCode: 'M-1', name: 'Deal', closedOn: null, projectCode: 'P-1' }];
    const result = checkInvoice(invoiceOf([line({}), line({ fileLine: 4, lineItemNumber: '2', clientMatterId: 'P-7' })]), ctx([guidelines], { matters }));
    expect(result.findings.map((f) => [f.kind, f.fileLine])).toEqual([
      ['unknown_project_code', 4],
      ['mixed_project_codes', 4],
    ]);
  });

  it('should check codes: wrong field, unknown set as a warning, and no findings for IF lines', () => {
    const result = checkInvoice(
      invoiceOf([
        line({ taskCode: 'A104', activityCode: 'A104' }),
        line({ fileLine: 4, taskCode: 'B110' }),
        line({ fileLine: 5, type: 'IF', taskCode: null, activityCode: null, description: 'Discount' }),
      ]),
      ctx(),
    );
    expect(result.findings.map((f) => [f.kind, f.severity, f.fileLine, f.amountAtRisk])).toEqual([
      ['unknown_code', 'error', 3, 400],
      ['unknown_code', 'warning', 4, 0],
    ]);
    expect(result.findings[0]?.message).toContain('A104 (Review/analyze) is an activity code, not a task code');
  });

  it('should treat LA and PL as one class for rate caps', () => {
    const rules = [ruleSource({ kind: 'billing', rateCaps: [{ timekeeperClass: 'PL', maxRate: 200 }] })];
    const result = checkInvoice(invoiceOf([line({ timekeeperClass: 'LA', rate: 250, units: 2, total: 500 })]), ctx(rules));
    expect(result.findings).toMatchObject([{ kind: 'rate_above_cap', amountAtRisk: 100 }]);
  });

  it('should report vague entries as warnings without a preference when no rule asks', () => {
    const result = checkInvoice(invoiceOf([line({ description: 'Attention to file' }), line({ fileLine: 4, description: 'Drafted brief' })]), ctx([]));
    expect(result.findings).toMatchObject([{ kind: 'vague_description', severity: 'warning', source: null, amountAtRisk: 0, fileLine: 3 }]);
    expect(result.summary.amountAtRisk).toBe(0);
  });

  it('should check description detail against the client wish', () => {
    const summary = [ruleSource({ kind: 'billing', descriptionDetail: 'summary' })];
    const long =
      'Drafted detailed memorandum to the board analysing the tax consequences of the proposed restructuring of the private family holdings and trusts';
    expect(checkInvoice(invoiceOf([line({ description: long }), line({ fileLine: 4, description: 'Tax advice' })]), ctx(summary)).findings).toMatchObject([
      { kind: 'description_detail', fileLine: 3, severity: 'warning', amountAtRisk: 0 },
    ]);
    const detailed = [ruleSource({ kind: 'billing', descriptionDetail: 'detailed' })];
    expect(checkInvoice(invoiceOf([line({ description: long }), line({ fileLine: 4, description: 'Tax advice' })]), ctx(detailed)).findings).toMatchObject([
      { kind: 'description_detail', fileLine: 4, severity: 'error', amountAtRisk: 400 },
    ]);
  });

  it('should report contradictory rules as rule_conflict and apply the stricter value', () => {
    const a = ruleSource({ kind: 'billing', rateCaps: [{ timekeeperClass: 'AS', maxRate: 350 }], descriptionDetail: 'summary', lateEntryGraceDays: 30 });
    const b = ruleSource({ kind: 'billing', rateCaps: [{ timekeeperClass: 'AS', maxRate: 300 }], descriptionDetail: 'detailed', lateEntryGraceDays: 10 });
    const result = checkInvoice(invoiceOf([line({ description: 'Tax advice' })]), ctx([a, b]));
    const conflicts = result.findings.filter((f) => f.kind === 'rule_conflict');
    expect(conflicts.map((f) => f.rule)).toEqual(['Rate cap for AS', 'Late-entry grace period', 'Description detail']);
    expect(conflicts[0]).toMatchObject({ source: { preferenceId: b.preferenceId }, conflictsWith: { preferenceId: a.preferenceId }, fileLine: null });
    expect(result.findings.find((f) => f.kind === 'rate_above_cap')).toMatchObject({ amountAtRisk: 100 });
    expect(result.findings.some((f) => f.kind === 'description_detail')).toBe(false);
  });

  it('should ignore preferences that are not billing rules', () => {
    const brands = ruleSource({ kind: 'avoid_brands', brands: [{ name: 'Pepsi' }] });
    expect(checkInvoice(invoiceOf([line({ description: 'Bought Pepsi for meeting' })]), ctx([brands])).findings).toEqual([]);
  });

  it('should match disallowed phrases case- and whitespace-insensitively, including plurals', () => {
    for (const description of ['REVIEW  OF FILE', 'Initial review of\nfile and documents', 'Review of files']) {
      expect(checkInvoice(invoiceOf([line({ description })]), ctx()).findings.map((f) => f.kind)).toContain('disallowed_phrase');
    }
    expect(checkInvoice(invoiceOf([line({ description: 'Preview of filed documents for court' })]), ctx()).findings).toEqual([]);
  });
});

describe('block billing heuristic', () => {
  it('should find several tasks in one entry', () => {
    expect(blockBilledTasks('Drafted interrogatories; reviewed document requests; call with client')).toHaveLength(3);
    expect(blockBilledTasks('Reviewed contract and drafted markup for client')).toEqual(['Reviewed contract', 'drafted markup for client']);
    expect(blockBilledTasks('Telephone conference with client. Prepared deposition outline')).toHaveLength(2);
  });

  it('should not flag one task with joined verbs or objects', () => {
    for (const d of [
      'Reviewed and revised share purchase agreement',
      'Prepared for and attended deposition of plaintiff',
      'Call with client and opposing counsel regarding schedule',
      'Research and analysis of limitation period',
      'Drafted motion to compel; exhibits attached',
      'Analyzed terms and conditions of the supply agreement',
    ]) {
      expect(blockBilledTasks(d), d).toEqual([]);
    }
  });
});

describe('vague heuristic', () => {
  it('should find vague narratives and leave specific ones', () => {
    for (const d of ['Work on matter', 'attention to file', 'Review', 'Research', '', 'Emails', 'Follow up re same', 'Legal research']) {
      expect(isVague(d), d).toBe(true);
    }
    for (const d of ['Reviewed lease for break clause', 'Drafted brief', 'Call with HR director about dismissal']) {
      expect(isVague(d), d).toBe(false);
    }
  });
});
