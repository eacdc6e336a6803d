import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';

describe('dashboard CSV export', () => {
  it('should leave plain cells bare and write nothing for missing values', () => {
    expect(toCsv([['Litigation', 4, -12, 0.5, null, undefined, true]])).toBe('Litigation,4,-12,0.5,,,true');
  });

  it('should quote commas, quotes, line breaks and edge spaces, doubling quotes', () => {
    expect(csvCell('Smith, Jones')).toBe('"Smith, Jones"');
    expect(csvCell('the "big" one')).toBe('"the ""big"" one"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
  });

  it('should defuse text a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-12')).toBe('-12');
    expect(csvCell('+3.5')).toBe('+3.5');
  });

  it('should end rows with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        [1, 2],
      ]),
    ).toBe('a,b\r\n1,2');
  });
});
