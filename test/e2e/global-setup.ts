import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * Builds Hearken, starts it on a fresh SQLite data directory and a free port, and creates an
 * admin with a known password. Browser tests run only where Chromium is installed, unless
 * HEARKEN_TEST_REQUIRE_BROWSER=1 (as in CI), which turns a missing browser into a failure.
 */
export const CHROMIUM = process.env.HEARKEN_CHROMIUM ?? '/usr/bin/chromium';
export const E2E_ADMIN = { email: 'e2e-admin@hearken.test', password: 'e2e admin passphrase' };

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    browserAvailable: boolean;
    adminEmail: string;
    adminPassword: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export default async function setup(project: TestProject) {
  const root = join(import.meta.dirname, '..', '..');
  const browserAvailable = existsSync(CHROMIUM);
  if (!browserAvailable && process.env.HEARKEN_TEST_REQUIRE_BROWSER === '1') {
    throw new Error(`HEARKEN_TEST_REQUIRE_BROWSER=1 but no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  }
  project.provide('browserAvailable', browserAvailable);
  project.provide('adminEmail', E2E_ADMIN.email);
  project.provide('adminPassword', E2E_ADMIN.password);
  if (!browserAvailable) {
    project.provide('baseUrl', '');
    return;
  }

  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    throw new Error('build failed');
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'hearken-e2e-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HEARKEN_DATA_DIR: dataDir,
    PORT: String(port),
    HEARKEN_LOG_LEVEL: 'warn',
    HEARKEN_ADMIN_EMAIL: E2E_ADMIN.email,
  };
  delete env.DATABASE_URL;
  const seeded = spawnSync(
    process.execPath,
    [join(root, 'bin', 'hearken.js'), 'user', 'create', '--email', E2E_ADMIN.email, '--name', 'E2E Admin', '--role', 'admin', '--password-stdin'],
    {
      cwd: root,
      env,
      input: `${E2E_ADMIN.password}\n`,
      encoding: 'utf8',
    },
  );
  if (seeded.status !== 0) {
    throw new Error(`could not create the e2e admin: ${seeded.stderr}`);
  }

  const server: ChildProcess = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || server.exitCode !== null) {
      server.kill();
      throw new Error('Hearken did not start for the browser tests');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  project.provide('baseUrl', baseUrl);

  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
