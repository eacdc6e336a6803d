import type { Confidentiality } from '../db/schema.js';
import type { GuideSection } from './guide-schemas.js';
import type { SummaryContent } from './summary-schemas.js';

/** What a draft is built from: the session's captured content, as the service loads it. */
export interface DraftSource {
  clientName: string;
  /** The client's people interviewed, in the order to thank them. */
  contacts: { name: string; preferredName: string | null }[];
  /** Remarks in the order they were captured. */
  remarks: { text: string; theme: string | null; confidentiality: Confidentiality; speakerName: string | null }[];
  /** The sections of the guide version the session used (empty when it had none). */
  sections: GuideSection[];
  /** Notes per guide question. */
  answers: { questionKey: string; notes: string }[];
}

export const GENERAL_THEME = 'General';
export const OTHER_NOTES_THEME = 'Other notes';

/** How a contact is addressed: their preferred name when they have one. */
export function addressedAs(contact: { name: string; preferredName: string | null }): string {
  return contact.preferredName?.trim() || contact.name.trim();
}

/** "A", "A and B", "A, B and C". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) {
    return names[0] ?? '';
  }
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Notes typed as a list become one point per line; prose stays one point per paragraph. */
function notePoints(notes: string): string[] {
  return notes
    .split(/\n/)
    .map((line) => line.replace(/^\s*(?:[-*•·]|\d+[.)])\s+/, '').trim())
    .filter((line) => line !== '');
}

/**
 * The first draft of a session summary. Only what may be shared with the client goes in:
 * attributable remarks with who said them, non-attributable remarks without any speaker, and
 * the notes per question under their guide section. Programme-only remarks never do, whatever
 * the caller passed. "What we will do" and "next steps" are starter lines for the team to edit.
 */
export function buildSummaryDraft(source: DraftSource): SummaryContent {
  const names = source.contacts.map(addressedAs).filter((n) => n !== '');
  const thanks =
    names.length > 0
      ? `Thank you, ${joinNames(names)}, for your time and candour in our listening session. This is what we heard about working with us at ${source.clientName}, and what we will do about it.`
      : `Thank you for your time and candour in our listening session. This is what we heard about working with us at ${source.clientName}, and what we will do about it.`;

  const groups = new Map<string, { theme: string; points: string[] }>();
  const add = (theme: string, point: string) => {
    const key = theme.toLocaleLowerCase('en');
    const group = groups.get(key) ?? { theme, points: [] };
    group.points.push(point);
    groups.set(key, group);
  };

  const remarkThemes: string[] = [];
  const generalPoints: string[] = [];
  for (const remark of source.remarks) {
    const text = remark.text.trim();
    if (text === '') {
      continue;
    }
    let point: string;
    switch (remark.confidentiality) {
      case 'programme_only':
        continue;
      case 'non_attributable':
        point = text;
        break;
      case 'attributable':
        point = remark.speakerName?.trim() ? `${text} (${remark.speakerName.trim()})` : text;
        break;
    }
    const theme = remark.theme?.trim();
    if (!theme) {
      generalPoints.push(point);
      continue;
    }
    if (!groups.has(theme.toLocaleLowerCase('en'))) {
      remarkThemes.push(theme);
    }
    add(theme, point);
  }
  // Remarks without a theme come after the themed ones, merged with any "General" theme.
  for (const point of generalPoints) {
    add(GENERAL_THEME, point);
  }

  const notes = new Map(source.answers.map((a) => [a.questionKey, a.notes]));
  const known = new Set<string>();
  for (const section of source.sections) {
    for (const question of section.questions) {
      known.add(question.key);
      for (const point of notePoints(notes.get(question.key) ?? '')) {
        add(section.title, point);
      }
    }
  }
  for (const answer of source.answers) {
    if (!known.has(answer.questionKey)) {
      for (const point of notePoints(answer.notes)) {
        add(OTHER_NOTES_THEME, point);
      }
    }
  }

  const heard = [...groups.values()];
  const willDo =
    remarkThemes.length > 0
      ? remarkThemes.slice(0, 5).map((theme) => `Agree with you what we will change about ${theme.toLocaleLowerCase('en')}, who will do it and by when.`)
      : ['Agree with you the one thing we will do differently, who will do it and by when.'];
  const nextSteps = [
    'Send you this summary and check that it reflects what you told us.',
    'Agree the actions above with your relationship partner and put dates on them.',
    'Come back to you within three months to tell you what we have done.',
  ];
  return { thanks, heard, willDo, nextSteps };
}
