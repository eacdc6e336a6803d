import { Alert, Badge, Button, FileInput, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, type Schemas } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { ClientPicker } from '../../components/Pickers';
import { INVOICE_KIND_LABELS, money, PrintButton, PrintStyle, SeverityBadge, SourceQuote } from './checks-ui';

type Result = Schemas['InvoiceCheckResult'];
type ParseProblem = Schemas['InvoiceParseProblem'];
type Issue = Schemas['InvoiceParseIssue'];
type Outcome = { kind: 'ok'; result: Result } | { kind: 'unreadable'; problem: ParseProblem } | { kind: 'failed'; message: string };

const MAX_BYTES = 50 * 1024 * 1024;
const DATE_ORDERS = [
  { value: 'auto', label: 'Work it out from the file' },
  { value: 'dmy', label: 'Day first (31/12/2026)' },
  { value: 'mdy', label: 'Month first (12/31/2026)' },
];

/** Sends the file as the raw body (the API reads LEDES or CSV from it); the CSRF header comes from the client. */
async function uploadInvoice(clientId: string, file: File, dateOrder: string): Promise<Outcome> {
  const { data, error, response } = await api.POST('/api/v1/checks/invoice', {
    params: { query: { clientId, filename: file.name, ...(dateOrder === 'dmy' || dateOrder === 'mdy' ? { dateOrder } : {}) } },
    body: file as never,
    bodySerializer: (body: unknown) => body as BodyInit,
    headers: { 'Content-Type': 'application/octet-stream' },
  });
  if (response.ok && data) {
    return { kind: 'ok', result: data };
  }
  if (response.status === 422) {
    return { kind: 'unreadable', problem: error as ParseProblem };
  }
  return { kind: 'failed', message: (error as { detail?: string } | undefined)?.detail ?? response.statusText };
}

