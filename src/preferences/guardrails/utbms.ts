import { UTBMS_ROWS } from './utbms-data.js';

/**
 * UTBMS code lookup. The table is generated from `utbms-codes.csv` (litigation task L…, activity A…,
 * expense E…). Other UTBMS sets exist (bankruptcy B…, counselling C…, project P…, IP…); a well-formed
 * code from a set we do not carry is "unknown set", which a check reports as unverifiable, not wrong.
 */

export type UtbmsSet = 'litigation-task' | 'activity' | 'expense';
/** Which LEDES field a code sits in, and so which sets belong there. */
export type UtbmsField = 'task' | 'activity' | 'expense';

export interface UtbmsCode {
  code: string;
  set: UtbmsSet;
  description: string;
}

export const UTBMS_CODES: ReadonlyMap<string, UtbmsCode> = new Map(
  UTBMS_ROWS.map(([code, set, description]) => [code, { code, set: set as UtbmsSet, description }]),
);

/** The first letter of a code → the set we carry for it. */
const SET_BY_PREFIX: Record<string, UtbmsSet> = { L: 'litigation-task', A: 'activity', E: 'expense' };
const FIELD_OF_SET: Record<UtbmsSet, UtbmsField> = { 'litigation-task': 'task', activity: 'activity', expense: 'expense' };

/** One letter and three digits (L330, A104, E101, B110); also some sets use two letters (e.g. IP codes "PA100"). */
const WELL_FORMED = /^[A-Z]{1,2}\d{3}$/;

export type UtbmsLookup =
  | { status: 'known'; code: string; set: UtbmsSet; description: string }
  /** Well-formed, from a set we carry, but not in it (L999). */
  | { status: 'unknown_code'; code: string; set: UtbmsSet }
  /** Well-formed, from a set we do not carry (B110, C100, P100): cannot be verified. */
  | { status: 'unknown_set'; code: string }
  | { status: 'malformed'; code: string; message: string };

/** Looks a code up; surrounding whitespace and lower case are tolerated (`l330` → `L330`). */
export function lookupUtbms(raw: string): UtbmsLookup {
  const code = raw.trim().toUpperCase();
  if (!WELL_FORMED.test(code)) {
    return { status: 'malformed', code: raw, message: `"${raw}" is not a UTBMS code (a letter and three digits, e.g. L330)` };
  }
  const known = UTBMS_CODES.get(code);
  if (known) {
    return { status: 'known', ...known };
  }
  const set = code.length === 4 ? SET_BY_PREFIX[code[0] as string] : undefined;
  return set ? { status: 'unknown_code', code, set } : { status: 'unknown_set', code };
}

/** The field a known set's codes belong in (an activity code in the task field is misplaced). */
export function fieldOfSet(set: UtbmsSet): UtbmsField {
  return FIELD_OF_SET[set];
}
