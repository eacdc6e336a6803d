import type { BillingRule, RuleSource, TimekeeperClass } from '../rules.js';
import { findTerm, normaliseText, words } from './match.js';
import type { FindingSource, Invoice, InvoiceLine, ParsedInvoice, Span } from './types.js';
import { fieldOfSet, lookupUtbms, type UtbmsField } from './utbms.js';

/**
 * The invoice check: every line the client's billing guidelines will reject, with the preference it
 * comes from, the amount at risk and a suggested fix. Pure; heuristics and limits in docs/guardrails.md.
 */

export const INVOICE_FINDING_KINDS = [
  'disallowed_phrase',
  'block_billing',
  'vague_description',
  'late_entry',
  'late_invoice',
  'rate_above_cap',
  'unknown_code',
  'missing_code',
  'missing_project_code',
  'unknown_project_code',
  'mixed_project_codes',
  'description_detail',
  'rule_conflict',
] as const;
export type InvoiceFindingKind = (typeof INVOICE_FINDING_KINDS)[number];

export interface InvoiceFinding {
  kind: InvoiceFindingKind;
  /** error: the client is expected to reject or strike it; warning: worth a look. */
  severity: 'error' | 'warning';
  invoiceNumber: string | null;
  /** The file line and LINE_ITEM_NUMBER; null for invoice- or rule-level findings. */
  fileLine: number | null;
  lineItemNumber: string | null;
  /** The rule in words, e.g. `Disallowed phrase "review of file"`. */
  rule: string;
  /** The preference the rule comes from; null for common e-billing checks no preference asked for. */
  source: FindingSource | null;
  /** For rule_conflict: the other preference. */
  conflictsWith?: FindingSource;
  amountAtRisk: number;
  message: string;
  suggestedFix: string;
  /** Where in LINE_ITEM_DESCRIPTION the problem is, for highlighting. */
  span?: Span;
}

/** A client matter as the check needs it (plain data from the clients domain). */
export interface MatterInfo {
  /** The firm's matter code (LAW_FIRM_MATTER_ID). */
  firmMatterCode?: string | null;
  name: string;
  /** ISO date the matter closed; null while open. */
  closedOn: string | null;
  /** The client's project or cost-centre code (CLIENT_MATTER_ID). */
  projectCode: string | null;
}

export interface InvoiceCheckContext {
  /** The client's preferences; only those with a `billing` rule are used. */
  rules: RuleSource[];
  matters?: MatterInfo[];
  /** ISO date; stands in for a missing invoice date when judging a straggler bill. */
  today: string;
}

export interface InvoiceCheckSummary {
  invoices: number;
  linesChecked: number;
  /** Sum of line totals checked. */
  amountChecked: number;
  findings: number;
  findingsByKind: Partial<Record<InvoiceFindingKind, number>>;
  /** Per line, the largest amount any finding puts at risk (capped at the line total), summed. */
  amountAtRisk: number;
  /** Lines with at least one finding. */
  linesFlagged: number;
}

export interface InvoiceCheckResult {
  summary: InvoiceCheckSummary;
  findings: InvoiceFinding[];
}

/** Thresholds of the description heuristics, exported for the docs and tests. */
export const DESCRIPTION_LIMITS = {
  /** "summary" wanted: longer than this many words or characters is "detailed". */
  summaryMaxWords: 20,
  summaryMaxChars: 140,
  /** "detailed" wanted: fewer words than this is "terse". */
  detailedMinWords: 6,
} as const;

type Sourced<T> = { value: T; source: FindingSource };

export interface MergedRules {
  phrases: Sourced<string>[];
  blockBilling: FindingSource | null;
  vague: FindingSource | null;
  caps: Map<TimekeeperClass, Sourced<number>>;
  grace: Sourced<number> | null;
  split: FindingSource | null;
  detail: Sourced<'summary' | 'detailed'> | null;
  requireCodes: FindingSource | null;
  conflicts: InvoiceFinding[];
}