function Issues({ title, issues }: { title: string; issues: Issue[] }) {
  if (issues.length === 0) {
    return null;
  }
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        {title} ({issues.length})
      </Title>
      <Table.ScrollContainer minWidth={500}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Field</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {issues.map((i) => (
              <Table.Tr key={`${i.line}|${i.field ?? ''}|${i.message}`}>
                <Table.Td>{i.line}</Table.Td>
                <Table.Td>{i.field ?? '—'}</Table.Td>
                <Table.Td>{i.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Paper>
  );
}

function Results({ result }: { result: Result }) {
  const s = result.summary;
  const byKind = Object.entries(s.findingsByKind);
  const findings = [...result.findings].sort((a, b) => (a.fileLine ?? 0) - (b.fileLine ?? 0));
  return (
    <Stack gap="md" aria-live="polite">
      <Group justify="space-between">
        <Title order={3}>
          {result.filename ?? 'Invoice'} for {result.client.name}
        </Title>
        <PrintButton />
      </Group>
      <Text size="sm" c="dimmed">
        Read as {result.format === 'csv' ? 'CSV' : result.format === 'ledes98bi_v2' ? 'LEDES 98BI V2' : 'LEDES 1998B'}, {s.invoices} invoice
        {s.invoices === 1 ? '' : 's'}.
      </Text>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Stat label="Lines checked" value={String(s.linesChecked)} />
        <Stat label="Lines flagged" value={String(s.linesFlagged)} />
        <Stat label="Findings" value={String(s.findings)} />
        <Stat label="Amount at risk" value={`${money(s.amountAtRisk)} of ${money(s.amountChecked)}`} />
      </SimpleGrid>
      {byKind.length > 0 && (
        <Group gap="xs" aria-label="Findings by rule">
          {byKind.map(([kind, n]) => (
            <Badge key={kind} variant="dot" color="gray.9">
              {INVOICE_KIND_LABELS[kind] ?? kind}: {n}
            </Badge>
          ))}
        </Group>
      )}
      {findings.length === 0 ? (
        <Alert color="green" title="No problems found">
          No line breaks the client’s billing preferences.
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped aria-label="Findings">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Line</Table.Th>
                <Table.Th>Rule</Table.Th>
                <Table.Th>What is wrong</Table.Th>
                <Table.Th>Preference</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>At risk</Table.Th>
                <Table.Th>Suggested fix</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {findings.map((f) => (
                <Table.Tr key={`${f.kind}|${f.invoiceNumber}|${f.fileLine}|${f.rule}|${f.message}`}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {f.fileLine === null ? (f.invoiceNumber ? `Invoice ${f.invoiceNumber}` : 'Rules') : `Line ${f.fileLine}`}
                    {f.lineItemNumber && (
                      <Text size="xs" c="dimmed">
                        Item {f.lineItemNumber}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4}>
                      <SeverityBadge severity={f.severity} />
                      <Text size="sm">{f.rule}</Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{f.message}</Text>
                  </Table.Td>
                  <Table.Td>
                    <SourceQuote source={f.source} />
                  </Table.Td>
                  <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{f.amountAtRisk > 0 ? money(f.amountAtRisk) : '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{f.suggestedFix}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Issues title="Warnings from reading the file" issues={result.warnings} />
    </Stack>
  );
}

/** /checks/invoice: upload a LEDES or CSV invoice and see every line the client's billing guidelines reject. */
export function InvoiceCheckPage() {
  const [params] = useSearchParams();
  const initialId = params.get('clientId');
  const initialName = params.get('clientName');
  const [clientId, setClientId] = useState<string | null>(initialId);
  const [file, setFile] = useState<File | null>(null);
  const [dateOrder, setDateOrder] = useState('auto');
  const [errors, setErrors] = useState<{ client?: string; file?: string }>({});
  const check = useMutation({ mutationFn: (v: { clientId: string; file: File; dateOrder: string }) => uploadInvoice(v.clientId, v.file, v.dateOrder) });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const next: { client?: string; file?: string } = {};
    if (!clientId) {
      next.client = 'Choose the client whose billing guidelines apply';
    }
    if (!file) {
      next.file = 'Choose the invoice file (LEDES .txt or CSV)';
    } else if (file.size > MAX_BYTES) {
      next.file = 'The file is over 50 MB; split the export and check each part';
    } else if (file.size === 0) {
      next.file = 'The file is empty';
    }
    setErrors(next);
    if (clientId && file && !next.file) {
      check.mutate({ clientId, file, dateOrder });
    }
  };

  const outcome = check.data;
  return (
    <>
      <PrintStyle />
      <PageHeader
        title="Invoice check"
        description="Before an invoice goes out, see every line the client’s billing guidelines will reject: LEDES 1998B, 98BI V2 or CSV, up to 50 MB. Nothing is stored."
      />
      <Paper withBorder p="md" mb="lg" className="no-print">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm" maw={560}>
            <ClientPicker
              value={clientId}
              initial={initialId && initialName ? { id: initialId, name: initialName } : null}
              onChange={(id) => setClientId(id)}
              error={errors.client}
            />
            <FileInput
              label="Invoice file"
              description="LEDES (.txt) or CSV export from your billing system"
              accept=".txt,.csv,.tsv,text/plain,text/csv"
              withAsterisk
              clearable
              clearButtonProps={{ 'aria-label': 'Clear the file' }}
              value={file}
              onChange={setFile}
              error={errors.file}
              leftSection={<IconFileUpload size={16} aria-hidden />}
            />
            <Select label="Dates in a CSV file" data={DATE_ORDERS} value={dateOrder} onChange={(v) => setDateOrder(v ?? 'auto')} allowDeselect={false} />
            <Group>
              <Button type="submit" loading={check.isPending}>
                Check invoice
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {check.isError && (
        <Alert color="red" title="The check did not run" role="alert">
          Could not reach the server.
        </Alert>
      )}
      {outcome?.kind === 'failed' && (
        <Alert color="red" title="The check did not run" role="alert">
          {outcome.message}
        </Alert>
      )}
      {outcome?.kind === 'unreadable' && (
        <Stack gap="md">
          <Group justify="space-between">
            <Alert color="red" title="The file could not be read" role="alert" style={{ flex: 1 }}>
              {outcome.problem.detail}. Fix the lines below in the billing system and export again.
            </Alert>
            <PrintButton />
          </Group>
          <Issues title="Errors" issues={outcome.problem.errors} />
          <Issues title="Warnings" issues={outcome.problem.warnings} />
        </Stack>
      )}
      {outcome?.kind === 'ok' && <Results result={outcome.result} />}
      {!outcome && !check.isPending && !check.isError && (
        <EmptyState title="No invoice checked yet">Choose a client and an invoice file, then check it.</EmptyState>
      )}
    </>
  );
}
