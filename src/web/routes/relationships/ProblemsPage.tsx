import { Anchor, Badge, Button, Group, Loader, SegmentedControl, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../actions/labels';
import { ProblemDrawer } from './ProblemsDrawer';
import { ProblemFormModal } from './ProblemsFormModal';
import { PROBLEM_STATUS_COLORS, PROBLEM_STATUS_LABELS, problemKeys } from './ProblemsLabels';

type Scope = 'all' | 'mine';

/** /problems: what went wrong for clients, open ones first, with who owns each and how long it has taken. */
export function ProblemsPage() {
  const [params, setParams] = useSearchParams();
  const scope: Scope = params.get('scope') === 'mine' ? 'mine' : 'all';
  const openId = params.get('problem');
  const [reporting, setReporting] = useState(false);
  const setOpenId = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) {
      next.set('problem', id);
    } else {
      next.delete('problem');
    }
    setParams(next);
  };
  const list = useInfiniteQuery({
    queryKey: [...problemKeys.all, 'list', scope],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/problems', {
          params: { query: { limit: 50, cursor: pageParam, mine: scope === 'mine' ? 'true' : undefined, total: pageParam ? undefined : 'true' } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <PageHeader
        title="Problems"
        description="What went wrong for a client, who owns putting it right, and how long it took"
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setReporting(true)}>
            Report a problem
          </Button>
        }
      />
      <SegmentedControl
        w="fit-content"
        aria-label="Which problems"
        value={scope}
        onChange={(v) => {
          const next = new URLSearchParams(params);
          next.set('scope', v);
          setParams(next);
        }}
        data={[
          { value: 'all', label: 'All I can see' },
          { value: 'mine', label: 'Mine' },
        ]}
      />
      {list.isLoading ? (
        <Group role="status" aria-label="Loading problems">
          <Loader size="sm" />
        </Group>
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={scope === 'mine' ? 'You own no problems' : 'No problems recorded'}>
          Problems reported on the clients you can see appear here, newest reported first.
        </EmptyState>
      ) : (
        <Stack>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Problem</Table.Th>
                  <Table.Th>Client</Table.Th>
                  <Table.Th>Reported</Table.Th>
                  <Table.Th>Owner</Table.Th>
                  <Table.Th>Days</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Badge variant="dot" color={PROBLEM_STATUS_COLORS[p.status]}>
                        {PROBLEM_STATUS_LABELS[p.status]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <UnstyledButton onClick={() => setOpenId(p.id)} aria-label={`Open the problem: ${p.title}`}>
                        <Text size="sm" fw={500} c="blue.9" td="underline">
                          {p.title}
                        </Text>
                      </UnstyledButton>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/clients/${p.client.id}`} size="sm">
                        {p.client.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(p.reportedOn)}</Table.Td>
                    <Table.Td>{p.owner?.name ?? '—'}</Table.Td>
                    <Table.Td title={p.daysToResolution !== null ? 'Days to resolution' : 'Days open so far'}>{p.daysToResolution ?? p.daysOpen}</Table.Td>
                    <Table.Td>{p.actions.length}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore
            shown={items.length}
            total={list.data?.pages[0]?.total}
            hasMore={list.hasNextPage}
            loading={list.isFetchingNextPage}
            onLoadMore={() => list.fetchNextPage()}
          />
        </Stack>
      )}
      <ProblemFormModal opened={reporting} onClose={() => setReporting(false)} onCreated={setOpenId} />
      <ProblemDrawer problemId={openId} onClose={() => setOpenId(null)} />
    </Stack>
  );
}
