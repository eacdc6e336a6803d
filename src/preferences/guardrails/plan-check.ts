import type { RuleSource } from '../rules.js';
import { findTerm } from './match.js';
import type { FindingSource, Span } from './types.js';

/**
 * The plan check: every brand or company the client avoids, found in a free-text or itemised plan
 * (catering, car hire, courier, venue, gifts) by name or alias, with the preference that forbids it
 * and the matched span. Matching rules in `match.ts`: case-insensitive (short all-capital names such
 * as UPS match only in capitals), word boundaries (Ford ≠ Stafford), plural and possessive suffixes
 * allowed (Pepsis, FedEx's), hyphen or space alike (Coca-Cola = Coca Cola). Pure.
 */

export interface PlanItem {
  /** What the item is ("Catering", "Car hire"); searched too. */
  label?: string | null;
  text: string;
}

export interface BrandMatch extends Span {
  /** The brand as the preference names it. */
  brand: string;
  /** The name or alias that matched. */
  term: string;
  /** The text as written in the input. */
  text: string;
  source: FindingSource;
  /** The contact the preference belongs to, or null for the whole client. */
  contactId: string | null;
}

export interface PlanFinding extends BrandMatch {
  kind: 'avoided_brand';
  /** The item's index for an itemised plan; null for free text. */
  itemIndex: number | null;
  /** Which text of the item the span is in. */
  field: 'text' | 'label';
  message: string;
  suggestedFix: string;
}

export interface PlanCheckResult {
  findings: PlanFinding[];
  summary: { matches: number; brands: string[] };
}

/** Every avoided brand in `text`; overlapping matches keep the longest (Coca-Cola over Cola), once per preference. */
export function findAvoidedBrands(text: string, rules: RuleSource[]): BrandMatch[] {
  const all: BrandMatch[] = [];
  for (const s of rules) {
    if (s.rule.kind !== 'avoid_brands') {
      continue;
    }
    for (const brand of s.rule.brands) {
      for (const term of [brand.name, ...(brand.aliases ?? [])]) {
        for (const m of findTerm(text, term)) {
          all.push({ ...m, brand: brand.name, term, source: { preferenceId: s.preferenceId, statement: s.statement }, contactId: s.contactId });
        }
      }
    }
  }
  all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: BrandMatch[] = [];
  for (const m of all) {
    const overlaps = kept.some((k) => k.source.preferenceId === m.source.preferenceId && m.start < k.end && k.start < m.end);
    if (!overlaps) {
      kept.push(m);
    }
  }
  return kept;
}

/** Checks a plan given as free text or as items. */
export function checkPlan(plan: string | PlanItem[], rules: RuleSource[]): PlanCheckResult {
  const findings: PlanFinding[] = [];
  const scan = (text: string, itemIndex: number | null, field: 'text' | 'label') => {
    for (const m of findAvoidedBrands(text, rules)) {
      const via = m.term === m.brand ? '' : ` (${m.term} is ${m.brand})`;
      findings.push({
        ...m,
        kind: 'avoided_brand',
        itemIndex,
        field,
        message: `"${m.text}"${via}: the client avoids ${m.brand}.`,
        suggestedFix: `Choose another supplier or product than ${m.brand}.`,
      });
    }
  };
  if (typeof plan === 'string') {
    scan(plan, null, 'text');
  } else {
    plan.forEach((item, i) => {
      if (item.label) {
        scan(item.label, i, 'label');
      }
      scan(item.text ?? '', i, 'text');
    });
  }
  return { findings, summary: { matches: findings.length, brands: [...new Set(findings.map((f) => f.brand))] } };
}
