import { Anchor, Badge, Button, Group, MultiSelect, Skeleton, Stack, Table, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { SortableTh, type SortOrder } from '../../components/SortableTh';
import { formatDate } from '../clients/labels';
import { Dash } from '../clients/parts';
import { formatShare, isProgrammeStatus, type Programme, programmeStatusOptions } from './labels';
import { ProgrammeFormModal } from './ProgrammeFormModal';
import { ProgrammeStatusBadge } from './parts';
import { programmeKeys } from './queries';

type ProgrammeSort = 'startsOn' | 'name';
const PAGE_SIZE = 50;

/** The list's state lives in the URL (?status=&sort=&order=), so reload and shared links show the same list. */
function useListParams() {
  const [params, setParams] = useSearchParams();
  const sort: ProgrammeSort = params.get('sort') === 'name' ? 'name' : 'startsOn';
  const natural: SortOrder = sort === 'name' ? 'asc' : 'desc';
  const asked = params.get('order');
  const order: SortOrder = asked === 'asc' || asked === 'desc' ? asked : natural;
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
  return { statuses: (params.get('status') ?? '').split(',').filter(isProgrammeStatus), sort, order, update };
}

/** Listening programmes: each year's (or cycle's) programme with its period, owner and targets. */
export function ProgrammesPage() {
  const { abilities } = useAuth();
  const { statuses, sort, order, update } = useListParams();
  const [creating, setCreating] = useState(false);
  const filters = { status: statuses.length ? statuses.join(',') : undefined, sort, order };
  const list = useInfiniteQuery({
    queryKey: [...programmeKeys.lists(), filters],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/programmes', { params: { query: { ...filters, cursor: pageParam, limit: PAGE_SIZE, total: pageParam ? undefined : 'true' } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const programmes = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;

  const sortBy = (column: ProgrammeSort) => {
    const natural: SortOrder = column === 'name' ? 'asc' : 'desc';
    const nextOrder: SortOrder = column === sort ? (order === 'asc' ? 'desc' : 'asc') : natural;
    update({ sort: column === 'startsOn' ? undefined : column, order: nextOrder === natural ? undefined : nextOrder });
  };
  const sortedBy = (column: ProgrammeSort) => (sort === column ? order : undefined);
  const newButton = abilities?.manageProgrammes && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      New programme
    </Button>
  );

  let content: React.ReactNode;
  if (list.isPending) {
    content = (
      <Stack gap="sm" aria-label="Loading programmes" role="status">
        {Array.from({ length: 4 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have nothing else to key on
          <Skeleton key={i} height={36} radius="sm" />
        ))}
      </Stack>
    );
  } else if (list.isError && !list.data) {
    content = <QueryError error={list.error} onRetry={() => list.refetch()} />;
  } else if (programmes.length === 0) {
    content =
      statuses.length > 0 ? (
        <EmptyState
          title="No programmes match"
          action={
            <Button variant="light" onClick={() => update({ status: undefined })}>
              Clear the filter
            </Button>
          }
        >
          No programme has the status chosen.
        </EmptyState>
      ) : (
        <EmptyState title="No listening programmes yet" action={newButton}>
          A programme is a cycle of client listening — usually a year — with targets for how many sessions to hold, how many key clients to hear from and how
          many unhappy or lost clients to include.
        </EmptyState>
      );
  } else {
    content = (
      <Stack gap="sm">
        {list.isError && <QueryError error={list.error} onRetry={() => (list.isFetchNextPageError ? list.fetchNextPage() : list.refetch())} />}
        <Table.ScrollContainer minWidth={820}>
          <Table highlightOnHover verticalSpacing="sm" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }} aria-busy={list.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <SortableTh sorted={sortedBy('name')} onSort={() => sortBy('name')}>
                  Name
                </SortableTh>
                <SortableTh sorted={sortedBy('startsOn')} onSort={() => sortBy('startsOn')} w={230}>
                  Period
                </SortableTh>
                <Table.Th w={110}>Status</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Targets</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {programmes.map((p) => (
                <ProgrammeRow key={p.id} programme={p} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore
          shown={programmes.length}
          total={total}
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          onLoadMore={() => list.fetchNextPage()}
        />
      </Stack>
    );
  }

  return (
    <>
      <PageHeader title="Listening programmes" description="Cycles of client listening, with targets and live progress" actions={newButton} />
      <Group mb="md">
        <MultiSelect
          label="Status"
          placeholder={statuses.length ? undefined : 'Any status'}
          data={programmeStatusOptions}
          value={statuses}
          onChange={(v) => update({ status: v.join(',') || undefined })}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the status filter' }}
          w={300}
        />
      </Group>
      <VisuallyHidden aria-live="polite">{total === undefined ? '' : `Found ${plural(total)}`}</VisuallyHidden>
      {content}
      <ProgrammeFormModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function plural(n: number) {
  return `${n} ${n === 1 ? 'programme' : 'programmes'}`;
}

function ProgrammeRow({ programme: p }: { programme: Programme }) {
  const targets = [
    p.targetSessions !== null && `${p.targetSessions} sessions`,
    p.targetKeyClientShare !== null && `${formatShare(p.targetKeyClientShare)} of key clients`,
    p.targetAtRiskShare !== null && `at least ${formatShare(p.targetAtRiskShare)} at risk`,
  ].filter(Boolean);
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/programmes/${p.id}`} size="sm" fw={600}>
          {p.name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        {formatDate(p.startsOn)} – {formatDate(p.endsOn)}
      </Table.Td>
      <Table.Td>
        <ProgrammeStatusBadge status={p.status} />
      </Table.Td>
      <Table.Td>{p.owner.name}</Table.Td>
      <Table.Td>
        {targets.length ? (
          <Group gap={4}>
            {targets.map((t) => (
              <Badge key={String(t)} variant="light" color="gray" tt="none">
                {t}
              </Badge>
            ))}
          </Group>
        ) : (
          <Dash />
        )}
      </Table.Td>
    </Table.Tr>
  );
}
