import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const portMessage = 'must be a port number from 1 to 65535';
const port = z.coerce.number({ error: portMessage }).int(portMessage).min(1, portMessage).max(65535, portMessage);
const wholeMessage = 'must be a whole number above 0';
const positiveInt = z.coerce.number({ error: wholeMessage }).int(wholeMessage).positive(wholeMessage);

/** Every setting Hearken reads from the environment, with its default. */
export const EnvSchema = z.object({
  HEARKEN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  HEARKEN_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  HEARKEN_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' })
    .default('info'),
  HEARKEN_SESSION_IDLE_MINUTES: positiveInt.default(120),
  HEARKEN_SESSION_MAX_HOURS: positiveInt.default(12),
  HEARKEN_LOGIN_MAX_FAILURES: positiveInt.default(5),
  HEARKEN_LOCKOUT_MINUTES: positiveInt.default(15),
  HEARKEN_LOGIN_RATE_LIMIT: positiveInt.default(20),
  HEARKEN_TRUST_PROXY: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  HEARKEN_SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587' }).optional(),
  HEARKEN_MAIL_FROM: z.string().min(3).max(320).optional(),
});

export interface Config {
  dataDir: string;
  databaseUrl: string | undefined;
  port: number;
  host: string;
  baseUrl: string;
  logLevel: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  lockoutMinutes: number;
  /** Sign-in attempts allowed per client address per minute. */
  loginRateLimit: number;
  trustProxy: boolean;
  /** Outgoing mail (digests); undefined when HEARKEN_SMTP_URL is not set: nothing is sent. */
  smtp: SmtpConfig | undefined;
  secrets: Secrets;
}

export interface SmtpConfig {
  /** smtp:// or smtps:// URL, with optional user:pass. */
  url: string;
  /** The From header, e.g. `Hearken <hearken@firm.example>`. */
  from: string;
}

export interface Secrets {
  /** Signs cookies (the session cookie and the CSRF secret cookie). */
  cookieSecret: string;
}

export class ConfigError extends Error {}

/**
 * Reads and validates the configuration. A bad value throws a ConfigError whose message is one
 * line naming the variable, so that `main` can print it and exit non-zero.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: { ensureSecrets?: boolean } = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const got = env[name];
    throw new ConfigError(`Invalid configuration: ${name} ${issue?.message ?? 'is invalid'}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.HEARKEN_DATA_DIR);
  return {
    dataDir,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.HEARKEN_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.HEARKEN_LOG_LEVEL,
    sessionIdleMinutes: e.HEARKEN_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.HEARKEN_SESSION_MAX_HOURS,
    loginMaxFailures: e.HEARKEN_LOGIN_MAX_FAILURES,
    lockoutMinutes: e.HEARKEN_LOCKOUT_MINUTES,
    loginRateLimit: e.HEARKEN_LOGIN_RATE_LIMIT,
    trustProxy: e.HEARKEN_TRUST_PROXY === 'true',
    smtp: e.HEARKEN_SMTP_URL
      ? { url: e.HEARKEN_SMTP_URL, from: e.HEARKEN_MAIL_FROM ?? `Hearken <hearken@${new URL(e.HEARKEN_SMTP_URL).hostname}>` }
      : undefined,
    secrets: opts.ensureSecrets === false ? { cookieSecret: 'unused' } : loadOrCreateSecrets(dataDir),
  };
}

/**
 * Secrets are generated on first run and kept in the data directory (mode 0600), so that
 * restarting the server does not sign everybody out and nobody has to invent a secret.
 */
export function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const secrets = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
    if (typeof secrets.cookieSecret === 'string' && secrets.cookieSecret.length >= 32) {
      return { cookieSecret: secrets.cookieSecret };
    }
    throw new ConfigError(`Invalid configuration: ${file} has no usable cookieSecret`);
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = { cookieSecret: randomBytes(32).toString('base64url') };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}
