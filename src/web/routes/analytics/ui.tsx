import { Anchor, Button, Drawer, Group, Loader, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileSpreadsheet, IconFileTypePdf, IconPrinter } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { QueryError } from '../../components/QueryError';
import { type CsvCell, downloadCsv } from './csv';
import type { AnalyticsFilters } from './filters';
import './print.css';

// ---------------------------------------------------------------- formatting

export function pct(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`;
}
export function num(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}
export function days(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(1)} d`;
}

// ---------------------------------------------------------------- drill-down

/** What a drawer lists: the records behind a figure. */
export type DrillSpec =
  | { title: string; kind: 'nps'; query: AnalyticsFilters & { groupBy?: string; group?: string } }
  | {
      title: string;
      kind: 'bias';
      query: AnalyticsFilters & { programmeId?: string; breakdown?: string; key?: string; heard?: 'true' | 'false'; atRisk?: 'true' | 'false' };
    }
  | { title: string; kind: 'records'; record: RecordKind; ids: string[] }
  | FigureRecordsSpec;

type RecordsQuery = paths['/api/v1/analytics/records']['get']['parameters']['query'];

/**
 * The records behind a participation, loop or retention figure, listed a page at a time by
 * GET /analytics/records: the source and metric name the figure, group its row (absent for
 * the totals), query the page's filters (programmeId, groupBy, year …).
 */
export interface FigureRecordsSpec {
  title: string;
  kind: 'records';
  source: RecordsQuery['source'];
  metric: string;
  group?: string;
  query: Omit<RecordsQuery, 'source' | 'metric' | 'group' | 'limit' | 'cursor'>;
}

export type RecordKind = 'client' | 'action' | 'insight' | 'problem' | 'referral' | 'nomination' | 'session';

/** A figure that opens the records behind it; a plain number when there is nothing behind it. */
export function DrillNumber({ value, label, onOpen }: { value: number | null | undefined; label: string; onOpen: () => void }) {
  if (value === null || value === undefined || value === 0) {
    return <>{value ?? '—'}</>;
  }
  return (
    <Anchor component="button" type="button" onClick={onOpen} aria-label={`${value} ${label}: show the records`} fw={600}>
      {value}
    </Anchor>
  );
}

type Loose = Record<string, unknown>;
const ref = (v: unknown): { id: string; name: string } | null => {
  const o = v as Loose | null | undefined;
  return o && typeof o.id === 'string' ? { id: o.id, name: String(o.name ?? '') } : null;
};

