// Writes the OpenAPI document (docs/openapi.json) and the web app's types generated from it
// (src/web/api/schema.d.ts). CI regenerates both and fails when the committed copies differ.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

// Reads the routes straight from the TypeScript sources (the build is one bundle with no app.js to import).
register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = (path) => pathToFileURL(join(root, 'src', path)).href;
const { buildApp } = await import(source('server/app.ts'));
const { openSqlite } = await import(source('db/connect.ts'));
const { loadConfig } = await import(source('server/config.ts'));
const dataDir = mkdtempSync(join(tmpdir(), 'hearken-openapi-'));
const config = loadConfig({ HEARKEN_DATA_DIR: dataDir, HEARKEN_BASE_URL: 'http://localhost:3000' });
const database = openSqlite(':memory:');
const app = await buildApp({ config, database, logger: false });
await app.ready();
const doc = app.swagger();
await app.close();

mkdirSync(join(root, 'docs'), { recursive: true });
writeFileSync(join(root, 'docs', 'openapi.json'), `${JSON.stringify(doc, null, 2)}\n`);
mkdirSync(join(root, 'src', 'web', 'api'), { recursive: true });
const types = spawnSync('npx', ['openapi-typescript', join(root, 'docs', 'openapi.json'), '-o', join(root, 'src', 'web', 'api', 'schema.d.ts')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(types.status ?? 1);
