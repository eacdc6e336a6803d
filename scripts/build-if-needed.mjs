// Builds the server and the web app when the sources are newer than the last build, so that
// `npm start` on a fresh checkout (or after a `git pull`) just works.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function stamp(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

const sources = Math.max(newest(join(root, 'src')), stamp(join(root, 'package.json')), stamp(join(root, 'tsconfig.json')));
const serverBuilt = stamp(join(root, 'dist', 'server', 'main.js'));
const webBuilt = stamp(join(root, 'dist', 'web', 'index.html'));

function run(script) {
  process.stdout.write(`Building (${script})…\n`);
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

if (serverBuilt < sources) {
  run('build:server');
}
if (webBuilt < newest(join(root, 'src', 'web'))) {
  run('build:web');
}
