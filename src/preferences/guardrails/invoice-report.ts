import type { InvoiceCheckResult, InvoiceFinding } from './invoice-check.js';
import type { InvoiceParseResult, ParseIssue } from './types.js';

/**
 * Plain-text rendering of a parse and an invoice check, for `hearken check-invoice --format text`
 * and for e-mail. Totals first, then findings in file order, then parser warnings. Pure.
 */

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const issue = (i: ParseIssue) => `  line ${i.line}${i.field ? `, ${i.field}` : ''}: ${i.message}`;

function where(f: InvoiceFinding): string {
  if (f.fileLine === null) {
    return f.invoiceNumber ? `invoice ${f.invoiceNumber}` : 'rules';
  }
  return `line ${f.fileLine}${f.lineItemNumber ? ` (item ${f.lineItemNumber})` : ''}${f.invoiceNumber ? `, invoice ${f.invoiceNumber}` : ''}`;
}

export function renderInvoiceCheckText(parse: InvoiceParseResult, check: InvoiceCheckResult | null, filename?: string): string {
  const out: string[] = [];
  const name = filename ? `${filename}: ` : '';
  if (!parse.ok) {
    out.push(`${name}could not be read${parse.format ? ` as ${parse.format}` : ''} (${parse.errors.length} error${parse.errors.length === 1 ? '' : 's'})`);
    out.push(...parse.errors.map(issue));
  } else {
    out.push(`${name}${parse.format}, ${parse.invoices.length} invoice${parse.invoices.length === 1 ? '' : 's'}`);
  }
  if (parse.ok && check) {
    const s = check.summary;
    out.push(
      `${s.linesChecked} lines checked (${money(s.amountChecked)}), ${s.linesFlagged} flagged, ${s.findings} finding${s.findings === 1 ? '' : 's'}, amount at risk ${money(s.amountAtRisk)}`,
    );
    const kinds = Object.entries(s.findingsByKind).map(([k, n]) => `${k} ${n}`);
    if (kinds.length > 0) {
      out.push(`  by rule: ${kinds.join(', ')}`);
    }
    const sorted = [...check.findings].sort((a, b) => (a.fileLine ?? 0) - (b.fileLine ?? 0));
    for (const f of sorted) {
      out.push('');
      out.push(`${f.severity.toUpperCase()} ${where(f)}: ${f.rule}${f.amountAtRisk > 0 ? ` — at risk ${money(f.amountAtRisk)}` : ''}`);
      out.push(`  ${f.message}`);
      if (f.source) {
        out.push(`  Preference: “${f.source.statement}”${f.conflictsWith ? ` vs “${f.conflictsWith.statement}”` : ''}`);
      }
      out.push(`  Fix: ${f.suggestedFix}`);
    }
    if (check.findings.length === 0) {
      out.push('No problems found.');
    }
  }
  if (parse.warnings.length > 0) {
    out.push('', `Warnings (${parse.warnings.length}):`, ...parse.warnings.map(issue));
  }
  return `${out.join('\n')}\n`;
}
