import type { Schemas } from '../../api/client';

export type DigestFrequency = Schemas['DigestPreference']['frequency'];
export type NotificationKind = Schemas['Notification']['kind'];

export const DIGEST_LABELS: Record<DigestFrequency, string> = { daily: 'Daily', weekly: 'Weekly', off: 'Off' };

export const KIND_LABELS: Record<NotificationKind, string> = {
  'action.assigned': 'Action assigned',
  'action.escalated': 'Action escalated',
  'action.comment': 'Comment',
  'nomination.awaiting': 'Nomination',
  'recovery.scheduled': 'Recovery check',
};

export const WEEKDAYS = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
