import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/db/schema.js';
import { createUser } from '../../src/firm/users.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { systemContext } from '../../src/server/context.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from './dialects.js';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real app over a fresh database, with logging off and no port (requests go through inject). */
export async function createTestApp(dialect: TestDialect, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const config = loadConfig({ HEARKEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'hearken-data-')), HEARKEN_LOGIN_RATE_LIMIT: '1000', ...env });
  const app = await buildApp({ config, database, logger: false, webRoot: '/nonexistent' });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

let counter = 0;

/** A user made through the service, with a known password. */
export async function buildUser(t: TestApp, role: Role, overrides: { name?: string; email?: string } = {}) {
  counter += 1;
  const email = overrides.email ?? `${role}-${counter}-${Date.now()}@firm.test`;
  const { user } = await createUser(systemContext(t.database.db, 'test'), {
    email,
    name: overrides.name ?? `${role} ${counter}`,
    title: null,
    office: null,
    role,
    password: TEST_PASSWORD,
  });
  return user;
}

export type Body = Record<string, unknown> | unknown[];

/** An API caller: signed in with a cookie (and its CSRF token), with a bearer token, or anonymous. */
export class Caller {
  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
  ) {}

  request(method: InjectOptions['method'], url: string, body?: Body, extra: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.app.inject({ method, url, headers: { ...this.headers, ...extra }, ...(body !== undefined ? { payload: body } : {}) });
  }
  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: Body) {
    return this.request('POST', url, body ?? {});
  }
  patch(url: string, body: Body) {
    return this.request('PATCH', url, body);
  }
  put(url: string, body: Body) {
    return this.request('PUT', url, body);
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }
}

/** Signs in through the API like the web app does; the caller carries the cookies and CSRF token. */
export async function signIn(app: FastifyInstance, email: string, password = TEST_PASSWORD): Promise<Caller> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) {
    throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  }
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return new Caller(app, { cookie, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken });
}

export const anonymous = (app: FastifyInstance) => new Caller(app);
export const withToken = (app: FastifyInstance, token: string) => new Caller(app, { authorization: `Bearer ${token}` });
