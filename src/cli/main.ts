import { Command } from 'commander';
import { migrateToLatest } from '../db/migrate.js';
import { loadConfig } from '../server/config.js';
import { openAndMigrate, serve } from '../server/start.js';
import { registerActionCommands } from './actions.js';
import { registerAnalyticsCommands } from './analytics.js';
import { registerBackupCommands } from './backup.js';
import { registerCheckInCommands } from './check-ins.js';
import { registerCheckInvoiceCommand } from './check-invoice.js';
import { registerDemoCommand } from './demo.js';
import { registerDigestCommands } from './digest.js';
import { registerHealthCommands } from './health.js';
import { fail } from './io.js';
import { registerProgrammeCommands } from './programmes.js';
import { registerSearchCommands } from './search.js';
import { registerUserCommands } from './users.js';

/**
 * `hearken`: the command line for admins and scripts. Every command reads the same
 * environment as the server (HEARKEN_DATA_DIR, DATABASE_URL, …); errors go to stderr with exit 1.
 */
const program = new Command().name('hearken').description('Hearken: client listening for professional-services firms').version('0.1.0').showHelpAfterError();

program
  .command('serve')
  .description('Run the web app and API (migrates first)')
  .action(async () => {
    try {
      await serve(loadConfig());
    } catch (err) {
      fail(err);
    }
  });

program
  .command('migrate')
  .description('Bring the database schema up to date')
  .action(async () => {
    try {
      const database = await openAndMigrate(loadConfig());
      const applied = await migrateToLatest(database.db);
      await database.close();
      process.stdout.write(applied.length ? `Applied ${applied.join(', ')}\n` : 'The database is up to date\n');
    } catch (err) {
      fail(err);
    }
  });

registerUserCommands(program);
registerDemoCommand(program);
registerBackupCommands(program);
registerProgrammeCommands(program);
registerActionCommands(program);
registerCheckInCommands(program);
registerSearchCommands(program);
registerDigestCommands(program);
registerHealthCommands(program);
registerAnalyticsCommands(program);
registerCheckInvoiceCommand(program);

await program.parseAsync(process.argv);
