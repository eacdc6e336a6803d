import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { type PreferenceCategory, PreferenceRule, type RuleSource } from '../rules.js';

/** Test helpers for the guardrail checks (excluded from the build). */

const CATEGORY: Record<PreferenceRule['kind'], PreferenceCategory> = {
  naming: 'naming',
  channel: 'channel',
  meeting_platform: 'meetings_platforms',
  avoid_brands: 'vendors_brands',
  billing: 'billing',
  reporting_schedule: 'reporting',
  unwanted_report: 'reporting',
  restricted_recipient: 'documents',
};

let n = 0;

/** A RuleSource from a rule as a user would enter it (defaults applied by the zod schema). */
export function ruleSource(rule: z.input<typeof PreferenceRule>, overrides: Partial<Omit<RuleSource, 'rule'>> = {}): RuleSource {
  const parsed = PreferenceRule.parse(rule);
  n++;
  return {
    preferenceId: `pref-${n}`,
    statement: `statement ${n}`,
    category: CATEGORY[parsed.kind],
    clientId: 'client-1',
    contactId: null,
    rule: parsed,
    ...overrides,
  };
}

export function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
}
