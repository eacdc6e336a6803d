import { z } from 'zod';
import { CLIENT_STATUSES, MATTER_STATUSES, TEAM_ROLES } from '../db/schema.js';
import { booleanQuery, cursor, id, isoDate, limit, name, optionalText, pageOf, timestamp } from '../http/schema-helpers.js';

export const ClientStatusSchema = z.enum(CLIENT_STATUSES).describe('prospect, active, lapsed, lost or pitch_lost');
export const TeamRoleSchema = z.enum(TEAM_ROLES).describe('relationship_partner or member');
const person = z.object({ id, name: z.string() });

export const ClientSchema = z
  .object({
    id,
    name: z.string(),
    status: ClientStatusSchema,
    industry: z.string().nullable(),
    annualFees: z.number().nullable().describe('Fees billed to the client in a year, in the firm’s currency'),
    isKeyClient: z.boolean(),
    parentId: z.string().nullable().describe('The parent company, when it is a client too'),
    competitors: z.array(z.string()).describe('Competitor names the firm should know (e.g. brands to avoid)'),
    notes: z.string().nullable(),
    walled: z.boolean().describe('Behind an ethical wall: visible only to its listed members'),
    relationshipPartners: z.array(person),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Client' });
export type Client = z.infer<typeof ClientSchema>;

export const TeamMemberSchema = z
  .object({ userId: id, name: z.string(), email: z.string(), title: z.string().nullable(), teamRole: TeamRoleSchema })
  .meta({ id: 'ClientTeamMember' });
export type ClientTeamMember = z.infer<typeof TeamMemberSchema>;

export const ClientDetailSchema = ClientSchema.extend({
  parent: person.nullable(),
  subsidiaries: z.array(person),
  team: z.array(TeamMemberSchema),
  counts: z.object({
    contacts: z.number(),
    matters: z.number().nullable().describe('null for callers who may not read matters (external interviewers)'),
    openMatters: z.number().nullable(),
  }),
  abilities: z
    .object({
      readMatters: z.boolean(),
      readTeam: z.boolean().describe('Whether the caller may read the relationship team (when not, `team` is empty)'),
      edit: z.boolean(),
      delete: z.boolean(),
      editContacts: z.boolean(),
      deleteContacts: z.boolean(),
      editMatters: z.boolean(),
      editTeam: z.boolean(),
      readPreferences: z.boolean().describe('Whether the caller may read the client’s preferences and brief'),
      editPreferences: z.boolean().describe('Whether the caller may record and change the client’s preferences'),
    })
    .describe('What the caller may do on this client, so that a client offers only what will work')
    .meta({ id: 'ClientAbilities' }),
}).meta({ id: 'ClientDetail' });
export type ClientDetail = z.infer<typeof ClientDetailSchema>;

const competitors = z.array(z.string().trim().min(1, 'is required').max(200)).max(100);
const fees = z.number().min(0, 'must not be negative').max(1e13).nullable();

export const ClientCreateBody = z.strictObject({
  name: name(200).describe('The client’s name as the firm uses it'),
  status: ClientStatusSchema.default('active'),
  industry: optionalText(120),
  annualFees: fees.optional(),
  isKeyClient: z.boolean().default(false),
  parentId: id.nullish().describe('Parent company (another client)'),
  competitors: competitors.default([]),
  notes: optionalText(5000),
  walled: z.boolean().default(false).describe('Create behind an ethical wall; the creator is listed on it'),
  wallMemberIds: z.array(id).max(500).optional().describe('Who else is listed on the wall'),
});
export type ClientCreateBody = z.infer<typeof ClientCreateBody>;

export const ClientUpdateBody = z.strictObject({
  name: name(200).optional(),
  status: ClientStatusSchema.optional(),
  industry: optionalText(120),
  annualFees: fees.optional(),
  isKeyClient: z.boolean().optional(),
  parentId: id.nullish(),
  competitors: competitors.optional(),
  notes: optionalText(5000),
});
export type ClientUpdateBody = z.infer<typeof ClientUpdateBody>;

export const CLIENT_SORTS = ['name', 'status', 'annualFees', 'updatedAt', 'createdAt'] as const;
export const ClientListQuery = z.strictObject({
  q: z.string().trim().max(200).optional().describe('Part of the client’s name'),
  status: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) {
        return undefined;
      }
      const parts = v.split(',').map((s) => s.trim());
      for (const p of parts) {
        if (!(CLIENT_STATUSES as readonly string[]).includes(p)) {
          ctx.addIssue({ code: 'custom', message: `"${p}" is not one of ${CLIENT_STATUSES.join(', ')}` });
          return z.NEVER;
        }
      }
      return parts as (typeof CLIENT_STATUSES)[number][];
    })
    .describe('One status or several, comma-separated'),
  industry: z.string().trim().max(120).optional(),
  keyClient: booleanQuery.optional(),
  partnerId: id.optional().describe('Clients for which this user is a relationship partner'),
  memberId: id.optional().describe('Clients on whose relationship team this user is'),
  parentId: id.optional(),
  sort: z.enum(CLIENT_SORTS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  total: booleanQuery.optional().describe('Also count all matching clients'),
  cursor,
  limit,
});
export type ClientListQuery = z.infer<typeof ClientListQuery>;
export const ClientPage = pageOf(ClientSchema, 'ClientPage');

