import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.js';

const base = { HEARKEN_DATA_DIR: '/tmp/hearken-config-test' };
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env }, { ensureSecrets: false });

describe('SMTP configuration', () => {
  it('should leave mail off without HEARKEN_SMTP_URL', () => {
    expect(load({}).smtp).toBeUndefined();
  });

  it('should take an smtp:// or smtps:// URL and a From address, defaulting the From to the mail host', () => {
    expect(load({ HEARKEN_SMTP_URL: 'smtps://user:p%40ss@mail.firm.example:465', HEARKEN_MAIL_FROM: 'Hearken <hearken@firm.example>' }).smtp).toEqual({
      url: 'smtps://user:p%40ss@mail.firm.example:465',
      from: 'Hearken <hearken@firm.example>',
    });
    expect(load({ HEARKEN_SMTP_URL: 'smtp://mail.firm.example:587' }).smtp?.from).toBe('Hearken <hearken@mail.firm.example>');
  });

  it('should name the variable when the URL is not an SMTP URL', () => {
    expect(() => load({ HEARKEN_SMTP_URL: 'http://mail.firm.example' })).toThrow(ConfigError);
    expect(() => load({ HEARKEN_SMTP_URL: 'mail.firm.example' })).toThrow(/HEARKEN_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
  });
});
