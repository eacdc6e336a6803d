// Builds the server and the CLI as one ES module each (dist/server/main.js, dist/cli/main.js)
// with esbuild. One file loads much faster than ~150 compiled modules plus the ~600 files of
// their dependencies: Node resolves and links each module separately, and that was most of the
// cold start (docs/decisions.md). Type checking stays with `npm run typecheck` (tsc).
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Left as ordinary imports from node_modules:
// - native addons, which cannot be bundled;
// - packages that read their own files at run time (swagger-ui's assets, pdfmake's fonts);
// - packages loaded only on demand (documents, email, the PostgreSQL driver), so they cost
//   nothing at start.
const external = ['better-sqlite3', '@node-rs/argon2', 'pg', 'pg-native', '@fastify/swagger-ui', 'pdfmake', 'docx', 'nodemailer'];

// Bundled CommonJS dependencies still call require() and read __dirname; give them both.
const banner = [
  "import { createRequire as __hearkenCreateRequire } from 'node:module';",
  "import { fileURLToPath as __hearkenFileURLToPath } from 'node:url';",
  "import { dirname as __hearkenDirname } from 'node:path';",
  'const require = __hearkenCreateRequire(import.meta.url);',
  'const __filename = __hearkenFileURLToPath(import.meta.url);',
  'const __dirname = __hearkenDirname(__filename);',
].join('\n');

const dist = join(root, 'dist');
// Built aside, then swapped in, so that a CLI or server started during a rebuild (tests run in
// parallel) finds either the old build or the new one, never half of each.
const staging = join(root, `.dist-build-${process.pid}`);
rmSync(staging, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { 'server/main': 'src/server/main.ts', 'cli/main': 'src/cli/main.ts' },
  outdir: staging,
  bundle: true,
  // Modules imported with import() (the Word and PDF renderers) become their own chunks, so that
  // the libraries they import load on the first export and not at start-up.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  banner: { js: banner },
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
});

// Everything but the web app (built by vite) is replaced, including files of older builds.
mkdirSync(dist, { recursive: true });
const retired = join(root, `.dist-old-${process.pid}`);
mkdirSync(retired);
for (const entry of readdirSync(dist)) {
  if (entry !== 'web') {
    renameSync(join(dist, entry), join(retired, entry));
  }
}
for (const entry of readdirSync(staging)) {
  renameSync(join(staging, entry), join(dist, entry));
}
rmSync(staging, { recursive: true, force: true });
rmSync(retired, { recursive: true, force: true });
