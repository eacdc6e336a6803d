import { ActionIcon, Box, Button, Center, Code, Group, Loader, Select, SimpleGrid, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconChevronDown, IconChevronRight, IconDownload, IconFilterOff } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { UserFilterSelect } from '../../components/UserPicker';
import { AdminQueryError, AdminsOnly } from './AdminsOnly';
import { formatDateTime } from './labels';

type AuditEntry = Schemas['AuditEntry'];

const PAGE_SIZE = 50;

/** Action families: the API takes a prefix ending in "." to mean every action in it. */
const ACTION_PREFIXES = [
  { value: 'auth.', label: 'Sign-in and sign-out (auth.)' },
  { value: 'user.', label: 'Users (user.)' },
  { value: 'team.', label: 'Teams (team.)' },
  { value: 'client.', label: 'Clients, teams and walls (client.)' },
  { value: 'contact.', label: 'Contacts (contact.)' },
  { value: 'matter.', label: 'Matters (matter.)' },
  { value: 'token.', label: 'API tokens (token.)' },
];

const ENTITIES = [
  { value: 'user', label: 'User' },
  { value: 'team', label: 'Team' },
  { value: 'client', label: 'Client' },
  { value: 'contact', label: 'Contact' },
  { value: 'matter', label: 'Matter' },
  { value: 'api_token', label: 'API token' },
];

/** The filters the page keeps in its address, so a filtered view can be bookmarked or linked to. */
const FILTERS = ['action', 'entity', 'actorId', 'entityId', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];

function useFilters() {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f) as string]] : []))) as Partial<Record<Filter, string>>;
  const set = (name: Filter, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) {
          next.set(name, value);
        } else {
          next.delete(name);
        }
        return next;
      },
      { replace: true },
    );
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  return { values, set, clear };
}

/** One side of a change, short enough for a line: empty reads as "(none)", lists as commas. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return '(none)';
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? '(none)' : value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  }
  if (typeof value === 'boolean') {
    return value ? 'yes' : 'no';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function EntryDetails({ entry }: { entry: AuditEntry }) {
  const changes = Object.entries(entry.changes);
  return (
    <Stack gap={6} py={4}>
      <Group gap="lg">
        <Text size="xs" c="dimmed">
          Entity ID <Code>{entry.entityId}</Code>
        </Text>
        {entry.clientId && (
          <Text size="xs" c="dimmed">
            Client ID <Code>{entry.clientId}</Code>
          </Text>
        )}
        {entry.requestId && (
          <Text size="xs" c="dimmed">
            Request ID <Code>{entry.requestId}</Code>
          </Text>
        )}
      </Group>
      {changes.length === 0 ? (
        <Text size="sm" c="dimmed">
          No field changes recorded.
        </Text>
      ) : (
        <Box component="ul" m={0} pl="md" aria-label="Changes">
          {changes.map(([field, [before, after]]) => (
            <Text component="li" size="sm" key={field} style={{ overflowWrap: 'anywhere' }}>
              <Text span fw={600}>
                {field}
              </Text>
              :{' '}
              <Text span c="dimmed" td="line-through">
                {formatValue(before)}
              </Text>{' '}
              → <Text span>{formatValue(after)}</Text>
            </Text>
          ))}
        </Box>
      )}
    </Stack>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const fields = Object.keys(entry.changes);
  const detailsId = `audit-${entry.id}`;
  return (
    <Fragment>
      <Table.Tr>
        <Table.Td w={40}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-expanded={open}
            aria-controls={open ? detailsId : undefined}
            aria-label={open ? 'Hide details' : 'Show details'}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
          </ActionIcon>
        </Table.Td>
        <Table.Td style={{ whiteSpace: 'nowrap' }}>
          <time dateTime={entry.at} title={entry.at}>
            {formatDateTime(entry.at)}
          </time>
        </Table.Td>
        <Table.Td>{entry.actorLabel}</Table.Td>
        <Table.Td>
          <Code>{entry.action}</Code>
        </Table.Td>
        <Table.Td>{entry.entity}</Table.Td>
        <Table.Td>
          <Text size="sm" ff="monospace" title={entry.entityId}>
            …{entry.entityId.slice(-8)}
          </Text>
        </Table.Td>
        <Table.Td maw={320}>
          <Text size="sm" lineClamp={1} c={fields.length ? undefined : 'dimmed'}>
            {fields.length ? fields.join(', ') : '—'}
          </Text>
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={detailsId}>
          <Table.Td />
          <Table.Td colSpan={6}>
            <EntryDetails entry={entry} />
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

/**
 * Typed by hand (or pasted), so it filters after a pause rather than on every key. The parent
 * remounts it (a new key) when the filters are cleared, which empties the text.
 */
