import { Anchor, Box, Button, Group, MultiSelect, Select, Skeleton, Stack, Switch, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { SortableTh, type SortOrder } from '../../components/SortableTh';
import { Dash } from '../clients/parts';
import { ClientSelect } from './ClientSelect';
import { formatDuration, formatShortDate, formatTime, isSessionStatus, SESSION_FORMAT_LABELS, type SessionListItem, sessionStatusOptions } from './labels';
import { SessionStatusBadge } from './parts';
import { sessionKeys, useProgrammeOptions } from './queries';

const PAGE_SIZE = 50;

/**
 * The list's state lives in the URL (?status=&mine=1&clientId=&programmeId=&order=asc), so that
 * reload, back and a shared link all show the same list.
 */
function useListParams() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | undefined>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [key, value] of Object.entries(changes)) {
        if (value) {
          next.set(key, value);
        } else {
          next.delete(key);
        }
      }
      return next;
    });
  return {
    statuses: (params.get('status') ?? '').split(',').filter(isSessionStatus),
    mine: params.get('mine') === '1',
    clientId: params.get('clientId') || null,
    programmeId: params.get('programmeId') || null,
    // Newest first by default; undated (planned) sessions come first in that order, as they still need a date.
    order: (params.get('order') === 'asc' ? 'asc' : 'desc') as SortOrder,
    update,
  };
}

