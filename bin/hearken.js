#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
// Runs the compiled CLI; builds first when the checkout has not been built yet.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (built.status !== 0) {
    process.exit(built.status ?? 1);
  }
}
await import(entry);
