import { Anchor, Badge, Box, Button, Group, Kbd, MultiSelect, Skeleton, Stack, Switch, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedCallback, useHotkeys } from '@mantine/hooks';
import { IconPlus, IconSearch, IconStarFilled } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { useAuth } from '../../auth';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { SortableTh, type SortOrder } from '../../components/SortableTh';
import { ClientFormModal } from './ClientFormModal';
import { clientStatusOptions, formatFees, isClientStatus } from './labels';
import { ClientStatusBadge, Dash } from './parts';
import { clientKeys } from './queries';

type ClientSort = NonNullable<NonNullable<paths['/api/v1/clients']['get']['parameters']['query']>['sort']>;

const SORTS: readonly ClientSort[] = ['name', 'status', 'annualFees', 'updatedAt', 'createdAt'];
const PAGE_SIZE = 50;
/** Columns whose natural first click is "largest first". */
const DESCENDING_FIRST: readonly ClientSort[] = ['annualFees', 'updatedAt', 'createdAt'];

/**
 * The list's state lives in the URL (?q=&status=&key=1&mine=1&sort=&order=), so that reload,
 * back and a shared link all show the same list.
 */
function useListParams() {
  const [params, setParams] = useSearchParams();
  const sortParam = params.get('sort') ?? '';
  const sort: ClientSort = (SORTS as readonly string[]).includes(sortParam) ? (sortParam as ClientSort) : 'name';
  const order: SortOrder = params.get('order') === 'desc' ? 'desc' : 'asc';
  const update = (changes: Record<string, string | undefined>, options: { replace?: boolean } = {}) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(changes)) {
          if (value) {
            next.set(key, value);
          } else {
            next.delete(key);
          }
        }
        return next;
      },
      { replace: options.replace ?? false },
    );
  return {
    q: params.get('q') ?? '',
    statuses: (params.get('status') ?? '').split(',').filter(isClientStatus),
    keyOnly: params.get('key') === '1',
    mine: params.get('mine') === '1',
    sort,
    order,
    update,
  };
}