export const DeleteClientQuery = z.strictObject({
  cascade: booleanQuery.optional().describe('Also delete the client’s contacts and matters'),
});

export const ContactSchema = z
  .object({
    id,
    clientId: id,
    name: z.string(),
    preferredName: z.string().nullable().describe('How the contact wants to be addressed (Megge, not Meg)'),
    role: z.string().nullable().describe('Their role for the firm: GC, CFO, Head of IT, …'),
    jobTitle: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    isDecisionMaker: z.boolean(),
    leftOn: z.string().nullable().describe('The date they left the client; null while they are there'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof ContactSchema>;

const contactFields = {
  name: name(200),
  preferredName: optionalText(120),
  role: optionalText(120),
  jobTitle: optionalText(200),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .transform((v) => (v === '' ? null : v))
    .pipe(z.email({ error: 'must be an email address' }).nullable())
    .nullish(),
  phone: optionalText(50),
  isDecisionMaker: z.boolean(),
  leftOn: isoDate.nullable(),
};
export const ContactCreateBody = z.strictObject({
  ...contactFields,
  isDecisionMaker: contactFields.isDecisionMaker.default(false),
  leftOn: contactFields.leftOn.optional(),
});
export type ContactCreateBody = z.infer<typeof ContactCreateBody>;
export const ContactUpdateBody = z.strictObject({
  name: contactFields.name.optional(),
  preferredName: contactFields.preferredName,
  role: contactFields.role,
  jobTitle: contactFields.jobTitle,
  email: contactFields.email,
  phone: contactFields.phone,
  isDecisionMaker: contactFields.isDecisionMaker.optional(),
  leftOn: contactFields.leftOn.optional(),
});
export type ContactUpdateBody = z.infer<typeof ContactUpdateBody>;
export const ContactList = z.object({ items: z.array(ContactSchema) }).meta({ id: 'ContactList' });

export const MatterStatusSchema = z.enum(MATTER_STATUSES).describe('open, on_hold or closed');
export const MatterSchema = z
  .object({
    id,
    clientId: id,
    name: z.string(),
    reference: z.string().nullable().describe('The firm’s matter number'),
    practiceArea: z.string().nullable(),
    status: MatterStatusSchema,
    openedOn: z.string().nullable(),
    closedOn: z.string().nullable(),
    clientProjectCode: z.string().nullable().describe('The client’s own project or cost-centre code, for split invoices'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Matter' });
export type Matter = z.infer<typeof MatterSchema>;

const closedAfterOpened = (v: { openedOn?: string | null | undefined; closedOn?: string | null | undefined }) =>
  !v.openedOn || !v.closedOn || v.closedOn >= v.openedOn;
const closedOnIssue = { message: 'must not be before the opening date', path: ['closedOn'] };

export const MatterCreateBody = z
  .strictObject({
    name: name(300),
    reference: optionalText(100),
    practiceArea: optionalText(120),
    status: MatterStatusSchema.default('open'),
    openedOn: isoDate.nullish(),
    closedOn: isoDate.nullish(),
    clientProjectCode: optionalText(100),
  })
  .refine(closedAfterOpened, closedOnIssue);
export type MatterCreateBody = z.infer<typeof MatterCreateBody>;
export const MatterUpdateBody = z
  .strictObject({
    name: name(300).optional(),
    reference: optionalText(100),
    practiceArea: optionalText(120),
    status: MatterStatusSchema.optional(),
    openedOn: isoDate.nullish(),
    closedOn: isoDate.nullish(),
    clientProjectCode: optionalText(100),
  })
  .refine(closedAfterOpened, closedOnIssue);
export type MatterUpdateBody = z.infer<typeof MatterUpdateBody>;
export const MatterList = z.object({ items: z.array(MatterSchema) }).meta({ id: 'MatterList' });

export const TeamList = z.object({ items: z.array(TeamMemberSchema) }).meta({ id: 'ClientTeam' });
export const TeamPutBody = z.strictObject({
  members: z
    .array(z.strictObject({ userId: id, teamRole: TeamRoleSchema }))
    .max(200)
    .describe('The whole relationship team; replaces the current one'),
});
export type TeamPutBody = z.infer<typeof TeamPutBody>;

export const WallSchema = z
  .object({ clientId: id, clientName: z.string(), members: z.array(z.object({ id, name: z.string(), email: z.string() })) })
  .meta({ id: 'Wall' });
export type Wall = z.infer<typeof WallSchema>;
export const WallList = z.object({ items: z.array(WallSchema) }).meta({ id: 'WallList' });
export const WallPutBody = z.strictObject({
  walled: z.boolean().describe('false lifts the wall'),
  memberIds: z.array(id).max(500).default([]).describe('Everyone who may see the client'),
});
export type WallPutBody = z.infer<typeof WallPutBody>;
