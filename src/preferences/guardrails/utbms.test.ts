import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { lookupUtbms, UTBMS_CODES } from './utbms.js';
import { UTBMS_ROWS } from './utbms-data.js';

describe('UTBMS table', () => {
  it('should equal the CSV shipped in the repo (regenerate with node scripts/generate-utbms.mjs)', () => {
    const csv = readFileSync(join(import.meta.dirname, 'utbms-codes.csv'), 'utf8');
    const rows = (parse(csv, { columns: true, skip_empty_lines: true }) as { code: string; set: string; description: string }[]).map((r) => [
      r.code,
      r.set,
      r.description,
    ]);
    expect(UTBMS_ROWS.map((r) => [...r])).toEqual(rows);
    expect(UTBMS_CODES.size).toBe(rows.length);
  });
});

describe('lookupUtbms', () => {
  it('should find known codes with set and description', () => {
    expect(lookupUtbms('L330')).toEqual({ status: 'known', code: 'L330', set: 'litigation-task', description: 'Depositions' });
    expect(lookupUtbms(' a104 ')).toMatchObject({ status: 'known', code: 'A104', set: 'activity', description: 'Review/analyze' });
    expect(lookupUtbms('E101')).toMatchObject({ status: 'known', set: 'expense', description: 'Copying' });
  });

  it('should report a well-formed code from a set we do not know as unknown set, not an error', () => {
    for (const code of ['B110', 'C100', 'P100']) {
      expect(lookupUtbms(code)).toEqual({ status: 'unknown_set', code });
    }
  });

  it('should report an unknown code within a known set', () => {
    expect(lookupUtbms('L999')).toEqual({ status: 'unknown_code', code: 'L999', set: 'litigation-task' });
    expect(lookupUtbms('A199')).toMatchObject({ status: 'unknown_code', set: 'activity' });
  });

  it('should reject malformed codes', () => {
    for (const code of ['', 'L33', 'L3300', '330', 'review', 'L-330']) {
      expect(lookupUtbms(code).status).toBe('malformed');
    }
  });
});