/** Every listening session the user may see, filtered and sorted by date, a page at a time. */
export function SessionsPage() {
  const { abilities } = useAuth();
  const { statuses, mine, clientId, programmeId, order, update } = useListParams();
  const programmes = useProgrammeOptions(!!abilities?.readProgrammes);
  // The client named in the URL, so the filter box shows its name after a reload.
  const filterClient = useQuery({
    queryKey: ['clients', 'detail', clientId],
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}', { params: { path: { id: clientId as string } } })),
    enabled: !!clientId,
    staleTime: 60_000,
  });

  const filters = {
    status: statuses.length > 0 ? statuses.join(',') : undefined,
    mine: mine ? ('true' as const) : undefined,
    clientId: clientId ?? undefined,
    programmeId: programmeId ?? undefined,
    order,
  };
  const filtering = statuses.length > 0 || mine || !!clientId || !!programmeId;
  const list = useInfiniteQuery({
    queryKey: [...sessionKeys.lists(), filters],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/sessions', { params: { query: { ...filters, cursor: pageParam, limit: PAGE_SIZE, total: pageParam ? undefined : 'true' } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const sessions = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;

  const clearFilters = () => update({ status: undefined, mine: undefined, clientId: undefined, programmeId: undefined });
  const planButton = abilities?.planSessions && (
    <Button component={Link} to="/sessions/new" leftSection={<IconPlus size={16} aria-hidden />}>
      Plan session
    </Button>
  );

  let content: React.ReactNode;
  if (list.isPending) {
    content = <SessionTableSkeleton />;
  } else if (list.isError && !list.data) {
    content = <QueryError error={list.error} onRetry={() => list.refetch()} />;
  } else if (sessions.length === 0 && !filtering) {
    content = (
      <EmptyState
        title="No listening sessions yet"
        action={
          abilities?.planSessions && (
            <Button component={Link} to="/sessions/new" leftSection={<IconPlus size={16} aria-hidden />}>
              Plan a session
            </Button>
          )
        }
      >
        A listening session is an interview with a client, run by someone independent of its relationship team, to hear how the firm is doing.
        {abilities?.planSessions ? ' Plan the first one.' : ' Sessions you run or attend will show here.'}
      </EmptyState>
    );
  } else if (sessions.length === 0) {
    content = (
      <EmptyState
        title="No sessions match"
        action={
          <Button variant="light" onClick={clearFilters}>
            Clear filters
          </Button>
        }
      >
        Nothing matches the filters chosen.
      </EmptyState>
    );
  } else {
    content = (
      <Stack gap="sm">
        {list.isError && <QueryError error={list.error} onRetry={() => (list.isFetchNextPageError ? list.fetchNextPage() : list.refetch())} />}
        <Table.ScrollContainer minWidth={900}>
          <Table highlightOnHover verticalSpacing="sm" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }} aria-busy={list.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <SortableTh sorted={order} onSort={() => update({ order: order === 'desc' ? 'asc' : undefined })} w={170}>
                  Date
                </SortableTh>
                <Table.Th>Client</Table.Th>
                <Table.Th>Interviewer</Table.Th>
                <Table.Th w={110}>Format</Table.Th>
                <Table.Th w={190}>Status</Table.Th>
                <Table.Th>Programme</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.map((s) => (
                <SessionRow key={s.id} session={s} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore shown={sessions.length} total={total} hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => list.fetchNextPage()} />
      </Stack>
    );
  }

  return (
    <>
      <PageHeader
        title="Listening sessions"
        description={
          total === undefined
            ? 'Interviews with clients about how the firm is doing'
            : `${total} ${total === 1 ? 'session' : 'sessions'}${filtering ? ' match' : ''}`
        }
        actions={planButton}
      />
      <Group align="flex-end" gap="md" mb="md" wrap="wrap">
        <MultiSelect
          label="Status"
          placeholder={statuses.length ? undefined : 'Any status'}
          data={sessionStatusOptions}
          value={statuses}
          onChange={(v) => update({ status: v.join(',') || undefined })}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the status filter' }}
          w={300}
        />
        <ClientSelect
          // Remounted once the name of a client named in the URL is known, so the box shows it.
          key={`${clientId ?? 'none'}-${filterClient.data ? 'named' : 'unnamed'}`}
          label="Client"
          placeholder="Any client"
          value={clientId}
          initial={clientId && filterClient.data ? { id: clientId, name: filterClient.data.name } : null}
          onChange={(c) => update({ clientId: c?.id })}
          clearable
          w={260}
        />
        {abilities?.readProgrammes && (
          <Select
            label="Programme"
            placeholder="Any programme"
            data={(programmes.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={programmeId}
            onChange={(v) => update({ programmeId: v ?? undefined })}
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the programme filter' }}
            searchable
            w={240}
          />
        )}
        <Box pb={8}>
          <Switch label="Only sessions I run or attend" checked={mine} onChange={(e) => update({ mine: e.currentTarget.checked ? '1' : undefined })} />
        </Box>
      </Group>
      <VisuallyHidden aria-live="polite">{total === undefined ? '' : `Found ${total} ${total === 1 ? 'session' : 'sessions'}`}</VisuallyHidden>
      {content}
    </>
  );
}

export function SessionRow({ session }: { session: SessionListItem }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/sessions/${session.id}`} size="sm" fw={600}>
          {session.startsAt ? formatShortDate(session.startsAt) : 'Not dated yet'}
        </Anchor>
        {session.startsAt && (
          <Text size="xs" c="dimmed">
            {formatTime(session.startsAt)} · {formatDuration(session.durationMinutes)}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/clients/${session.client.id}`} size="sm">
          {session.client.name}
        </Anchor>
        <Text size="xs" c="dimmed" lineClamp={1} maw={320}>
          {session.objective}
        </Text>
      </Table.Td>
      <Table.Td>{session.interviewer.name}</Table.Td>
      <Table.Td>{SESSION_FORMAT_LABELS[session.format]}</Table.Td>
      <Table.Td>
        <SessionStatusBadge status={session.status} />
      </Table.Td>
      <Table.Td>{session.programme?.name ?? <Dash />}</Table.Td>
    </Table.Tr>
  );
}

function SessionTableSkeleton() {
  return (
    <Stack gap="sm" aria-label="Loading sessions" role="status">
      {Array.from({ length: 6 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have nothing else to key on
        <Skeleton key={i} height={40} radius="sm" />
      ))}
    </Stack>
  );
}
