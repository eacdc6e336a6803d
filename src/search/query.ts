/**
 * Turning what a user typed into a full-text query, with no I/O. Search syntax is never
 * passed through: the text is cut into words (letters and digits, as the indexes' tokenizers
 * do), and the database query is built from those words alone, so quotes, `OR`, `NEAR`, `*`,
 * `:`, `-`, `^` and backslashes are plain text, never operators.
 */

/** Start and end of a highlighted match in snippets: control characters no record's text needs. */
export const MARK_START = '\u0002';
export const MARK_END = '\u0003';

/** More words than this add nothing to a search but cost; the rest are ignored. */
export const MAX_TERMS = 16;
const MAX_TERM_LENGTH = 64;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** The words of a search, lower-cased, each once, in order. */
export function searchTerms(q: string): string[] {
  const seen = new Set<string>();
  for (const match of q.normalize('NFC').matchAll(WORD)) {
    const word = match[0].toLowerCase().slice(0, MAX_TERM_LENGTH);
    seen.add(word);
    if (seen.size >= MAX_TERMS) {
      break;
    }
  }
  return [...seen];
}

/**
 * An FTS5 MATCH expression finding records that hold every word: each word a quoted string
 * (FTS5's own tokenizer then stems and folds it), joined by implicit AND. Words hold only
 * letters, digits and marks, so no quote can end a string early; doubling is belt and braces.
 */
export function fts5Match(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');
}

/** The text for PostgreSQL's `plainto_tsquery`, which ANDs the words and ignores any punctuation. */
export function tsqueryText(terms: readonly string[]): string {
  return terms.join(' ');
}

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * Splits a snippet marked with MARK_START / MARK_END into plain and matching segments, for the
 * web app to render as text and <mark> without ever handling HTML. Stray or unbalanced marks
 * (in a record's own text) are dropped, never trusted.
 */
export function toSegments(marked: string | null | undefined): Segment[] {
  if (!marked) {
    return [];
  }
  const segments: Segment[] = [];
  let match = false;
  let text = '';
  const flush = () => {
    if (text) {
      const last = segments[segments.length - 1];
      if (last && last.match === match) {
        last.text += text;
      } else {
        segments.push({ text, match });
      }
    }
    text = '';
  };
  for (const ch of marked) {
    if (ch === MARK_START || ch === MARK_END) {
      flush();
      match = ch === MARK_START;
    } else {
      text += ch;
    }
  }
  flush();
  return segments;
}