function EntityIdFilter({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [text, setText] = useState(value);
  const apply = useDebouncedCallback((v: string) => onChange(v.trim()), 400);
  return (
    <TextInput
      label="Entity ID"
      placeholder="Any"
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        apply(e.currentTarget.value);
      }}
    />
  );
}

function AuditLog() {
  const filters = useFilters();
  const { values } = filters;
  const [clearedTimes, setClearedTimes] = useState(0);
  const hasFilters = Object.keys(values).length > 0;

  const audit = useInfiniteQuery({
    queryKey: ['audit', values],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/audit', { params: { query: { ...values, ...(pageParam ? { cursor: pageParam } : {}), limit: PAGE_SIZE } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  // openapi-fetch widens the [before, after] tuple of `changes` to unknown[]; the schema says two.
  const rows: AuditEntry[] = audit.data?.pages.flatMap((p) => p.items as AuditEntry[]) ?? [];
  const csvHref = `/api/v1/audit.csv${hasFilters ? `?${new URLSearchParams(values)}` : ''}`;
  // A link may carry an exact action (e.g. user.create); offer it alongside the families.
  const actionOptions =
    values.action && !ACTION_PREFIXES.some((a) => a.value === values.action)
      ? [...ACTION_PREFIXES, { value: values.action, label: values.action }]
      : ACTION_PREFIXES;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change and sign-in, newest first. Times are in your local time (hover for UTC); date filters are whole UTC days."
        actions={
          <Button component="a" href={csvHref} download variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
            Export CSV
          </Button>
        }
      />
      <Box role="search" aria-label="Filter the audit log" mb="md">
        <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }} spacing="sm">
          <Select
            label="Action"
            placeholder="All actions"
            data={actionOptions}
            value={values.action ?? null}
            onChange={(v) => filters.set('action', v)}
            clearable
          />
          <Select
            label="Entity"
            placeholder="All entities"
            data={ENTITIES}
            value={values.entity ?? null}
            onChange={(v) => filters.set('entity', v)}
            clearable
          />
          <UserFilterSelect label="Actor" value={values.actorId ?? null} onChange={(v) => filters.set('actorId', v)} />
          <EntityIdFilter key={clearedTimes} value={values.entityId ?? ''} onChange={(v) => filters.set('entityId', v || null)} />
          <DateInput
            label="From"
            placeholder="YYYY-MM-DD"
            valueFormat="YYYY-MM-DD"
            value={values.from ?? null}
            onChange={(v) => filters.set('from', v)}
            clearable
          />
          <DateInput label="To" placeholder="YYYY-MM-DD" valueFormat="YYYY-MM-DD" value={values.to ?? null} onChange={(v) => filters.set('to', v)} clearable />
        </SimpleGrid>
        {hasFilters && (
          <Button
            variant="subtle"
            size="xs"
            mt="xs"
            leftSection={<IconFilterOff size={14} aria-hidden />}
            onClick={() => {
              filters.clear();
              setClearedTimes((n) => n + 1);
            }}
          >
            Clear filters
          </Button>
        )}
      </Box>

      {audit.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the audit log" />
        </Center>
      ) : audit.isError ? (
        <AdminQueryError error={audit.error} onRetry={() => audit.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={hasFilters ? 'Nothing matches these filters' : 'Nothing recorded yet'}>
          {hasFilters ? 'Widen the date range or clear a filter.' : 'Sign-ins and changes will appear here as people use Hearken.'}
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <Table.ScrollContainer minWidth={980}>
            <Table verticalSpacing="xs" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>
                    <VisuallyHidden>Details</VisuallyHidden>
                  </Table.Th>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Entity</Table.Th>
                  <Table.Th>Entity ID</Table.Th>
                  <Table.Th>Changed fields</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((entry) => (
                  <AuditRow key={entry.id} entry={entry} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              Showing {rows.length} {rows.length === 1 ? 'entry' : 'entries'}
              {audit.hasNextPage ? ' so far' : ''}
            </Text>
            {audit.hasNextPage && (
              <Button variant="default" onClick={() => audit.fetchNextPage()} loading={audit.isFetchingNextPage}>
                Load more
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </>
  );
}

export function AuditPage() {
  return (
    <AdminsOnly title="Audit log" ability="readAudit">
      <AuditLog />
    </AdminsOnly>
  );
}
