import type { TimekeeperClass } from '../rules.js';

/**
 * The shape every invoice parser (LEDES 1998B, LEDES 98BI V2, CSV) returns, so the invoice check does
 * not care which format the firm exported. Pure types, no I/O.
 */

export type InvoiceFormat = 'ledes1998b' | 'ledes98bi_v2' | 'csv';

/** A problem in the file, located by 1-based physical line (CR, LF and CRLF each end a line) and field. */
export interface ParseIssue {
  line: number;
  /** The LEDES field name or the CSV column header the problem is in, when there is one. */
  field?: string;
  message: string;
}

/** `F` fee, `E` expense, `IF`/`IE` invoice-level fee/expense adjustment (LEDES EXP/FEE/INV_ADJ_TYPE). */
export type LineType = 'F' | 'E' | 'IF' | 'IE';

export interface InvoiceLine {
  /** 1-based line in the file where this line item starts. */
  fileLine: number;
  /** LINE_ITEM_NUMBER as written (null in CSV exports without one). */
  lineItemNumber: string | null;
  invoiceNumber: string | null;
  type: LineType | null;
  /** ISO date (YYYY-MM-DD) of the work or expense. */
  date: string | null;
  units: number | null;
  rate: number | null;
  adjustment: number | null;
  total: number | null;
  taskCode: string | null;
  activityCode: string | null;
  expenseCode: string | null;
  timekeeperId: string | null;
  timekeeperName: string | null;
  /** Two-letter LOC class; older words (PARTNR, ASSOC, PARALEGAL…) are mapped. Null when absent or unrecognised. */
  timekeeperClass: TimekeeperClass | null;
  /** The class as written in the file. */
  timekeeperClassRaw: string | null;
  description: string;
  clientId: string | null;
  /** LAW_FIRM_MATTER_ID: the firm's matter code. */
  lawFirmMatterId: string | null;
  /** CLIENT_MATTER_ID: the client's own matter, project or cost-centre code. */
  clientMatterId: string | null;
}

export interface Invoice {
  invoiceNumber: string | null;
  /** ISO date; for LEDES the first INVOICE_DATE seen for the invoice number counts. */
  invoiceDate: string | null;
  clientId: string | null;
  /** INVOICE_TOTAL as stated (null in CSV exports without one). */
  total: number | null;
  billingStart: string | null;
  billingEnd: string | null;
  description: string | null;
  currency: string | null;
  lines: InvoiceLine[];
}

export interface ParsedInvoice {
  ok: true;
  format: InvoiceFormat;
  invoices: Invoice[];
  /** Things a receiver may reject but that do not stop the check (totals that do not add up, …). */
  warnings: ParseIssue[];
}

export interface InvoiceParseFailure {
  ok: false;
  /** The format the file looked like, or null when it could not be told. */
  format: InvoiceFormat | null;
  errors: ParseIssue[];
  warnings: ParseIssue[];
}

export type InvoiceParseResult = ParsedInvoice | InvoiceParseFailure;

/** A byte or character range in a text, for highlighting: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

/** The preference a finding comes from, quoted so the user sees the client's words. */
export interface FindingSource {
  preferenceId: string;
  statement: string;
}