const sourceOf = (s: RuleSource): FindingSource => ({ preferenceId: s.preferenceId, statement: s.statement });
const money = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : String(n));
const finite = (n: number | null | undefined): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);
/** Rounds to cents; values too large for that are left as they are. */
const cents = (n: number) => (Math.abs(n) < 1e12 ? Math.round(n * 100) / 100 : n);

function conflict(rule: string, a: FindingSource, b: FindingSource, message: string, fix: string): InvoiceFinding {
  return {
    kind: 'rule_conflict',
    severity: 'warning',
    invoiceNumber: null,
    fileLine: null,
    lineItemNumber: null,
    rule,
    source: a,
    conflictsWith: b,
    amountAtRisk: 0,
    message,
    suggestedFix: fix,
  };
}

/**
 * Merges several billing preferences. Lists and switches add up; where two preferences disagree (two caps
 * for one class, two grace periods, summary vs detailed) the check reports a rule_conflict and applies
 * the stricter value (the lower cap, the shorter grace) or, for summary vs detailed, neither.
 */
export function mergeBillingRules(sources: RuleSource[]): MergedRules {
  const merged: MergedRules = {
    phrases: [],
    blockBilling: null,
    vague: null,
    caps: new Map(),
    grace: null,
    split: null,
    detail: null,
    requireCodes: null,
    conflicts: [],
  };
  let detailConflict = false;
  for (const s of sources) {
    if (s.rule.kind !== 'billing') {
      continue;
    }
    const rule: Partial<BillingRule> = s.rule;
    const src = sourceOf(s);
    for (const phrase of rule.disallowedPhrases ?? []) {
      if (!merged.phrases.some((p) => normaliseText(p.value) === normaliseText(phrase))) {
        merged.phrases.push({ value: phrase, source: src });
      }
    }
    if (rule.noBlockBilling) {
      merged.blockBilling ??= src;
    }
    if (rule.noVagueDescriptions) {
      merged.vague ??= src;
    }
    if (rule.splitByProjectCode) {
      merged.split ??= src;
    }
    if (rule.requireUtbmsCodes) {
      merged.requireCodes ??= src;
    }
    for (const cap of rule.rateCaps ?? []) {
      const existing = merged.caps.get(cap.timekeeperClass);
      if (!existing) {
        merged.caps.set(cap.timekeeperClass, { value: cap.maxRate, source: src });
      } else if (existing.value !== cap.maxRate) {
        const [low, high] = existing.value <= cap.maxRate ? [existing, { value: cap.maxRate, source: src }] : [{ value: cap.maxRate, source: src }, existing];
        merged.conflicts.push(
          conflict(
            `Rate cap for ${cap.timekeeperClass}`,
            low.source,
            high.source,
            `Two preferences cap ${cap.timekeeperClass} rates differently (${money(low.value)} and ${money(high.value)}); the lower cap was applied.`,
            'Ask the client which cap applies and update or retire the other preference.',
          ),
        );
        merged.caps.set(cap.timekeeperClass, low);
      }
    }
    const grace = rule.lateEntryGraceDays;
    if (typeof grace === 'number') {
      if (!merged.grace) {
        merged.grace = { value: grace, source: src };
      } else if (merged.grace.value !== grace) {
        const [low, high] = merged.grace.value <= grace ? [merged.grace, { value: grace, source: src }] : [{ value: grace, source: src }, merged.grace];
        merged.conflicts.push(
          conflict(
            'Late-entry grace period',
            low.source,
            high.source,
            `Two preferences set different grace periods after a matter closes (${low.value} and ${high.value} days); the shorter was applied.`,
            'Ask the client which period applies and update or retire the other preference.',
          ),
        );
        merged.grace = low;
      }
    }
    const detail = rule.descriptionDetail;
    if (detail) {
      if (!merged.detail && !detailConflict) {
        merged.detail = { value: detail, source: src };
      } else if (merged.detail && merged.detail.value !== detail) {
        merged.conflicts.push(
          conflict(
            'Description detail',
            merged.detail.source,
            src,
            'One preference asks for summary descriptions and another for detailed ones; the description-detail check was skipped.',
            'Ask the client which they want (perhaps per matter or per recipient) and retire the other preference.',
          ),
        );
        merged.detail = null;
        detailConflict = true;
      }
    }
  }
  return merged;
}

