import type { ClientStatus } from '../db/schema.js';

/**
 * Client retention derived from what the database keeps: a client's current status, when its
 * record was created, and the status changes the audit log recorded (`client.create` and
 * `client.update` rows carry `status: [before, after]`). There is no separate status history.
 *
 * The rule: a client's status at an instant t is
 * - none (not yet a client record) if the record was created after t;
 * - else the status set by the latest recorded change at or before t;
 * - else, when the first recorded change came after t, the status it changed from;
 * - else (no recorded change) the current status.
 * Retention of year Y = clients active on 1 January Y (00:00 UTC) still active at the end of Y
 * (1 January Y+1, or now for the current year) / clients active on 1 January Y.
 *
 * Limits, said plainly: a status changed outside the services (raw SQL, a restore of older
 * data) leaves no audit row, so history before the audit trail starts is read as the status
 * then current; a deleted client leaves the count altogether; and "active" is whatever status
 * the firm recorded, not billing activity.
 */
export const RETENTION_RULE =
  'A client is retained in a year when it was active on 1 January (00:00 UTC) and is still active at the end of that year (or today, for the current year). ' +
  'Past statuses come from the audit log of status changes; a client with no recorded change is taken to have had its current status since its record was created. ' +
  'Changes made outside Hearken and deleted clients are not seen. Lost clients are those whose status is lost, dated by the audit log (null when unknown).';

export interface StatusChange {
  at: string;
  from: ClientStatus | null;
  to: ClientStatus;
}

export interface ClientHistory {
  id: string;
  createdAt: string;
  status: ClientStatus;
  /** Recorded status changes, in any order. */
  changes: readonly StatusChange[];
}

function sorted(changes: readonly StatusChange[]): readonly StatusChange[] {
  // Most clients have no recorded change or one: nothing to sort (this runs per client and year).
  return changes.length < 2 ? changes : [...changes].sort((a, b) => a.at.localeCompare(b.at));
}

/** The client's status at an instant (see the rule above); null when the record did not exist yet. */
export function statusAt(client: ClientHistory, instant: string): ClientStatus | null {
  if (client.createdAt > instant) {
    return null;
  }
  const changes = sorted(client.changes);
  const before = changes.filter((c) => c.at <= instant);
  const last = before[before.length - 1];
  if (last) {
    return last.to;
  }
  const first = changes[0];
  if (first) {
    return first.from;
  }
  return client.status;
}

/** When the client last became lost, if it is lost now and the audit log dated it; else null. */
export function lostOn(client: ClientHistory): string | null {
  if (client.status !== 'lost') {
    return null;
  }
  const changes = sorted(client.changes).filter((c) => c.to === 'lost' && c.from !== 'lost');
  return changes[changes.length - 1]?.at ?? null;
}

export interface RetentionYear {
  year: number;
  activeAtStart: string[];
  retained: string[];
  lost: string[];
  lapsed: string[];
}

/** Retention for each calendar year from `fromYear` to `toYear`, skipping years not started by `now`. */
export function retentionByYear(clients: readonly ClientHistory[], fromYear: number, toYear: number, now: Date): RetentionYear[] {
  const nowIso = now.toISOString();
  const out: RetentionYear[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    const start = `${String(year).padStart(4, '0')}-01-01T00:00:00.000Z`;
    if (start > nowIso) {
      break;
    }
    const nextYear = `${String(year + 1).padStart(4, '0')}-01-01T00:00:00.000Z`;
    const end = nextYear < nowIso ? nextYear : nowIso;
    const row: RetentionYear = { year, activeAtStart: [], retained: [], lost: [], lapsed: [] };
    for (const c of clients) {
      if (statusAt(c, start) !== 'active') {
        continue;
      }
      row.activeAtStart.push(c.id);
      const after = statusAt(c, end);
      if (after === 'active') {
        row.retained.push(c.id);
      } else if (after === 'lost' || after === 'pitch_lost') {
        row.lost.push(c.id);
      } else if (after === 'lapsed') {
        row.lapsed.push(c.id);
      }
    }
    out.push(row);
  }
  return out;
}

/** Reads the status change out of an audit row's `changes` JSON; null when the row did not change the status. */
export function statusChangeOf(at: string, changesJson: string): StatusChange | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(changesJson);
  } catch {
    return null;
  }
  const status = (parsed as { status?: unknown } | null)?.status;
  if (!Array.isArray(status) || status.length !== 2 || typeof status[1] !== 'string') {
    return null;
  }
  return { at, from: typeof status[0] === 'string' ? (status[0] as ClientStatus) : null, to: status[1] as ClientStatus };
}
