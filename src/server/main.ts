import { ConfigError } from './config.js';
import { serve } from './start.js';

try {
  await serve();
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `Hearken could not start: ${err instanceof Error ? err.message : String(err)}`}\n`);
  process.exit(1);
}
