import { ActionIcon, Anchor, Button, Group, Loader, Menu, Stack, Table, Tabs, Text, VisuallyHidden } from '@mantine/core';
import { IconDots, IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../clients/labels';
import { answered, type CheckIn, CheckInActionModal, CheckInInsightModal } from './CheckInFollowUps';
import { CHANNEL_LABELS, CheckInFormModal, type CheckInSeed, checkInKeys } from './CheckInFormModal';
import { LosingTouchList } from './LosingTouchPage';
import { RecoveryChecksDue, useRecoveryFromLink } from './RecoveryChecks';

/** /check-ins: who we are losing touch with, and the check-ins logged lately. */
export function CheckInsPage() {
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'recent' ? 'recent' : 'due';
  const all = params.get('all') === 'true';
  const [seed, setSeed] = useState<CheckInSeed | null>(null);
  const mayWiden = user?.role === 'programme_lead' || user?.role === 'management';
  useRecoveryFromLink(params.get('recovery'), setSeed);

  return (
    <Stack>
      <PageHeader
        title="Check-ins"
        description="Regular conversations with clients: who is due one, and what they said"
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setSeed({})}>
            Log check-in
          </Button>
        }
      />
      <Tabs value={tab} onChange={(v) => setParams({ tab: v ?? 'due' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="due">Losing touch</Tabs.Tab>
          <Tabs.Tab value="recent">Recent check-ins</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="due" pt="md">
          <Stack gap="xl">
            <LosingTouchList all={all} mayWiden={mayWiden} onAllChange={(v) => setParams(v ? { tab: 'due', all: 'true' } : { tab: 'due' })} onLog={setSeed} />
            <RecoveryChecksDue onAsk={setSeed} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="recent" pt="md">
          <RecentCheckIns />
        </Tabs.Panel>
      </Tabs>
      <CheckInFormModal seed={seed} onClose={() => setSeed(null)} />
    </Stack>
  );
}

function RecentCheckIns() {
  const [forInsight, setForInsight] = useState<CheckIn | null>(null);
  const [forAction, setForAction] = useState<CheckIn | null>(null);
  const list = useInfiniteQuery({
    queryKey: [...checkInKeys.all, 'list'],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/check-ins', { params: { query: { cursor: pageParam, limit: 50, total: pageParam ? undefined : 'true' } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  if (list.isLoading) {
    return (
      <Group role="status" aria-label="Loading check-ins">
        <Loader size="sm" />
      </Group>
    );
  }
  if (list.isError) {
    return <QueryError error={list.error} onRetry={() => list.refetch()} />;
  }
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (items.length === 0) {
    return <EmptyState title="No check-ins yet">Check-ins logged on the clients you can see appear here, newest first.</EmptyState>;
  }
  return (
    <Stack>
      <Table.ScrollContainer minWidth={800}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Held on</Table.Th>
              <Table.Th>Client</Table.Th>
              <Table.Th>With</Table.Th>
              <Table.Th>How</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th>What they like</Table.Th>
              <Table.Th>One thing better</Table.Th>
              <Table.Th>
                <VisuallyHidden>Follow up</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(c.heldOn)}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/clients/${c.client.id}`}>
                    {c.client.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{c.contact?.name ?? '—'}</Table.Td>
                <Table.Td>{CHANNEL_LABELS[c.channel]}</Table.Td>
                <Table.Td>{c.heldBy?.name ?? '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={3}>
                    {c.likes ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={3}>
                    {c.oneThingBetter ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={`Follow up the check-in with ${c.contact?.name ?? c.client.name} on ${formatDate(c.heldOn)}`}
                      >
                        <IconDots size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item disabled={answered(c).length === 0} onClick={() => setForInsight(c)}>
                        Make an insight from an answer
                      </Menu.Item>
                      <Menu.Item onClick={() => setForAction(c)}>Open a follow-up action</Menu.Item>
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
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
      <CheckInInsightModal checkIn={forInsight} onClose={() => setForInsight(null)} />
      <CheckInActionModal checkIn={forAction} onClose={() => setForAction(null)} />
    </Stack>
  );
}
