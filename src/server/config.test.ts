import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const dir = () => mkdtempSync(join(tmpdir(), 'hearken-config-'));

describe('loadConfig', () => {
  it('should default to SQLite in ./data on port 3000', () => {
    const config = loadConfig({}, { ensureSecrets: false });
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, baseUrl: 'http://localhost:3000', logLevel: 'info' });
    expect(config.dataDir).toBe(join(process.cwd(), 'data'));
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT .*\(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT /],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL must be a postgres/],
    [{ HEARKEN_BASE_URL: 'ftp://x' }, /^Invalid configuration: HEARKEN_BASE_URL /],
    [{ HEARKEN_LOG_LEVEL: 'loud' }, /^Invalid configuration: HEARKEN_LOG_LEVEL /],
    [{ HEARKEN_SESSION_IDLE_MINUTES: '0' }, /^Invalid configuration: HEARKEN_SESSION_IDLE_MINUTES /],
  ])('should reject %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env, { ensureSecrets: false })).toThrow(ConfigError);
    expect(() => loadConfig(env, { ensureSecrets: false })).toThrow(message);
  });

  it('should generate secrets once, privately, and reuse them', () => {
    const dataDir = dir();
    const first = loadConfig({ HEARKEN_DATA_DIR: dataDir });
    const file = join(dataDir, 'secrets.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.secrets.cookieSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ HEARKEN_DATA_DIR: dataDir }).secrets).toEqual(first.secrets);
    expect(JSON.parse(readFileSync(file, 'utf8')).cookieSecret).toBe(first.secrets.cookieSecret);
  });

  it('should trim a trailing slash from the base URL', () => {
    expect(loadConfig({ HEARKEN_BASE_URL: 'https://hearken.firm.example/' }, { ensureSecrets: false }).baseUrl).toBe('https://hearken.firm.example');
  });
});

describe('starting with a bad setting', () => {
  it('should exit non-zero with one clear line on stderr', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts')], {
      env: { ...process.env, PORT: 'abc', HEARKEN_DATA_DIR: dir() },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('Invalid configuration: PORT must be a port number from 1 to 65535 (got "abc")');
  });
});