export function ClientsPage() {
  const { user, abilities } = useAuth();
  const { q, statuses, keyOnly, mine, sort, order, update } = useListParams();
  const [formOpened, setFormOpened] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => !formOpened && searchRef.current?.focus()]]);

  // The box shows what is typed at once; the URL (and so the query) follows a moment later.
  const [search, setSearch] = useState(q);
  const lastWritten = useRef(q);
  const writeSearch = useDebouncedCallback((value: string) => {
    lastWritten.current = value.trim();
    update({ q: value.trim() || undefined }, { replace: true });
  }, 300);
  useEffect(() => {
    // The URL changed under us (back, forward, a link): show its search in the box.
    if (q !== lastWritten.current) {
      lastWritten.current = q;
      setSearch(q);
    }
  }, [q]);

  const filters = {
    q: q || undefined,
    status: statuses.length > 0 ? statuses.join(',') : undefined,
    keyClient: keyOnly ? ('true' as const) : undefined,
    memberId: mine ? user?.id : undefined,
    sort,
    order,
  };
  const filtering = !!(q || statuses.length > 0 || keyOnly || mine);
  const list = useInfiniteQuery({
    queryKey: [...clientKeys.lists(), filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/clients', {
          params: { query: { ...filters, cursor: pageParam, limit: PAGE_SIZE, total: pageParam ? undefined : 'true' } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const clients = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;

  const sortBy = (column: ClientSort) => {
    const nextOrder: SortOrder = column === sort ? (order === 'asc' ? 'desc' : 'asc') : DESCENDING_FIRST.includes(column) ? 'desc' : 'asc';
    update({ sort: column === 'name' && nextOrder === 'asc' ? undefined : column, order: nextOrder === 'asc' ? undefined : nextOrder });
  };
  const sortedBy = (column: ClientSort) => (sort === column ? order : undefined);
  const clearFilters = () => {
    writeSearch.cancel();
    setSearch('');
    lastWritten.current = '';
    update({ q: undefined, status: undefined, key: undefined, mine: undefined });
  };
  const newClientButton = abilities?.createClients && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setFormOpened(true)}>
      New client
    </Button>
  );

  let content: React.ReactNode;
  if (list.isPending) {
    content = <ClientTableSkeleton />;
  } else if (list.isError && !list.data) {
    content = <QueryError error={list.error} onRetry={() => list.refetch()} />;
  } else if (clients.length === 0 && !filtering) {
    content = (
      <EmptyState title="No clients yet" action={newClientButton}>
        Clients are the companies and people the firm listens to. Add the first one to record its contacts, matters and relationship team.
      </EmptyState>
    );
  } else if (clients.length === 0) {
    content = (
      <EmptyState
        title="No clients match"
        action={
          <Button variant="light" onClick={clearFilters}>
            Clear search and filters
          </Button>
        }
      >
        {q ? `Nothing matches “${q}”` : 'Nothing matches'} with the filters chosen.
      </EmptyState>
    );
  } else {
    content = (
      <Stack gap="sm">
        {/* E.g. "Load more" failed: the rows already loaded stay, with the error above them. */}
        {list.isError && <QueryError error={list.error} onRetry={() => (list.isFetchNextPageError ? list.fetchNextPage() : list.refetch())} />}
        <Table.ScrollContainer minWidth={860}>
          <Table highlightOnHover verticalSpacing="sm" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }} aria-busy={list.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <SortableTh sorted={sortedBy('name')} onSort={() => sortBy('name')}>
                  Name
                </SortableTh>
                <SortableTh sorted={sortedBy('status')} onSort={() => sortBy('status')} w={130}>
                  Status
                </SortableTh>
                <Table.Th>Industry</Table.Th>
                <Table.Th>Relationship partners</Table.Th>
                <SortableTh sorted={sortedBy('annualFees')} onSort={() => sortBy('annualFees')} align="right" w={150}>
                  Annual fees
                </SortableTh>
                <Table.Th w={110}>Key client</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {clients.map((c) => (
                <ClientRow key={c.id} client={c} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore shown={clients.length} total={total} hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onLoadMore={() => list.fetchNextPage()} />
      </Stack>
    );
  }

  return (
    <>
      <PageHeader
        title="Clients"
        description={total === undefined ? 'The firm’s clients and prospects' : `${total} ${total === 1 ? 'client' : 'clients'}${filtering ? ' match' : ''}`}
        actions={newClientButton}
      />
      <Group align="flex-end" gap="md" mb="md" wrap="wrap">
        <TextInput
          ref={searchRef}
          label="Search"
          placeholder="Client name"
          type="search"
          w={280}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            writeSearch(e.currentTarget.value);
          }}
          leftSection={<IconSearch size={16} aria-hidden />}
          rightSection={
            search ? undefined : (
              <Kbd size="xs" aria-hidden>
                /
              </Kbd>
            )
          }
          aria-keyshortcuts="/"
        />
        <MultiSelect
          label="Status"
          placeholder={statuses.length ? undefined : 'Any status'}
          data={clientStatusOptions}
          value={statuses}
          onChange={(v) => update({ status: v.join(',') || undefined })}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the status filter' }}
          w={300}
        />
        <Box pb={8}>
          <Switch label="Key clients only" checked={keyOnly} onChange={(e) => update({ key: e.currentTarget.checked ? '1' : undefined })} />
        </Box>
        <Box pb={8}>
          <Switch label="My clients" checked={mine} onChange={(e) => update({ mine: e.currentTarget.checked ? '1' : undefined })} />
        </Box>
      </Group>
      {/* Says how many matched after each search or filter, for those who cannot see the list change. */}
      <VisuallyHidden aria-live="polite">{total === undefined ? '' : `Found ${total} ${total === 1 ? 'client' : 'clients'}`}</VisuallyHidden>
      {content}
      <ClientFormModal opened={formOpened} onClose={() => setFormOpened(false)} />
    </>
  );
}

function ClientRow({ client }: { client: Schemas['Client'] }) {
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/clients/${client.id}`} size="sm" fw={600}>
          {client.name}
        </Anchor>
        {client.walled && (
          <Badge ml="xs" size="xs" variant="outline" color="gray">
            Walled
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <ClientStatusBadge status={client.status} />
      </Table.Td>
      <Table.Td>{client.industry ?? <Dash />}</Table.Td>
      <Table.Td>{client.relationshipPartners.length ? client.relationshipPartners.map((p) => p.name).join(', ') : <Dash />}</Table.Td>
      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {client.annualFees === null ? <Dash /> : formatFees(client.annualFees)}
      </Table.Td>
      <Table.Td>
        {client.isKeyClient ? (
          <Group gap={4} wrap="nowrap">
            <IconStarFilled size={14} color="var(--mantine-color-yellow-7)" aria-hidden />
            <Text size="sm">Yes</Text>
          </Group>
        ) : (
          <Dash />
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function ClientTableSkeleton() {
  return (
    <Stack gap="sm" aria-label="Loading clients" role="status">
      {Array.from({ length: 6 }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have nothing else to key on
        <Skeleton key={i} height={36} radius="sm" />
      ))}
    </Stack>
  );
}
