import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { spreadsheetSafe, toCsv } from './csv.js';

describe('spreadsheetSafe', () => {
  it.each(['=HYPERLINK("http://x")', '+1+1', '-2', '@SUM(A1)', '\tx', '\rx'])('should neutralise %j', (value) => {
    expect(spreadsheetSafe(value)).toBe(`'${value}`);
  });

  it('should leave ordinary text alone', () => {
    expect(spreadsheetSafe('client.update')).toBe('client.update');
    expect(spreadsheetSafe('{"name":["a","b"]}')).toBe('{"name":["a","b"]}');
  });
});

describe('toCsv', () => {
  it('should quote commas, quotes and newlines so that the rows read back unchanged', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['x, "y"', 'line\nbreak'],
        [null, 3],
      ],
    );
    expect(parse(csv, { columns: true })).toEqual([
      { a: 'x, "y"', b: 'line\nbreak' },
      { a: '', b: '3' },
    ]);
  });
});
