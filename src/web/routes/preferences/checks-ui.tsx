import { Badge, Button, Text } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** Pieces shared by the three check pages: print styles, severity, the quoted preference, highlights. */

/** Printing gives the results alone: no navigation, header, form or buttons. */
export function PrintStyle() {
  return (
    <style>
      {
        '@media print { .no-print, .mantine-AppShell-navbar, .mantine-AppShell-header { display: none !important; } .mantine-AppShell-main { padding: 0 !important; } table { page-break-inside: auto; } tr { page-break-inside: avoid; } mark { background: none !important; text-decoration: underline; font-weight: 700; } }'
      }
    </style>
  );
}

export function PrintButton() {
  return (
    <Button variant="default" className="no-print" leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
      Print
    </Button>
  );
}

export function SeverityBadge({ severity }: { severity: 'error' | 'warning' }) {
  return (
    <Badge variant="dot" color={severity === 'error' ? 'red.9' : 'yellow.9'}>
      {severity === 'error' ? 'Error' : 'Warning'}
    </Badge>
  );
}

/** The client's own words the finding comes from, or a note that no preference asked for it. */
export function SourceQuote({ source, none = 'Common e-billing check' }: { source: { statement: string } | null | undefined; none?: string }) {
  if (!source) {
    return (
      <Text size="sm" c="dimmed">
        {none}
      </Text>
    );
  }
  return (
    <Text size="sm" fs="italic">
      “{source.statement}”
    </Text>
  );
}

/** `text` with the given character ranges wrapped in <mark>; overlapping ranges are merged. */
export function Highlighted({ text, spans }: { text: string; spans: { start: number; end: number }[] }): ReactNode {
  const sorted = spans
    .filter((s) => s.end > s.start && s.start >= 0 && s.start < text.length)
    .map((s) => ({ start: s.start, end: Math.min(s.end, text.length) }))
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) {
      last.end = Math.max(last.end, s.end);
    } else {
      merged.push({ ...s });
    }
  }
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of merged) {
    if (s.start > at) {
      parts.push(text.slice(at, s.start));
    }
    parts.push(<mark key={s.start}>{text.slice(s.start, s.end)}</mark>);
    at = s.end;
  }
  if (at < text.length) {
    parts.push(text.slice(at));
  }
  return <>{parts}</>;
}

export const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const INVOICE_KIND_LABELS: Record<string, string> = {
  disallowed_phrase: 'Disallowed phrase',
  block_billing: 'Block billing',
  vague_description: 'Vague description',
  late_entry: 'Entry after matter closed',
  late_invoice: 'Invoice after matter closed',
  rate_above_cap: 'Rate above cap',
  unknown_code: 'Unknown UTBMS code',
  missing_code: 'Missing UTBMS code',
  missing_project_code: 'Missing project code',
  unknown_project_code: 'Unknown project code',
  mixed_project_codes: 'Several project codes',
  description_detail: 'Description detail',
  rule_conflict: 'Rules disagree',
};

export const MESSAGE_KIND_LABELS: Record<string, string> = {
  name_form: 'Name form',
  unwanted_channel: 'Unwanted channel',
  meeting_platform: 'Meeting platform',
  unwanted_report: 'Unwanted report',
  restricted_recipient: 'Restricted recipient',
  avoided_brand: 'Avoided brand',
};
