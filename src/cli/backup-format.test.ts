import { describe, expect, it } from 'vitest';
import {
  BACKUP_FORMAT,
  BACKUP_TABLES,
  BACKUP_VERSION,
  BackupFileError,
  type BackupHeader,
  endLine,
  headerLine,
  insertBatchSize,
  normaliseValue,
  parseBodyLine,
  parseHeaderLine,
  rowLine,
} from './backup-format.js';

const header: BackupHeader = {
  format: BACKUP_FORMAT,
  version: BACKUP_VERSION,
  schemaVersion: '0001_firm_and_clients',
  createdAt: '2025-01-31T10:00:00.000Z',
  dialect: 'sqlite',
  tables: ['users'],
  columns: { users: { id: 'text', active: 'integer' } },
};

describe('backup header', () => {
  it('should read back what it writes', () => {
    expect(parseHeaderLine(headerLine(header).trimEnd())).toEqual(header);
  });

  it.each([
    ['an empty file', undefined],
    ['text', 'hello world'],
    ['JSON that is not a header', '{"table":"users","row":{}}'],
    ['another format', JSON.stringify({ ...header, format: 'pg_dump' })],
    ['a JSON array', '[1,2,3]'],
  ])('should call %s not a Hearken backup', (_label, line) => {
    expect(() => parseHeaderLine(line)).toThrow(new BackupFileError('is not a Hearken backup (it has no backup header)'));
  });

  it('should name the version when the format is newer than this build', () => {
    expect(() => parseHeaderLine(JSON.stringify({ ...header, version: BACKUP_VERSION + 1 }))).toThrow(
      `backup format version ${BACKUP_VERSION + 1}, and this build of Hearken reads version ${BACKUP_VERSION}`,
    );
  });

  it('should name the damaged field', () => {
    expect(() => parseHeaderLine(JSON.stringify({ ...header, dialect: 'mysql' }))).toThrow(/damaged header \(dialect: /);
    expect(() => parseHeaderLine(JSON.stringify({ ...header, tables: undefined }))).toThrow(/damaged header \(tables: /);
  });
});

describe('backup body lines', () => {
  it('should read rows and the end marker', () => {
    expect(parseBodyLine(rowLine('users', { id: 'u1', active: true, fees: 1.5, note: null }).trimEnd(), 2)).toEqual({
      table: 'users',
      row: { id: 'u1', active: true, fees: 1.5, note: null },
    });
    expect(parseBodyLine(endLine({ users: 3 }).trimEnd(), 3)).toEqual({ end: true, counts: { users: 3 } });
  });

  it('should refuse anything else, naming the line', () => {
    expect(() => parseBodyLine('{"table":"users","row":{"nested":{"a":1}}}', 7)).toThrow('line 7 is neither a row nor the end marker');
    expect(() => parseBodyLine('{"end":true,"counts":{"users":-1}}', 8)).toThrow('line 8');
    expect(() => parseBodyLine('not json', 9)).toThrow('line 9');
  });
});

describe('normaliseValue', () => {
  it('should turn SQLite 0/1 into PostgreSQL booleans and refuse other values there', () => {
    expect(normaliseValue(1, 'integer', 'boolean', 'postgres')).toBe(true);
    expect(normaliseValue(0, 'integer', 'boolean', 'postgres')).toBe(false);
    expect(normaliseValue(true, 'boolean', 'boolean', 'postgres')).toBe(true);
    expect(() => normaliseValue(2, 'integer', 'boolean', 'postgres')).toThrow('holds 2 where a boolean');
    expect(() => normaliseValue('yes', 'text', 'boolean', 'postgres')).toThrow(BackupFileError);
  });

  it('should turn PostgreSQL booleans into SQLite 0/1', () => {
    expect(normaliseValue(true, 'boolean', 'integer', 'sqlite')).toBe(1);
    expect(normaliseValue(false, 'boolean', 'integer', 'sqlite')).toBe(0);
  });

  it('should store PostgreSQL timestamps as ISO-8601 UTC text in SQLite', () => {
    expect(normaliseValue('2025-01-31T10:00:00.000Z', 'timestamp with time zone', 'text', 'sqlite')).toBe('2025-01-31T10:00:00.000Z');
    expect(normaliseValue('2025-01-31T11:00:00+01:00', 'timestamp with time zone', 'text', 'sqlite')).toBe('2025-01-31T10:00:00.000Z');
    expect(() => normaliseValue('last tuesday', 'timestamp with time zone', 'text', 'sqlite')).toThrow('where a timestamp belongs');
  });

  it('should leave everything else alone, nulls included', () => {
    expect(normaliseValue(null, 'integer', 'boolean', 'postgres')).toBeNull();
    expect(normaliseValue('2025-01-31', 'date', 'text', 'sqlite')).toBe('2025-01-31');
    expect(normaliseValue('2025-01-31T10:00:00.000Z', 'text', 'timestamp with time zone', 'postgres')).toBe('2025-01-31T10:00:00.000Z');
    expect(normaliseValue(4_850_000.5, 'real', 'double precision', 'postgres')).toBe(4_850_000.5);
    expect(normaliseValue('Megge', 'text', 'text', 'sqlite')).toBe('Megge');
  });
});

describe('insertBatchSize', () => {
  it('should keep every batch under both dialects’ parameter limits', () => {
    for (const columns of [1, 3, 12, 40, 500, 40_000]) {
      const rows = insertBatchSize(columns);
      expect(rows).toBeGreaterThanOrEqual(1);
      expect(rows).toBeLessThanOrEqual(500);
      expect(rows * columns <= 32_766 || rows === 1).toBe(true);
    }
  });
});

describe('BACKUP_TABLES', () => {
  it('should list each table once, with a key', () => {
    const names = BACKUP_TABLES.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(BACKUP_TABLES.every((t) => t.key.length > 0)).toBe(true);
  });
});
