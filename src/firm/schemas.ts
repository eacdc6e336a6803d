import { z } from 'zod';
import { DIGEST_FREQUENCIES, ROLES } from '../db/schema.js';
import { cursor, id, limit, name, optionalText, pageOf, timestamp } from '../http/schema-helpers.js';
import { MIN_PASSWORD_LENGTH } from './passwords.js';

export const RoleSchema = z.enum(ROLES).describe('admin, programme_lead, management, partner, member or external');
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: 'must be an email address' }));
const password = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(256, 'must be at most 256 characters');

export const UserSchema = z
  .object({
    id,
    email: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    office: z.string().nullable(),
    role: RoleSchema,
    active: z.boolean(),
    locked: z.boolean().describe('True while sign-in is locked after repeated failures'),
    digestFrequency: z.enum(DIGEST_FREQUENCIES).describe('Their digest email: daily, weekly or off (they choose it under Account)'),
    teams: z.array(z.object({ id, name: z.string() })),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof UserSchema>;

export const UserCreateBody = z.strictObject({
  email: email.describe('Sign-in email, unique'),
  name: name().describe('Full name'),
  title: optionalText(200).describe('Job title, e.g. Partner'),
  office: optionalText(200).describe('Office, e.g. London'),
  role: RoleSchema,
  password: password.optional().describe('Initial password; generated and returned once when omitted'),
});
export type UserCreateBody = z.infer<typeof UserCreateBody>;

export const UserUpdateBody = z.strictObject({
  email: email.optional(),
  name: name().optional(),
  title: optionalText(200),
  office: optionalText(200),
  role: RoleSchema.optional(),
  active: z.boolean().optional().describe('Inactive users cannot sign in and their sessions end'),
  unlock: z.literal(true).optional().describe('Clear a sign-in lockout'),
});
export type UserUpdateBody = z.infer<typeof UserUpdateBody>;

export const UserListQuery = z.strictObject({
  q: z.string().trim().max(200).optional().describe('Part of the name or email'),
  role: RoleSchema.optional(),
  active: z.enum(['true', 'false']).optional(),
  teamId: id.optional(),
  cursor,
  limit,
});
export type UserListQuery = z.infer<typeof UserListQuery>;
export const UserPage = pageOf(UserSchema, 'UserPage');

export const UserCreated = z
  .object({ user: UserSchema, password: z.string().optional().describe('Shown once, when it was generated') })
  .meta({ id: 'UserCreated' });

export const PasswordReset = z.object({ password: z.string().describe('The new temporary password, shown once') }).meta({ id: 'PasswordReset' });

export const TeamKindSchema = z.enum(['practice_group', 'team', 'office']);
export const TeamMemberSchema = z.object({ id, name: z.string(), email: z.string(), role: RoleSchema });
export const TeamSchema = z
  .object({
    id,
    name: z.string(),
    kind: TeamKindSchema,
    description: z.string().nullable(),
    memberCount: z.number(),
    members: z.array(TeamMemberSchema).optional().describe('Present on the detail view'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof TeamSchema>;

export const TeamCreateBody = z.strictObject({
  name: name(120),
  kind: TeamKindSchema.default('practice_group').describe('practice_group, team or office'),
  description: optionalText(2000),
  memberIds: z.array(id).max(5000).optional().describe('Initial members'),
});
export type TeamCreateBody = z.infer<typeof TeamCreateBody>;
export const TeamUpdateBody = z.strictObject({
  name: name(120).optional(),
  kind: TeamKindSchema.optional(),
  description: optionalText(2000),
  memberIds: z.array(id).max(5000).optional().describe('Replaces the member list'),
});
export type TeamUpdateBody = z.infer<typeof TeamUpdateBody>;
export const TeamList = z.object({ items: z.array(TeamSchema) }).meta({ id: 'TeamList' });

export const LoginBody = z.strictObject({
  email: z.string().trim().toLowerCase().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(256),
});
export const FirmAbilitiesSchema = z
  .object({
    createClients: z.boolean(),
    manageUsers: z.boolean(),
    manageTeams: z.boolean(),
    manageWalls: z.boolean(),
    readAudit: z.boolean(),
    readProgrammes: z.boolean(),
    manageProgrammes: z.boolean(),
    answerNominations: z.boolean(),
    readSessions: z.boolean(),
    planSessions: z.boolean(),
    manageGuides: z.boolean(),
    manageThemes: z.boolean(),
    manageSettings: z.boolean(),
    readInsights: z.boolean(),
    readActions: z.boolean(),
    readRelationships: z.boolean(),
    readPreferences: z.boolean().describe('Whether the user may read client preferences somewhere (briefs, ask again, reports due)'),
    readAnalytics: z.boolean().describe('Whether the user may open the analytics dashboards (figures count only what the user may see)'),
  })
  .describe('What the user may do firm-wide')
  .meta({ id: 'FirmAbilities' });
export const MeSchema = z
  .object({
    user: UserSchema,
    abilities: FirmAbilitiesSchema,
    csrfToken: z.string().optional().describe('Send as X-CSRF-Token on cookie-authenticated writes'),
  })
  .meta({ id: 'Me' });
export const PasswordChangeBody = z.strictObject({ currentPassword: z.string().min(1, 'is required').max(256), newPassword: password });

export const TokenSchema = z
  .object({
    id,
    name: z.string(),
    prefix: z.string(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof TokenSchema>;
export const TokenCreateBody = z.strictObject({
  name: name(100).describe('What the token is for'),
  expiresInDays: z.number().int().min(1).max(3650).optional().describe('Leave out for a token that does not expire'),
});
export const TokenCreated = z
  .object({ token: z.string().describe('The secret; shown once and never again'), apiToken: TokenSchema })
  .meta({ id: 'ApiTokenCreated' });