/** Task-starting words of time narratives (base, past and -ing forms are derived). */
const TASK_VERBS = new Set(
  [
    'draft',
    'review',
    'revise',
    'prepare',
    'research',
    'analyze',
    'analyse',
    'attend',
    'call',
    'confer',
    'conference',
    'correspond',
    'email',
    'e-mail',
    'meet',
    'met',
    'meeting',
    'telephone',
    'phone',
    'discuss',
    'discussion',
    'edit',
    'finalize',
    'finalise',
    'file',
    'serve',
    'negotiate',
    'advise',
    'summarize',
    'summarise',
    'organize',
    'organise',
    'index',
    'travel',
    'participate',
    'respond',
    'communicate',
    'investigate',
    'interview',
    'outline',
    'update',
    'circulate',
    'compile',
    'assemble',
    'argue',
    'appear',
    'take',
    'took',
    'defend',
    'depose',
    'instruct',
    'consult',
    'letter',
    'memo',
    'emails',
    'calls',
  ].flatMap((v) => [v, `${v}s`, `${v}d`, `${v}ed`, `${v}ing`, `${v.replace(/e$/, '')}ing`, `${v.replace(/e$/, '')}ed`]),
);
const FILLER = new Set(['for', 'to', 'with', 'and', 'the', 'a', 'an', 'of', 'on', 'in', 're', 'regarding', 'about', 'same', 'at', 'by', 'from']);

/**
 * Block billing heuristic: the narrative is cut at `;`, ` and `, ` & `, `+` and sentence ends; a piece
 * is a task when it starts with a task verb (drafted, reviewed, call, conference…) and has an object
 * that is not a filler word. Two or more tasks in one entry with one time value is block billing.
 * "Reviewed and revised the SPA" and "Prepared for and attended deposition" are one task, not two.
 */
export function blockBilledTasks(description: string): string[] {
  const pieces = description
    .split(/;|\band\b|&|\+|\.\s+|\n/i)
    .map((p) => p.trim())
    .filter(Boolean);
  const tasks = pieces.filter((p) => {
    const w = words(p);
    const first = w[0];
    return first !== undefined && TASK_VERBS.has(first) && w.slice(1).some((x) => !FILLER.has(x));
  });
  return tasks.length >= 2 ? tasks : [];
}

/** Words that, on their own, say nothing about the work. A narrative made only of these is vague. */
const GENERIC_WORDS = new Set([
  ...FILLER,
  'work',
  'worked',
  'working',
  'matter',
  'matters',
  'file',
  'files',
  'case',
  'attention',
  'attend',
  'review',
  'reviewed',
  'reviewing',
  'research',
  'legal',
  'misc',
  'miscellaneous',
  'various',
  'general',
  'conference',
  'meeting',
  'call',
  'calls',
  'telephone',
  'email',
  'emails',
  'correspondence',
  'prepare',
  'preparation',
  'follow',
  'up',
  'followup',
  'documents',
  'document',
  'issues',
  'status',
  'update',
  'analysis',
  'strategy',
  'admin',
  'administration',
  'services',
  'professional',
  'rendered',
  'time',
  'this',
  'it',
]);

/** Vague when empty, a single word, or made only of generic words ("work on matter", "attention to file", "review"). */
export function isVague(description: string): boolean {
  const w = words(description);
  return w.length <= 1 || w.every((x) => GENERIC_WORDS.has(x));
}

const addDays = (iso: string, days: number): string | null => {
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isFinite(t) ? new Date(t + days * 86_400_000).toISOString().slice(0, 10) : null;
};
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const same = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

function findMatter(line: InvoiceLine, matters: MatterInfo[]): MatterInfo | undefined {
  return matters.find((m) => same(m.firmMatterCode, line.lawFirmMatterId)) ?? matters.find((m) => same(m.projectCode, line.clientMatterId));
}

