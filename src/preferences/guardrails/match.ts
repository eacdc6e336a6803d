import type { Span } from './types.js';

/**
 * Word-boundary term matching shared by the checks. Pure.
 *
 * - Case-insensitive, except short all-capital terms (≤ 4 letters, e.g. "UPS", "GM", "IBM"), which match
 *   only in capitals so "ups and downs" is not UPS.
 * - Boundaries are letters and digits (Unicode): "Ford" does not match "Stafford" or "Fordham".
 * - Whitespace and hyphens inside a term match any run of whitespace or hyphens, or none
 *   ("Coca-Cola" = "Coca Cola"; "Review of  file" = "review of file").
 * - With `inflections`, a plural or possessive suffix is allowed: s, es, 's, ’s, s' ("Pepsis", "FedEx's", "Fords").
 */

export interface TermMatch extends Span {
  /** The text matched, as written in the input. */
  text: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface TermOptions {
  /** Allow plural and possessive suffixes. Default true. */
  inflections?: boolean;
  /** Match the term's letter case exactly (for words that are ordinary words in lower case: "Teams", "Zoom"). */
  caseSensitive?: boolean;
}

export function termRegex(term: string, options: TermOptions = {}): RegExp | null {
  const inflections = options.inflections ?? true;
  const trimmed = term.trim();
  if (trimmed === '') {
    return null;
  }
  const parts = trimmed
    .split(/[\s-]+/)
    .filter(Boolean)
    .map(escapeRegex);
  if (parts.length === 0) {
    return null;
  }
  const body = parts.join('[\\s\\-]*');
  const suffix = inflections ? "(?:'s|’s|s'|es|s)?" : '';
  const caseSensitive = options.caseSensitive || /^[A-Z0-9&]{1,4}$/.test(trimmed);
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${suffix}(?![\\p{L}\\p{N}])`, caseSensitive ? 'gu' : 'giu');
}

/** Every match of `term` in `text`, left to right. */
export function findTerm(text: string, term: string, options: TermOptions = {}): TermMatch[] {
  const re = termRegex(term, options);
  if (!re) {
    return [];
  }
  const out: TermMatch[] = [];
  for (const m of text.matchAll(re)) {
    if (m[0].length > 0) {
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
    }
  }
  return out;
}

/** Lower case, single spaces, no surrounding punctuation: for comparing short narratives. */
export function normaliseText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/^[\s.,;:!?-]+|[\s.,;:!?-]+$/g, '');
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}'’]+/gu) ?? [];
}
