/**
 * Lets the event loop serve other requests. better-sqlite3 runs each statement synchronously
 * (and a resolved `await` does not give way to I/O), so a long batch of writes or a whole-firm
 * recomputation that never yields would stall the server for its whole length.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