/** LOC counts paralegals as legal assistants; Collaborati's PL is the same people. */
const EQUIVALENT_CLASS: Partial<Record<TimekeeperClass, TimekeeperClass>> = { LA: 'PL', PL: 'LA' };

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');
const FIELD_LABEL: Record<UtbmsField, string> = { task: 'task code', activity: 'activity code', expense: 'expense code' };
const FIELD_EXAMPLE: Record<UtbmsField, string> = { task: 'L120 Analysis/Strategy', activity: 'A104 Review/analyze', expense: 'E101 Copying' };

/** Checks parsed invoices against the client's billing preferences. Never throws on a well-typed input. */
export function checkInvoice(parsed: ParsedInvoice, context: InvoiceCheckContext): InvoiceCheckResult {
  const rules = mergeBillingRules(context.rules);
  const matters = context.matters ?? [];
  const findings: InvoiceFinding[] = [...rules.conflicts];
  let linesChecked = 0;
  let amountChecked = 0;
  const riskByLine = new Map<string, number>();
  const knownProjects = matters.map((m) => m.projectCode).filter((c): c is string => !!c);

  for (const invoice of parsed.invoices) {
    const at = (line: InvoiceLine) => ({ invoiceNumber: invoice.invoiceNumber, fileLine: line.fileLine, lineItemNumber: line.lineItemNumber });
    for (const line of invoice.lines) {
      linesChecked++;
      const total = finite(line.total);
      amountChecked += total ?? 0;
      const lineTotal = total !== null ? Math.max(0, total) : 0;
      const description = typeof line.description === 'string' ? line.description : '';
      const isFee = line.type === 'F' || line.type === null;
      const isAdjustment = line.type === 'IF' || line.type === 'IE';
      const add = (f: Omit<InvoiceFinding, 'invoiceNumber' | 'fileLine' | 'lineItemNumber'>) => {
        findings.push({ ...at(line), ...f });
        if (f.amountAtRisk > 0) {
          const key = `${invoice.invoiceNumber ?? ''}\u0000${line.fileLine}`;
          riskByLine.set(key, Math.max(riskByLine.get(key) ?? 0, Math.min(f.amountAtRisk, lineTotal)));
        }
      };

      for (const phrase of rules.phrases) {
        const match = findTerm(description, phrase.value)[0];
        if (match) {
          add({
            kind: 'disallowed_phrase',
            severity: 'error',
            rule: `Disallowed phrase "${phrase.value}"`,
            source: phrase.source,
            amountAtRisk: lineTotal,
            message: `The entry says "${match.text}", which the client will not pay for.`,
            suggestedFix: 'Rewrite the entry to say what was done and why (which document, for what purpose), or write the time off.',
            span: { start: match.start, end: match.end },
          });
        }
      }

      if (isAdjustment) {
        continue;
      }

      if (isFee && rules.blockBilling) {
        const tasks = blockBilledTasks(description);
        if (tasks.length > 0) {
          add({
            kind: 'block_billing',
            severity: 'error',
            rule: 'No block billing',
            source: rules.blockBilling,
            amountAtRisk: lineTotal,
            message: `${tasks.length} tasks share one time entry (${finite(line.units) ?? '?'} h): ${tasks.map((t) => `"${t}"`).join(', ')}.`,
            suggestedFix: 'Split into one entry per task, each with its own time.',
          });
        }
      }

      if (isFee && isVague(description)) {
        add({
          kind: 'vague_description',
          severity: rules.vague ? 'error' : 'warning',
          rule: 'No vague descriptions',
          source: rules.vague,
          amountAtRisk: rules.vague ? lineTotal : 0,
          message: description.trim() === '' ? 'The entry has no description.' : `"${description.trim()}" does not say what was done.`,
          suggestedFix: 'Say what was done, on which document or issue, and why.',
        });
      }

      if (rules.grace) {
        const matter = findMatter(line, matters);
        const limit = matter?.closedOn ? addDays(matter.closedOn, rules.grace.value) : null;
        if (matter?.closedOn && limit) {
          const billed = invoice.invoiceDate ?? context.today;
          const graceText = `${rules.grace.value} day${rules.grace.value === 1 ? '' : 's'}`;
          if (line.date && line.date > limit) {
            add({
              kind: 'late_entry',
              severity: 'error',
              rule: `No entries more than ${graceText} after a matter closes`,
              source: rules.grace.source,
              amountAtRisk: lineTotal,
              message: `Dated ${line.date}, ${daysBetween(matter.closedOn, line.date)} days after "${matter.name}" closed on ${matter.closedOn}.`,
              suggestedFix: 'Write the entry off, or agree it with the client before sending; bill late time before the matter closes.',
            });
          } else if (billed > limit) {
            add({
              kind: 'late_invoice',
              severity: 'error',
              rule: `No invoices more than ${graceText} after a matter closes`,
              source: rules.grace.source,
              amountAtRisk: lineTotal,
              message: `A straggler bill: invoiced ${billed}, ${daysBetween(matter.closedOn, billed)} days after "${matter.name}" closed on ${matter.closedOn}.`,
              suggestedFix: 'Write the entry off, or agree it with the client before sending.',
            });
          }
        }
      }

      const rate = finite(line.rate);
      if (line.type === 'F' && rate !== null && line.timekeeperClass) {
        const cls = line.timekeeperClass;
        const equivalent = EQUIVALENT_CLASS[cls];
        const cap = rules.caps.get(cls) ?? (equivalent ? rules.caps.get(equivalent) : undefined);
        if (cap && rate > cap.value + 0.005) {
          const units = finite(line.units) ?? 0;
          add({
            kind: 'rate_above_cap',
            severity: 'error',
            rule: `Rate cap ${money(cap.value)} for ${cls}`,
            source: cap.source,
            amountAtRisk: Math.max(0, (rate - cap.value) * Math.abs(units)),
            message: `${line.timekeeperName ?? line.timekeeperId ?? 'The timekeeper'} (${line.timekeeperClassRaw ?? cls}) billed at ${money(rate)}, above the cap of ${money(cap.value)}.`,
            suggestedFix: `Bill at ${money(cap.value)}: ${units} × ${money(cap.value)} = ${money(units * cap.value)}.`,
          });
        }
      }

      const codeFields: [UtbmsField, string | null][] =
        line.type === 'E'
          ? [['expense', line.expenseCode]]
          : line.type === 'F'
            ? [
                ['task', line.taskCode],
                ['activity', line.activityCode],
              ]
            : (
                [
                  ['task', line.taskCode],
                  ['activity', line.activityCode],
                  ['expense', line.expenseCode],
                ] as [UtbmsField, string | null][]
              ).filter(([, c]) => !!c);
      for (const [field, code] of codeFields) {
        if (!code || code.trim() === '') {
          if (rules.requireCodes) {
            add({
              kind: 'missing_code',
              severity: 'error',
              rule: 'UTBMS codes required',
              source: rules.requireCodes,
              amountAtRisk: lineTotal,
              message: `No UTBMS ${FIELD_LABEL[field]}.`,
              suggestedFix: `Add a UTBMS ${FIELD_LABEL[field]} (e.g. ${FIELD_EXAMPLE[field]}).`,
            });
          }
          continue;
        }
        const found = lookupUtbms(code);
        if (found.status === 'unknown_set') {
          add({
            kind: 'unknown_code',
            severity: 'warning',
            rule: 'Valid UTBMS codes',
            source: rules.requireCodes,
            amountAtRisk: 0,
            message: `${found.code} is from a UTBMS code set Hearken does not carry; it could not be verified.`,
            suggestedFix: 'Check the code against the client’s code set.',
          });
        } else if (found.status !== 'known' || fieldOfSet(found.set) !== field) {
          const why =
            found.status === 'malformed'
              ? found.message
              : found.status === 'unknown_code'
                ? `${found.code} is not ${article(found.set)} ${found.set} code`
                : `${found.code} (${found.description}) is ${article(found.set)} ${found.set} code, not ${article(FIELD_LABEL[field])} ${FIELD_LABEL[field]}`;
          add({
            kind: 'unknown_code',
            severity: 'error',
            rule: 'Valid UTBMS codes',
            source: rules.requireCodes,
            amountAtRisk: lineTotal,
            message: `Unknown ${FIELD_LABEL[field]}: ${why}.`,
            suggestedFix: `Use a valid UTBMS ${FIELD_LABEL[field]} (e.g. ${FIELD_EXAMPLE[field]}).`,
          });
        }
      }

      if (rules.split) {
        if (!line.clientMatterId) {
          add({
            kind: 'missing_project_code',
            severity: 'error',
            rule: 'Invoices split by the client’s project code',
            source: rules.split,
            amountAtRisk: lineTotal,
            message: 'No client project code (CLIENT_MATTER_ID), so the client cannot allocate this cost.',
            suggestedFix:
              knownProjects.length > 0 ? `Add the client’s project code (known: ${knownProjects.slice(0, 5).join(', ')}).` : 'Add the client’s project code.',
          });
        } else if (knownProjects.length > 0 && !knownProjects.some((p) => same(p, line.clientMatterId))) {
          add({
            kind: 'unknown_project_code',
            severity: 'warning',
            rule: 'Invoices split by the client’s project code',
            source: rules.split,
            amountAtRisk: 0,
            message: `Project code "${line.clientMatterId}" is not one of the client’s known project codes.`,
            suggestedFix: `Check the code (known: ${knownProjects.slice(0, 5).join(', ')}).`,
          });
        }
      }

      if (isFee && rules.detail && description.trim() !== '') {
        const w = words(description).length;
        if (rules.detail.value === 'summary' && (w > DESCRIPTION_LIMITS.summaryMaxWords || description.length > DESCRIPTION_LIMITS.summaryMaxChars)) {
          add({
            kind: 'description_detail',
            severity: 'warning',
            rule: 'Summary descriptions',
            source: rules.detail.source,
            amountAtRisk: 0,
            message: `A detailed narrative (${w} words) where the client asked for summaries.`,
            suggestedFix: 'Replace with a short summary of the kind of work (e.g. "Contract negotiation").',
          });
        } else if (rules.detail.value === 'detailed' && w < DESCRIPTION_LIMITS.detailedMinWords) {
          add({
            kind: 'description_detail',
            severity: 'error',
            rule: 'Detailed descriptions',
            source: rules.detail.source,
            amountAtRisk: lineTotal,
            message: `A terse narrative (${w} word${w === 1 ? '' : 's'}) where the client asked for detail.`,
            suggestedFix: 'Describe the task, the document or issue, and its purpose.',
          });
        }
      }
    }
    if (rules.split) {
      findings.push(...mixedProjects(invoice, rules.split));
    }
  }

  const findingsByKind: Partial<Record<InvoiceFindingKind, number>> = {};
  for (const f of findings) {
    findingsByKind[f.kind] = (findingsByKind[f.kind] ?? 0) + 1;
  }
  const flagged = new Set(findings.filter((f) => f.fileLine !== null).map((f) => `${f.invoiceNumber ?? ''}\u0000${f.fileLine}`));
  const amountAtRisk = cents([...riskByLine.values()].reduce((a, b) => a + b, 0));
  return {
    summary: {
      invoices: parsed.invoices.length,
      linesChecked,
      amountChecked: cents(amountChecked),
      findings: findings.length,
      findingsByKind,
      amountAtRisk,
      linesFlagged: flagged.size,
    },
    findings,
  };
}

function mixedProjects(invoice: Invoice, source: FindingSource): InvoiceFinding[] {
  const codes = new Map<string, InvoiceLine>();
  for (const line of invoice.lines) {
    if (line.clientMatterId && !codes.has(line.clientMatterId.trim().toLowerCase())) {
      codes.set(line.clientMatterId.trim().toLowerCase(), line);
    }
  }
  if (codes.size < 2) {
    return [];
  }
  const lines = [...codes.values()];
  const second = lines[1] as InvoiceLine;
  return [
    {
      kind: 'mixed_project_codes',
      severity: 'error',
      invoiceNumber: invoice.invoiceNumber,
      fileLine: second.fileLine,
      lineItemNumber: second.lineItemNumber,
      rule: 'Invoices split by the client’s project code',
      source,
      amountAtRisk: 0,
      message: `One invoice covers ${codes.size} project codes (${lines.map((l) => l.clientMatterId).join(', ')}).`,
      suggestedFix: 'Issue one invoice per project code.',
    },
  ];
}