/** One record in a drill-down list, fetched by id and linked to the page it lives on. */
function RecordRow({ record, id }: { record: RecordKind; id: string }) {
  const q = useQuery({
    queryKey: ['analytics', 'record', record, id],
    staleTime: 60_000,
    queryFn: async (): Promise<Loose> => {
      const path = { params: { path: { id } } };
      switch (record) {
        case 'client':
          return unwrap(api.GET('/api/v1/clients/{id}', path)) as Promise<Loose>;
        case 'action':
          return unwrap(api.GET('/api/v1/actions/{id}', path)) as Promise<Loose>;
        case 'insight':
          return unwrap(api.GET('/api/v1/insights/{id}', path)) as Promise<Loose>;
        case 'problem':
          return unwrap(api.GET('/api/v1/problems/{id}', path)) as Promise<Loose>;
        case 'referral':
          return unwrap(api.GET('/api/v1/referrals/{id}', path)) as Promise<Loose>;
        case 'nomination':
          return unwrap(api.GET('/api/v1/nominations/{id}', path)) as Promise<Loose>;
        case 'session':
          return unwrap(api.GET('/api/v1/sessions/{id}', path)) as Promise<Loose>;
      }
    },
  });
  if (q.isLoading) {
    return (
      <Table.Tr>
        <Table.Td colSpan={2}>
          <Loader size="xs" aria-label="Loading" />
        </Table.Td>
      </Table.Tr>
    );
  }
  if (q.isError || !q.data) {
    return (
      <Table.Tr>
        <Table.Td colSpan={2}>
          <Text size="sm">This record is no longer available to you.</Text>
        </Table.Td>
      </Table.Tr>
    );
  }
  const d = q.data;
  const client = record === 'client' ? ref(d) : (ref(d.client) ?? ref(d.referrer));
  let title = client?.name ?? '';
  let detail = '';
  let href = client ? `/clients/${client.id}` : '';
  if (record === 'client') {
    detail = String(d.status ?? '');
  } else if (record === 'action') {
    title = String(d.title ?? '');
    detail = `${client?.name ?? ''} · ${String(d.status ?? '').replace('_', ' ')}`;
  } else if (record === 'insight') {
    title = String(d.summary ?? '');
    detail = `${client?.name ?? ''} · ${String(d.type ?? '')}, ${String(d.severity ?? '')}`;
    href = client ? `/clients/${client.id}/knowledge` : '';
  } else if (record === 'problem') {
    title = String(d.title ?? d.summary ?? 'Problem');
    detail = `${client?.name ?? ''} · ${String(d.status ?? '')}`;
    href = '/problems';
  } else if (record === 'referral') {
    title = `${client?.name ?? ''} → ${ref(d.prospectClient)?.name ?? String(d.prospectName ?? '')}`;
    detail = String(d.outcome ?? '').replace('_', ' ');
    href = client ? `/clients/${client.id}/referrals` : '';
  } else if (record === 'session') {
    const scores = (d.scores ?? {}) as Loose;
    const held = typeof d.completedAt === 'string' ? `Held ${d.completedAt.slice(0, 10)}` : String(d.status ?? '').replace('_', ' ');
    title = `${client?.name ?? ''}: ${String(d.objective ?? 'Listening session')}`;
    detail = `${held} · NPS ${num(scores.nps as number | null)}, satisfaction ${num(scores.satisfaction as number | null)}`;
    href = `/sessions/${id}`;
  } else if (record === 'nomination') {
    detail = `${ref(d.partner)?.name ?? ''} · ${String(d.status ?? '')} (${String(d.origin ?? '')})`;
    const programme = ref(d.programme);
    href = programme ? `/programmes/${programme.id}` : href;
  }
  return (
    <Table.Tr>
      <Table.Td>
        {href ? (
          <Anchor component={Link} to={href}>
            {title || id}
          </Anchor>
        ) : (
          title || id
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{detail}</Text>
      </Table.Td>
    </Table.Tr>
  );
}

const PAGE = 25;

function RecordList({ record, ids }: { record: RecordKind; ids: string[] }) {
  const [shown, setShown] = useState(PAGE);
  if (ids.length === 0) {
    return <EmptyState title="No records">Nothing behind this figure.</EmptyState>;
  }
  return (
    <Stack gap="xs">
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Record</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ids.slice(0, shown).map((id) => (
            <RecordRow key={id} record={record} id={id} />
          ))}
        </Table.Tbody>
      </Table>
      <LoadMore shown={Math.min(shown, ids.length)} total={ids.length} hasMore={shown < ids.length} loading={false} onLoadMore={() => setShown(shown + PAGE)} />
    </Stack>
  );
}

/** The records behind a figure, a page at a time, with how many there are in all. */
function FigureRecordList({ spec }: { spec: FigureRecordsSpec }) {
  const { source, metric, group, query } = spec;
  const list = useInfiniteQuery({
    queryKey: ['analytics', 'records', source, metric, group ?? null, query],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/analytics/records', {
          params: { query: { ...query, source, metric, ...(group ? { group } : {}), limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Loaded query={list} empty={items.length === 0} emptyTitle="No records" emptyText="Nothing behind this figure.">
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Record</Table.Th>
            <Table.Th>Client</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Anchor component={Link} to={r.href}>
                  {r.title || r.id}
                </Anchor>
              </Table.Td>
              <Table.Td>{r.kind === 'client' ? '' : (r.client?.name ?? '')}</Table.Td>
              <Table.Td>
                <Text size="sm">{r.detail}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <LoadMore
        shown={items.length}
        total={list.data?.pages[0]?.total}
        hasMore={!!list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoadMore={() => list.fetchNextPage()}
      />
    </Loaded>
  );
}

function NpsSessionList({ query }: { query: Extract<DrillSpec, { kind: 'nps' }>['query'] }) {
  const list = useInfiniteQuery({
    queryKey: ['analytics', 'nps', 'sessions', query],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/analytics/nps/sessions', {
          params: { query: { ...query, groupBy: query.groupBy as never, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Loaded query={list} empty={items.length === 0} emptyTitle={list.data?.pages[0]?.suppressed ? 'Too few to show' : 'No sessions'}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Client</Table.Th>
            <Table.Th>Session</Table.Th>
            <Table.Th>Quarter</Table.Th>
            <Table.Th>NPS answer</Table.Th>
            <Table.Th>Satisfaction</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>
                <Anchor component={Link} to={`/clients/${s.client.id}`}>
                  {s.client.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Anchor component={Link} to={`/sessions/${s.id}`}>
                  Held {s.completedAt.slice(0, 10)}
                </Anchor>
              </Table.Td>
              <Table.Td>{s.quarter}</Table.Td>
              <Table.Td>{num(s.nps)}</Table.Td>
              <Table.Td>{num(s.satisfaction)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <LoadMore shown={items.length} total={undefined} hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => list.fetchNextPage()} />
    </Loaded>
  );
}

const SATISFACTION_LABELS: Record<string, string> = { promoter: 'Promoter', passive: 'Passive', detractor: 'Detractor', unknown: 'Not known' };

function BiasClientList({ query }: { query: Extract<DrillSpec, { kind: 'bias' }>['query'] }) {
  const list = useInfiniteQuery({
    queryKey: ['analytics', 'bias', 'clients', query],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/analytics/bias/clients', {
          params: { query: { ...query, breakdown: query.breakdown as never, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Loaded query={list} empty={items.length === 0} emptyTitle="No clients">
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Client</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Latest NPS</Table.Th>
            <Table.Th>Heard</Table.Th>
            <Table.Th>At risk</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Anchor component={Link} to={`/clients/${c.id}`}>
                  {c.name}
                </Anchor>
              </Table.Td>
              <Table.Td>{c.status.replace('_', ' ')}</Table.Td>
              <Table.Td>
                {num(c.latestNps)} ({SATISFACTION_LABELS[c.satisfaction]})
              </Table.Td>
              <Table.Td>{c.heard ? 'Yes' : 'No'}</Table.Td>
              <Table.Td>{c.atRisk ? 'Yes' : 'No'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <LoadMore shown={items.length} total={undefined} hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => list.fetchNextPage()} />
    </Loaded>
  );
}

/** The drawer listing the records behind a figure. */
export function DrillDrawer({ spec, onClose }: { spec: DrillSpec | null; onClose: () => void }) {
  return (
    <Drawer opened={spec !== null} onClose={onClose} position="right" size="xl" title={spec?.title ?? ''} closeButtonProps={{ 'aria-label': 'Close' }}>
      {spec?.kind === 'nps' && <NpsSessionList query={spec.query} />}
      {spec?.kind === 'bias' && <BiasClientList query={spec.query} />}
      {spec?.kind === 'records' && ('ids' in spec ? <RecordList record={spec.record} ids={spec.ids} /> : <FigureRecordList spec={spec} />)}
    </Drawer>
  );
}

// ---------------------------------------------------------------- states and tables

/** Loading, failed, empty or loaded: the same four states on every dashboard. */
export function Loaded({
  query,
  empty,
  emptyTitle,
  emptyText,
  children,
}: {
  query: { isLoading: boolean; isError: boolean; error: unknown; refetch: () => unknown };
  empty: boolean;
  emptyTitle: string;
  emptyText?: ReactNode;
  children: ReactNode;
}) {
  if (query.isLoading) {
    return (
      <Group role="status" aria-label="Loading">
        <Loader size="sm" />
      </Group>
    );
  }
  if (query.isError) {
    return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  }
  if (empty) {
    return <EmptyState title={emptyTitle}>{emptyText}</EmptyState>;
  }
  return <>{children}</>;
}

export interface Column<T> {
  label: string;
  /** The value exported to CSV. */
  csv: (row: T) => CsvCell;
  /** What the cell shows (defaults to the CSV value). */
  render?: (row: T) => ReactNode;
  numeric?: boolean;
  /** A share (0–1): the Excel export writes it as a number formatted as a percentage (the CSV keeps its text). */
  share?: (row: T) => number | null | undefined;
}

/** Writes the table as .xlsx; exceljs is loaded on the first click, so the dashboards' bundle stays small. */
async function exportXlsx<T>(fileName: string, title: string, columns: Column<T>[], rows: T[]) {
  const { downloadXlsx } = await import('./xlsx');
  await downloadXlsx(
    fileName,
    title,
    columns.map((c) => ({ label: c.label, ...(c.share ? { format: 'percent' as const } : {}) })),
    rows.map((r) => columns.map((c) => (c.share ? c.share(r) : c.csv(r)))),
  );
}

/** A titled table of figures with its own CSV export. */
export function FigureTable<T>({
  title,
  description,
  columns,
  rows,
  rowKey,
  fileName,
  empty = 'Nothing to show under these filters.',
}: {
  title: string;
  description?: ReactNode;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string;
  fileName: string;
  empty?: string;
}) {
  return (
    <Paper withBorder p="md" className="hearken-print-block" component="section" aria-label={title}>
      <Group justify="space-between" align="flex-start" mb="xs">
        <Stack gap={2}>
          <Title order={3} size="h4">
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </Stack>
        <Group gap="xs" className="hearken-no-print">
          <Button
            variant="default"
            size="xs"
            className="hearken-no-print"
            leftSection={<IconDownload size={14} aria-hidden />}
            disabled={rows.length === 0}
            onClick={() => downloadCsv(fileName, [columns.map((c) => c.label), ...rows.map((r) => columns.map((c) => c.csv(r)))])}
            aria-label={`Export ${title} as CSV`}
          >
            CSV
          </Button>
          <Button
            variant="default"
            size="xs"
            className="hearken-no-print"
            leftSection={<IconFileSpreadsheet size={14} aria-hidden />}
            disabled={rows.length === 0}
            onClick={() =>
              exportXlsx(fileName, title, columns, rows).catch(() =>
                notifications.show({ color: 'red', title: 'Excel export failed', message: 'The spreadsheet could not be made. Try again, or use CSV.' }),
              )
            }
            aria-label={`Export ${title} as Excel`}
          >
            Excel
          </Button>
        </Group>
      </Group>
      {rows.length === 0 ? (
        <Text size="sm">{empty}</Text>
      ) : (
        <ScrollArea type="auto">
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c.label} ta={c.numeric ? 'right' : undefined}>
                    {c.label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r, i) => (
                <Table.Tr key={rowKey(r, i)}>
                  {columns.map((c) => (
                    <Table.Td key={c.label} ta={c.numeric ? 'right' : undefined}>
                      {c.render ? c.render(r) : String(c.csv(r) ?? '—')}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Paper>
  );
}

/** One headline figure. */
export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <Paper withBorder p="md" miw={150} className="hearken-print-block">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} component="div">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/**
 * Downloads the PDF management report (every dashboard's figures in one document) under the
 * page's current filters; a plain link, so the browser downloads it with the session cookie.
 */
export function ReportPdfButton({ filters, programmeId }: { filters: AnalyticsFilters; programmeId?: string | null | undefined }) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value) {
      query.set(key, value);
    }
  }
  if (programmeId) {
    query.set('programmeId', programmeId);
  }
  const search = query.toString();
  return (
    <Button
      component="a"
      href={`/api/v1/analytics/report.pdf${search ? `?${search}` : ''}`}
      download
      variant="default"
      className="hearken-no-print"
      leftSection={<IconFileTypePdf size={16} aria-hidden />}
    >
      PDF report
    </Button>
  );
}

export function PrintButton() {
  return (
    <Button variant="default" className="hearken-no-print" leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
      Print
    </Button>
  );
}

/** Alert titles in the text colour: the tinted default fails AA contrast on the tinted background. */
export const READABLE_TITLE = { title: { color: 'var(--mantine-color-text)' } };
