/** Helpers for working through many rows: SQL `in` lists of bounded size, and giving way to I/O. */

/** Splits a list into chunks, so SQL `in` lists stay under the drivers' parameter limits. */
export function chunked<T>(list: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) {
    out.push(list.slice(i, i + size));
  }
  return out;
}

/**
 * Lets the event loop serve other requests. better-sqlite3 runs each statement synchronously
 * (and a resolved `await` does not give way to I/O), so a long batch of writes or a whole-firm
 * recomputation that never yields would stall the server for its whole length.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
