import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, buildUser, createTestApp, signIn, type TestApp } from '../../test/support/app.js';

describe('the HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('should answer health and readiness checks without sign-in', async () => {
    expect((await anonymous(t.app).get('/healthz')).json()).toMatchObject({ status: 'ok' });
    expect((await anonymous(t.app).get('/readyz')).json()).toEqual({ status: 'ready', database: 'sqlite' });
  });

  it('should publish an OpenAPI 3.1 document with the API routes and an interactive reference', async () => {
    const doc = (await anonymous(t.app).get('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/auth/login', '/api/v1/me/tokens', '/api/v1/users', '/api/v1/teams', '/api/v1/clients/{id}/team', '/api/v1/audit']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.schemas.Problem).toBeDefined();
    const docs = await anonymous(t.app).get('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('should send security headers and a strict content security policy', async () => {
    const res = await anonymous(t.app).get('/healthz');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('should answer unknown API paths with a problem, not the web app (401 before sign-in)', async () => {
    expect((await anonymous(t.app).get('/api/v1/nothing-here')).statusCode).toBe(401);
    const caller = await signIn(t.app, (await buildUser(t, 'member')).email);
    const res = await caller.get('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('sign-in rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { HEARKEN_LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(async () => t?.close());

  it('should rate-limit sign-in attempts per client address', async () => {
    const user = await buildUser(t, 'member');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await anonymous(t.app).post('/api/v1/auth/login', { email: user.email, password: 'wrong password' })).statusCode);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses[3]).toBe(429);
    const limited = await anonymous(t.app).post('/api/v1/auth/login', { email: user.email, password: 'wrong password' });
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().code).toBe('rate_limited');
  });
});
