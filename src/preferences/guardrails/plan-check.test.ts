import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTerm } from './match.js';
import { checkPlan, findAvoidedBrands } from './plan-check.js';
import { ruleSource } from './testing.js';

const ford = ruleSource(
  { kind: 'avoid_brands', brands: [{ name: 'Chevrolet', aliases: ['Chevy', 'GM', 'General Motors'] }] },
  { statement: 'We are Ford: never turn up in a GM car.' },
);
const coke = ruleSource({ kind: 'avoid_brands', brands: [{ name: 'Pepsi', aliases: ['Pepsi Max', 'Mountain Dew', '7UP'] }] }, { statement: 'Coca-Cola only.' });
const ups = ruleSource({ kind: 'avoid_brands', brands: [{ name: 'FedEx', aliases: ['Federal Express'] }] }, { statement: 'We are UPS.' });

describe('term matching', () => {
  it('should respect word boundaries', () => {
    expect(findTerm('Meet at Stafford House', 'Ford')).toEqual([]);
    expect(findTerm('Fordham Law', 'Ford')).toEqual([]);
    expect(findTerm('Rent a Ford.', 'Ford')).toEqual([{ start: 7, end: 11, text: 'Ford' }]);
  });

  it('should allow plurals and possessives', () => {
    expect(findTerm('two Pepsis please', 'Pepsi').map((m) => m.text)).toEqual(['Pepsis']);
    expect(findTerm("FedEx's overnight", 'FedEx').map((m) => m.text)).toEqual(["FedEx's"]);
    expect(findTerm('FedEx’s overnight', 'FedEx').map((m) => m.text)).toEqual(['FedEx’s']);
  });

  it('should match short all-capital names only in capitals', () => {
    expect(findTerm('ups and downs', 'UPS')).toEqual([]);
    expect(findTerm('ship by UPS', 'UPS')).toHaveLength(1);
    expect(findTerm('a gm of the club', 'GM')).toEqual([]);
  });

  it('should treat hyphens and spaces alike and ignore case', () => {
    expect(findTerm('coca cola and COCA-COLA', 'Coca-Cola')).toHaveLength(2);
  });
});

describe('checkPlan', () => {
  it('should find every avoided brand in a free-text plan with spans and the preference', () => {
    const plan = 'Pick up at O’Hare in a Chevy Tahoe; stock the fridge with Pepsi Max and Mountain Dew; send the bundles by Federal Express.';
    const { findings, summary } = checkPlan(plan, [ford, coke, ups]);
    expect(findings.map((f) => [f.brand, plan.slice(f.start, f.end)])).toEqual([
      ['Chevrolet', 'Chevy'],
      ['Pepsi', 'Pepsi Max'],
      ['Pepsi', 'Mountain Dew'],
      ['FedEx', 'Federal Express'],
    ]);
    expect(findings[0]).toMatchObject({
      kind: 'avoided_brand',
      itemIndex: null,
      source: { preferenceId: ford.preferenceId, statement: ford.statement },
      term: 'Chevy',
    });
    expect(summary).toEqual({ matches: 4, brands: ['Chevrolet', 'Pepsi', 'FedEx'] });
  });

  it('should check itemised plans item by item, labels included', () => {
    const { findings } = checkPlan(
      [
        { label: 'Car hire', text: 'Hertz, full-size: Chevrolet Malibu or similar' },
        { label: 'Courier', text: 'FedEx Priority Overnight' },
        { label: 'Venue', text: 'Stafford Hotel, London' },
      ],
      [ford, ups],
    );
    expect(findings.map((f) => [f.itemIndex, f.field, f.text])).toEqual([
      [0, 'text', 'Chevrolet'],
      [1, 'text', 'FedEx'],
    ]);
  });

  it('should return nothing when there are no brand rules', () => {
    expect(checkPlan('Pepsi', [ruleSource({ kind: 'billing' })]).findings).toEqual([]);
  });

  it('should keep the longest of overlapping matches once per preference', () => {
    const both = ruleSource({ kind: 'avoid_brands', brands: [{ name: 'General Motors', aliases: ['Motors'] }] });
    expect(findAvoidedBrands('General Motors cars', [both]).map((m) => m.text)).toEqual(['General Motors']);
  });
});

describe('plan check properties', () => {
  it('should never throw and return spans that slice to the matched text', () => {
    const odd = ruleSource({ kind: 'avoid_brands', brands: [{ name: 'Pepsi', aliases: ['7UP', 'a.b', '(x)', 'Dr Pepper'] }] });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom('Pepsis and 7UP', 'Dr  Pepper', '(x) a.b')), (text) => {
        for (const f of checkPlan(text, [ford, coke, ups, odd]).findings) {
          expect(text.slice(f.start, f.end)).toBe(f.text);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('degenerate terms', () => {
  it('should match nothing for a term of only separators', () => {
    expect(findTerm('a - b', ' - ')).toEqual([]);
  });
});
