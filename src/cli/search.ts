import type { Command } from 'commander';
import { rebuildSearchIndex } from '../search/indexer.js';
import { loadConfig } from '../server/config.js';
import { openAndMigrate } from '../server/start.js';
import { fail } from './io.js';

/**
 * `hearken search reindex`: refills the search index from the records. Triggers keep it current
 * on every write; this repairs it if it was ever emptied or damaged. There is deliberately no
 * `hearken search QUERY`: the CLI acts as the system user, and search answers by who is asking.
 */
export function registerSearchCommands(program: Command) {
  const search = program.command('search').description('The full-text search index');
  search
    .command('reindex')
    .description('Rebuild the search index from insights, session notes and remarks, check-ins, problems and actions (safe while the server runs)')
    .action(async () => {
      try {
        const database = await openAndMigrate(loadConfig());
        try {
          const counts = await rebuildSearchIndex(database.db);
          const total = Object.values(counts).reduce((a, b) => a + b, 0);
          const width = Math.max(...Object.keys(counts).map((k) => k.length));
          process.stdout.write(`Indexed ${total} records:\n`);
          process.stdout.write(
            Object.entries(counts)
              .map(([kind, n]) => `  ${kind.padEnd(width)}  ${n}\n`)
              .join(''),
          );
        } finally {
          await database.close();
        }
      } catch (err) {
        fail(err);
      }
    });
}
