import { z } from 'zod';
import { id, isoDate, ProblemSchema } from '../http/schema-helpers.js';
import { INVOICE_FINDING_KINDS } from './guardrails/invoice-check.js';
import { MAX_INVOICE_BYTES } from './guardrails/parse-invoice.js';
import { CHANNELS } from './rules.js';

/** API shapes of the guardrail checks (invoice, message and meeting, plan). */

const severity = z.enum(['error', 'warning']);
const span = z.object({ start: z.number().int(), end: z.number().int() }).describe('Character range: text.slice(start, end)');
const source = z
  .object({ preferenceId: id, statement: z.string().describe('The client’s own words') })
  .describe('The preference the finding comes from')
  .meta({ id: 'FindingSource' });

export const ParseIssueSchema = z
  .object({
    line: z.number().int().describe('1-based physical line of the file'),
    field: z.string().optional().describe('LEDES field name or CSV column, when known'),
    message: z.string(),
  })
  .meta({ id: 'InvoiceParseIssue' });

export const InvoiceCheckQuery = z.object({
  clientId: id.describe('The client whose billing preferences apply'),
  filename: z.string().max(255).optional().describe('The file name (LEDES files are expected to end in .txt)'),
  dateOrder: z.enum(['dmy', 'mdy']).optional().describe('Force the order of D/M/Y dates in a CSV file'),
});
export type InvoiceCheckQuery = z.infer<typeof InvoiceCheckQuery>;

export const InvoiceFindingSchema = z
  .object({
    kind: z.enum(INVOICE_FINDING_KINDS),
    severity,
    invoiceNumber: z.string().nullable(),
    fileLine: z.number().int().nullable().describe('The file line; null for invoice- or rule-level findings'),
    lineItemNumber: z.string().nullable(),
    rule: z.string().describe('The rule in words'),
    source: source.nullable().describe('null for common e-billing checks no preference asked for'),
    conflictsWith: source.optional().describe('For rule_conflict: the other preference'),
    amountAtRisk: z.number(),
    message: z.string(),
    suggestedFix: z.string(),
    span: span.optional().describe('Where in the line description'),
  })
  .meta({ id: 'InvoiceFinding' });

export const InvoiceCheckSummarySchema = z.object({
  invoices: z.number().int(),
  linesChecked: z.number().int(),
  amountChecked: z.number(),
  findings: z.number().int(),
  findingsByKind: z.record(z.string(), z.number().int()).describe('Findings per kind'),
  amountAtRisk: z.number().describe('Per line the largest amount at risk, capped at the line total, summed'),
  linesFlagged: z.number().int(),
});

export const InvoiceCheckResultSchema = z
  .object({
    client: z.object({ id, name: z.string() }),
    filename: z.string().nullable(),
    format: z.enum(['ledes1998b', 'ledes98bi_v2', 'csv']),
    warnings: z.array(ParseIssueSchema).describe('Things a receiver may reject but that did not stop the check'),
    summary: InvoiceCheckSummarySchema,
    findings: z.array(InvoiceFindingSchema),
  })
  .meta({ id: 'InvoiceCheckResult' });
export type InvoiceCheckResultView = z.infer<typeof InvoiceCheckResultSchema>;

export const InvoiceParseProblem = ProblemSchema.extend({
  errors: z.array(ParseIssueSchema).describe('Where the file is malformed: line, field and message'),
  warnings: z.array(ParseIssueSchema),
  format: z.enum(['ledes1998b', 'ledes98bi_v2', 'csv']).nullable().describe('The format the file looked like'),
}).meta({ id: 'InvoiceParseProblem' });

export const INVOICE_UPLOAD_DESCRIPTION = `Send the file as the raw request body (Content-Type text/plain, text/csv or application/octet-stream), or as the file field of a multipart/form-data upload, with clientId in the query. LEDES 1998B, LEDES 98BI V2 and CSV are read. Over ${MAX_INVOICE_BYTES} bytes (50 MiB): 413, checked before the body is read in full. A file that cannot be read: 422 with errors [{line, field, message}]. Needs read access to the client’s preferences. A read: nothing is stored.`;

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const MessageCheckBody = z
  .object({
    clientId: id,
    recipients: z
      .array(
        z.object({
          contactId: id.nullish(),
          name: text(200).nullish(),
          email: text(320).nullish(),
        }),
      )
      .max(200)
      .default([])
      .describe('Resolved to the client’s contacts by contactId, then e-mail, then name'),
    salutation: text(500).nullish(),
    subject: text(1000).nullish(),
    body: text(100_000).default(''),
    channel: z.enum(CHANNELS).nullish(),
    meetingPlatform: text(200).nullish().describe('e.g. Zoom, Microsoft Teams'),
    date: isoDate.nullish().describe('Of the message or meeting (not used by any check yet)'),
  })
  .meta({ id: 'MessageCheckBody' });
export type MessageCheckBody = z.infer<typeof MessageCheckBody>;

export const MessageFindingSchema = z
  .object({
    kind: z.enum(['name_form', 'unwanted_channel', 'meeting_platform', 'unwanted_report', 'restricted_recipient', 'avoided_brand']),
    severity,
    field: z.enum(['salutation', 'subject', 'body', 'channel', 'meetingPlatform', 'recipients']),
    span: span.optional(),
    text: z.string().optional().describe('The text matched, as written'),
    contactId: id.nullable(),
    rule: z.string(),
    source: source.nullable(),
    message: z.string(),
    suggestedFix: z.string(),
  })
  .meta({ id: 'MessageFinding' });

export const MessageCheckResultSchema = z
  .object({
    findings: z.array(MessageFindingSchema),
    recipientContactIds: z.array(id).describe('The contacts the recipients were resolved to'),
  })
  .meta({ id: 'MessageCheckResult' });

export const PlanCheckBody = z
  .object({
    clientId: id,
    plan: z
      .union([text(100_000), z.array(z.object({ label: text(200).nullish(), text: text(10_000) })).max(500)])
      .describe('Free text, or items {label, text} (catering, car hire, courier, venue, gifts)'),
  })
  .meta({ id: 'PlanCheckBody' });
export type PlanCheckBody = z.infer<typeof PlanCheckBody>;

export const PlanFindingSchema = z
  .object({
    kind: z.literal('avoided_brand'),
    itemIndex: z.number().int().nullable().describe('The item for an itemised plan; null for free text'),
    field: z.enum(['text', 'label']),
    start: z.number().int(),
    end: z.number().int(),
    brand: z.string(),
    term: z.string().describe('The name or alias that matched'),
    text: z.string().describe('As written'),
    source,
    contactId: id.nullable(),
    message: z.string(),
    suggestedFix: z.string(),
  })
  .meta({ id: 'PlanFinding' });

export const PlanCheckResultSchema = z
  .object({
    findings: z.array(PlanFindingSchema),
    summary: z.object({ matches: z.number().int(), brands: z.array(z.string()) }),
  })
  .meta({ id: 'PlanCheckResult' });
