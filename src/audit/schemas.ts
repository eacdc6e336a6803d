import { z } from 'zod';
import { cursor, id, isoDate, limit, pageOf, timestamp } from '../http/schema-helpers.js';

export const AuditEntrySchema = z
  .object({
    id,
    at: timestamp,
    actorId: z.string().nullable(),
    actorLabel: z.string().describe('Email of the person, or "system" for the CLI'),
    action: z.string().describe('e.g. client.update'),
    entity: z.string(),
    entityId: z.string(),
    clientId: z.string().nullable(),
    changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])).describe('field → [before, after]'),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuery = z.strictObject({
  actorId: id.optional(),
  entity: z.string().max(50).optional(),
  entityId: z.string().max(64).optional(),
  action: z.string().max(80).optional().describe('Exact action, or a prefix ending in "." such as "client."'),
  clientId: id.optional(),
  from: isoDate.optional().describe('First day, inclusive (UTC)'),
  to: isoDate.optional().describe('Last day, inclusive (UTC)'),
  cursor,
  limit,
});
export type AuditQuery = z.infer<typeof AuditQuery>;
export const AuditPage = pageOf(AuditEntrySchema, 'AuditPage');
