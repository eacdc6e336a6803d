import { describe, expect, it } from 'vitest';
import { fts5Match, MARK_END, MARK_START, MAX_TERMS, searchTerms, toSegments, tsqueryText } from './query.js';

describe('searchTerms', () => {
  it.each([
    ['Billing surprises', ['billing', 'surprises']],
    ['"unbalanced', ['unbalanced']],
    ['a"b', ['a', 'b']],
    ['NEAR(foo bar, 2)', ['near', 'foo', 'bar', '2']],
    ['title:foo', ['title', 'foo']],
    ['-x ^y *z', ['x', 'y', 'z']],
    ["'; drop table search_entries; --", ['drop', 'table', 'search', 'entries']],
    ['back\\slash', ['back', 'slash']],
    ['Café CAFÉ cafe', ['café', 'cafe']],
    ['🙂 🚀', []],
    ['', []],
    ['* : ( ) " \\', []],
  ])('should cut %j into plain words', (q, expected) => {
    expect(searchTerms(q)).toEqual(expected);
  });

  it('should keep at most MAX_TERMS words, each of bounded length', () => {
    const terms = searchTerms(`${'x'.repeat(500)} ${Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')}`);
    expect(terms).toHaveLength(MAX_TERMS);
    expect(terms[0]).toHaveLength(64);
  });
});

describe('fts5Match and tsqueryText', () => {
  it('should quote every word for FTS5 so none is an operator', () => {
    expect(fts5Match(['or', 'near', 'title'])).toBe('"or" "near" "title"');
    expect(fts5Match(['a"b'])).toBe('"a""b"');
  });

  it('should hand PostgreSQL the words alone', () => {
    expect(tsqueryText(searchTerms("foo & !bar | baz:* <-> 'q'"))).toBe('foo bar baz q');
  });
});

describe('toSegments', () => {
  it('should split marked text into plain and matching parts', () => {
    expect(toSegments(`The ${MARK_START}invoices${MARK_END} were ${MARK_START}late${MARK_END}`)).toEqual([
      { text: 'The ', match: false },
      { text: 'invoices', match: true },
      { text: ' were ', match: false },
      { text: 'late', match: true },
    ]);
  });

  it('should merge adjacent marks and survive unbalanced ones', () => {
    expect(toSegments(`${MARK_START}a${MARK_END}${MARK_START}b${MARK_END}`)).toEqual([{ text: 'ab', match: true }]);
    expect(toSegments(`x${MARK_END}y${MARK_START}z`)).toEqual([
      { text: 'xy', match: false },
      { text: 'z', match: true },
    ]);
    expect(toSegments(null)).toEqual([]);
    expect(toSegments('<script>alert(1)</script>')).toEqual([{ text: '<script>alert(1)</script>', match: false }]);
  });
});
