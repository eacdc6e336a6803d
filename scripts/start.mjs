// `npm start`: build if needed, then serve.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], { stdio: 'inherit' });
if (built.status !== 0) {
  process.exit(built.status ?? 1);
}
await import(join(root, 'dist', 'server', 'main.js'));
