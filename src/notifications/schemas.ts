import { z } from 'zod';
import { DIGEST_FREQUENCIES, OUTBOX_STATUSES } from '../db/schema.js';
import { booleanQuery, cursor, id, limit, pageOf, timestamp } from '../http/schema-helpers.js';
import { NOTIFICATION_KINDS } from './notify.js';

export const NotificationSchema = z
  .object({
    id,
    kind: z.enum(NOTIFICATION_KINDS).describe('What happened: action.assigned, action.escalated, action.comment, nomination.awaiting, recovery.scheduled'),
    title: z.string().describe('One line'),
    body: z.string().nullable(),
    link: z.string().describe('The web app path it opens, e.g. /actions?action=…'),
    clientId: id.nullable().describe('The client it is about, if any'),
    createdAt: timestamp,
    readAt: timestamp.nullable().describe('null while unread'),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof NotificationSchema>;

export const NotificationPage = z
  .object({
    items: z.array(NotificationSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
    total: z.number().describe('Notifications matching the filter that the caller may see'),
    unreadCount: z.number().describe('Unread notifications the caller may see (all of them, not only this page)'),
  })
  .meta({ id: 'NotificationPage' });
export type NotificationPage = z.infer<typeof NotificationPage>;

export const NotificationListQuery = z.strictObject({
  unread: booleanQuery.optional().describe('true: only unread notifications'),
  limit,
  cursor,
});
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;

export const DigestFrequencySchema = z.enum(DIGEST_FREQUENCIES, { error: 'must be daily, weekly or off' }).describe('daily, weekly or off');

export const DigestPreference = z
  .object({
    frequency: DigestFrequencySchema,
    hourUtc: z.number().describe('The hour (UTC) digests go out'),
    weeklyDay: z.number().describe('For weekly digests: the ISO weekday they go out (1 = Monday)'),
  })
  .meta({ id: 'DigestPreference' });
export type DigestPreference = z.infer<typeof DigestPreference>;

export const DigestPutBody = z.strictObject({ frequency: DigestFrequencySchema });
export type DigestPutBody = z.infer<typeof DigestPutBody>;

export const OutboxMessageSchema = z
  .object({
    id,
    userId: id.nullable(),
    kind: z.string().describe('digest'),
    periodKey: z.string().describe('The day (2026-11-23) or ISO week (2026-W48) it covers'),
    to: z.string(),
    subject: z.string(),
    status: z.enum(OUTBOX_STATUSES).describe('pending (waiting or retrying), sent, or failed (gave up after the last retry)'),
    attempts: z.number(),
    lastError: z.string().nullable().describe('What the SMTP server answered, or why the connection failed'),
    nextAttemptAt: timestamp,
    createdAt: timestamp,
    sentAt: timestamp.nullable(),
  })
  .meta({ id: 'OutboxMessage' });
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

export const OutboxListQuery = z.strictObject({
  status: z.enum(OUTBOX_STATUSES, { error: 'must be pending, sent or failed' }).optional(),
  limit,
  cursor,
});
export type OutboxListQuery = z.infer<typeof OutboxListQuery>;
export const OutboxPage = pageOf(OutboxMessageSchema, 'OutboxPage');
