import type { paths } from '../../api/schema';

export type HealthList = paths['/api/v1/analytics/health']['get']['responses'][200]['content']['application/json'];
export type HealthListItem = HealthList['items'][number];
export type HealthReason = HealthListItem['reasons'][number];
export type HealthBand = HealthListItem['band'];
export type ClientHealth = paths['/api/v1/analytics/health/clients/{id}']['get']['responses'][200]['content']['application/json'];
export type HealthSettings = paths['/api/v1/settings/health']['get']['responses'][200]['content']['application/json'];
export type HealthWeights = HealthSettings['weights'];
export type HealthWeightKey = keyof HealthWeights;

/** The bands in the order a reader scans them: worst first. */
export const BAND_ORDER: readonly HealthBand[] = ['at_risk', 'watch', 'healthy'];

/** The band floors, as the API's rules state them (the one-client answer does not repeat them). */
export const BAND_FLOORS = { healthy: 70, watch: 40 } as const;

export const BAND_LABELS: Record<HealthBand, string> = { at_risk: 'At risk', watch: 'Watch', healthy: 'Healthy' };
export const BAND_COLORS: Record<HealthBand, string> = { at_risk: 'red', watch: 'yellow', healthy: 'green' };

/** Each weight as an admin reads it, in the order the API lists them. */
export const WEIGHT_LABELS: Record<HealthWeightKey, { label: string; help: string }> = {
  npsDetractor: { label: 'Latest NPS a detractor (0–6)', help: 'Points off once when the latest NPS answer is 0–6' },
  npsPassive: { label: 'Latest NPS a passive (7–8)', help: 'Points off once when the latest NPS answer is 7 or 8' },
  npsFalling: { label: 'NPS falling', help: 'Points off once when the latest quarter’s answer is below the previous quarter’s' },
  lowSatisfaction: { label: 'Low satisfaction (6/10 or lower)', help: 'Points off once when the latest satisfaction is 6 or lower' },
  concernHigh: { label: 'Open high-severity concern or risk', help: 'Points off for each one' },
  concernMedium: { label: 'Open medium-severity concern or risk', help: 'Points off for each one' },
  concernLow: { label: 'Open low-severity concern or risk', help: 'Points off for each one' },
  overdueAction: { label: 'Overdue action', help: 'Points off for each open action past its due date' },
  checkInOverdue: { label: 'Check-in overdue', help: 'Points off once when the check-in cadence is red' },
  notListened: { label: 'Not listened to for over a year', help: 'Points off once when there is no held session in the last year' },
  openProblem: { label: 'Unresolved problem', help: 'Points off for each open or investigating problem' },
  contactLeft: { label: 'Key contact left', help: 'Points off for each decision maker who left in the last year' },
  feesFalling: { label: 'Fees falling', help: 'Points off once when the latest change of annual fees lowered them' },
};

/** Which records a reason's ids are, for the drill-down (contacts open the client's contacts tab instead). */
export const REASON_RECORDS: Record<HealthWeightKey, 'session' | 'insight' | 'action' | 'problem' | 'contact' | null> = {
  npsDetractor: 'session',
  npsPassive: 'session',
  npsFalling: 'session',
  lowSatisfaction: 'session',
  concernHigh: 'insight',
  concernMedium: 'insight',
  concernLow: 'insight',
  overdueAction: 'action',
  checkInOverdue: null,
  notListened: null,
  openProblem: 'problem',
  contactLeft: 'contact',
  feesFalling: null,
};

/** "−25" for a reason's points (weights may have decimals: at most two are shown). */
export function pointsText(points: number): string {
  return `−${Number(points.toFixed(2))}`;
}

export function reasonLine(r: HealthReason): string {
  return `${r.text} (${pointsText(r.points)})`;
}
