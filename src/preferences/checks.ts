import { todayUtc } from '../actions/loop.js';
import { scopeFor } from '../http/access.js';
import { ForbiddenError } from '../http/errors.js';
import type { ServiceContext } from '../server/context.js';
import type { MessageCheckBody, PlanCheckBody } from './check-schemas.js';
import { checkInvoice, type InvoiceCheckResult, type MatterInfo } from './guardrails/invoice-check.js';
import { type ContactInfo, checkMessage, type MessageCheckResult } from './guardrails/message-check.js';
import { parseInvoiceBytes } from './guardrails/parse-invoice.js';
import { checkPlan, type PlanCheckResult } from './guardrails/plan-check.js';
import type { InvoiceParseResult } from './guardrails/types.js';
import { loadRuleSources, requirePreferenceClient } from './preferences.js';
import type { RuleSource } from './rules.js';

/**
 * The guardrail checks as a service: the access check (read access to the client's preferences:
 * walled client → 404, out of scope → 403), then the client's rules, contacts and matters as plain
 * data for the pure checks in `guardrails/`. Every check is a read: nothing is stored or audited.
 */

export interface CheckData {
  client: { id: string; name: string };
  rules: RuleSource[];
}

async function checkData(ctx: ServiceContext, clientId: string): Promise<CheckData> {
  // A role that may never read preferences (external, admin) is told so whatever the client.
  if (!scopeFor(ctx.actor.role, 'preference', 'read')) {
    throw new ForbiddenError();
  }
  const { client } = await requirePreferenceClient(ctx, clientId, 'read');
  return { client, rules: await loadRuleSources(ctx.db, clientId) };
}

/** The client's matters as the invoice check needs them (firm code = matter reference). */
async function mattersOf(ctx: ServiceContext, clientId: string): Promise<MatterInfo[]> {
  const rows = await ctx.db
    .selectFrom('matters')
    .select(['name', 'reference', 'closed_on', 'client_project_code'])
    .where('client_id', '=', clientId)
    .orderBy('id')
    .execute();
  return rows.map((m) => ({ name: m.name, firmMatterCode: m.reference, closedOn: m.closed_on, projectCode: m.client_project_code }));
}

async function contactsOf(ctx: ServiceContext, clientId: string): Promise<ContactInfo[]> {
  const rows = await ctx.db
    .selectFrom('contacts')
    .select(['id', 'name', 'preferred_name', 'email'])
    .where('client_id', '=', clientId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((c) => ({ id: c.id, name: c.name, preferredName: c.preferred_name, email: c.email }));
}

export interface InvoiceCheckInput {
  clientId: string;
  bytes: Uint8Array;
  filename?: string;
  dateOrder?: 'dmy' | 'mdy';
}

export interface InvoiceCheckOutcome {
  client: { id: string; name: string };
  filename: string | null;
  parse: InvoiceParseResult;
  /** null when the file could not be read. */
  check: InvoiceCheckResult | null;
}

/**
 * Parses an uploaded invoice and checks it against the client's billing preferences. The access
 * check comes first, so nobody learns anything about a client they may not see from the answer.
 * Parsing is synchronous and CPU-bound (seconds for a file near the 50 MiB limit).
 */
export async function checkInvoiceFile(ctx: ServiceContext, input: InvoiceCheckInput, now = new Date()): Promise<InvoiceCheckOutcome> {
  const { client, rules } = await checkData(ctx, input.clientId);
  const matters = await mattersOf(ctx, input.clientId);
  const parse = parseInvoiceBytes(input.bytes, input.filename, input.dateOrder ? { dateOrder: input.dateOrder } : {});
  const check = parse.ok ? checkInvoice(parse, { rules, matters, today: todayUtc(now) }) : null;
  return { client, filename: input.filename ?? null, parse, check };
}

/** A message, invitation or call checked against the client's and its contacts' preferences. */
export async function checkMessageFor(ctx: ServiceContext, input: MessageCheckBody): Promise<MessageCheckResult> {
  const { rules } = await checkData(ctx, input.clientId);
  const contacts = await contactsOf(ctx, input.clientId);
  return checkMessage(
    {
      recipients: input.recipients,
      salutation: input.salutation ?? null,
      subject: input.subject ?? null,
      body: input.body,
      channel: input.channel ?? null,
      meetingPlatform: input.meetingPlatform ?? null,
      date: input.date ?? null,
    },
    { rules, contacts },
  );
}

/** An event, travel or shipping plan checked for the brands and companies the client avoids. */
export async function checkPlanFor(ctx: ServiceContext, input: PlanCheckBody): Promise<PlanCheckResult> {
  const { rules } = await checkData(ctx, input.clientId);
  return checkPlan(typeof input.plan === 'string' ? input.plan : input.plan.map((i) => ({ label: i.label ?? null, text: i.text })), rules);
}
