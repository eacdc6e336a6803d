import { describe, expect, it } from 'vitest';
import { buildSummaryDraft, type DraftSource, joinNames } from './summary-draft.js';

const sections = [
  {
    key: 'relationship',
    title: 'The relationship',
    questions: [
      { key: 'how_going', text: 'How is it going?', help: null },
      { key: 'one_thing', text: 'One thing to do better?', help: null },
    ],
  },
  { key: 'value', title: 'Value', questions: [{ key: 'value', text: 'Value?', help: null }] },
];

const source = (overrides: Partial<DraftSource> = {}): DraftSource => ({
  clientName: 'Northwind Traders',
  contacts: [
    { name: 'Margaret Oduya', preferredName: 'Megge' },
    { name: 'Tom Lindqvist', preferredName: null },
    { name: 'Priya Raman', preferredName: '  ' },
  ],
  remarks: [
    { text: 'Invoices arrive late and surprise the CFO.', theme: 'Billing', confidentiality: 'attributable', speakerName: 'Megge' },
    { text: 'The associates turn things round overnight.', theme: 'Responsiveness', confidentiality: 'non_attributable', speakerName: 'Tom' },
    { text: 'We are quietly tendering the panel — zanzibar.', theme: 'Billing', confidentiality: 'programme_only', speakerName: 'Megge' },
    { text: 'Partners should visit the plant.', theme: null, confidentiality: 'attributable', speakerName: null },
    { text: 'Fee estimates are never met.', theme: ' billing ', confidentiality: 'non_attributable', speakerName: null },
    { text: '   ', theme: 'Empty', confidentiality: 'attributable', speakerName: null },
  ],
  sections,
  answers: [
    { questionKey: 'one_thing', notes: '- Fewer surprises on fees\n- A named contact for the data room\n' },
    { questionKey: 'how_going', notes: 'Good overall, strained on the Q3 disposal.' },
    { questionKey: 'retired_question', notes: 'Asked about the secondment.' },
    { questionKey: 'value', notes: '   ' },
  ],
  ...overrides,
});

describe('buildSummaryDraft', () => {
  it('should thank the contacts by the name they go by', () => {
    expect(buildSummaryDraft(source()).thanks).toMatch(/^Thank you, Megge, Tom Lindqvist and Priya Raman, for your time/);
    expect(buildSummaryDraft(source()).thanks).toContain('Northwind Traders');
    expect(buildSummaryDraft(source({ contacts: [] })).thanks).toMatch(/^Thank you for your time/);
  });

  it('should group remarks by theme, merge themes that differ only in case and put unthemed ones under General', () => {
    const { heard } = buildSummaryDraft(source());
    expect(heard).toEqual([
      { theme: 'Billing', points: ['Invoices arrive late and surprise the CFO. (Megge)', 'Fee estimates are never met.'] },
      { theme: 'Responsiveness', points: ['The associates turn things round overnight.'] },
      { theme: 'General', points: ['Partners should visit the plant.'] },
      { theme: 'The relationship', points: ['Good overall, strained on the Q3 disposal.', 'Fewer surprises on fees', 'A named contact for the data room'] },
      { theme: 'Other notes', points: ['Asked about the secondment.'] },
    ]);
  });

  it('should never include a programme-only remark nor the speaker of a non-attributable one', () => {
    const text = JSON.stringify(buildSummaryDraft(source()));
    expect(text).not.toContain('zanzibar');
    expect(text).not.toContain('tendering');
    // Tom spoke non-attributably; he is thanked by full name but never named beside a remark.
    expect(text).not.toContain('(Tom)');
    expect(text).not.toMatch(/overnight\.? \(/);
  });

  it('should offer starter lines for what we will do, one per theme heard, and next steps', () => {
    const draft = buildSummaryDraft(source());
    expect(draft.willDo).toEqual([
      'Agree with you what we will change about billing, who will do it and by when.',
      'Agree with you what we will change about responsiveness, who will do it and by when.',
    ]);
    expect(draft.nextSteps.length).toBeGreaterThan(0);
    const empty = buildSummaryDraft(source({ remarks: [], answers: [] }));
    expect(empty.heard).toEqual([]);
    expect(empty.willDo).toHaveLength(1);
  });

  it('should join names the way a letter does', () => {
    expect(joinNames([])).toBe('');
    expect(joinNames(['A'])).toBe('A');
    expect(joinNames(['A', 'B'])).toBe('A and B');
    expect(joinNames(['A', 'B', 'C'])).toBe('A, B and C');
  });
});
