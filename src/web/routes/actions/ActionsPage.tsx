import { Anchor, Badge, Button, Group, Loader, SegmentedControl, Stack, Table, Tabs, Text, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../../auth';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { ActionDrawer } from './ActionDrawer';
import { ActionFormModal, type ActionSeed } from './ActionFormModal';
import { type Action, formatDate, PRIORITY_COLORS, PRIORITY_LABELS, STATUS_COLORS, STATUS_LABELS } from './labels';
import { type ActionListQuery, useActionList, useUnactioned } from './queries';

type Tab = 'mine' | 'overdue' | 'unactioned' | 'all';
const TABS: Tab[] = ['mine', 'overdue', 'unactioned', 'all'];
type StatusFilter = 'open' | 'closed' | 'any';
/** Badges in narrow table cells keep their whole label rather than an ellipsis. */
const FULL_WIDTH = { minWidth: 'max-content' } as const;
const STATUS_FILTERS: Record<StatusFilter, string | undefined> = { open: 'open,in_progress', closed: 'done,wont_do', any: undefined };

/** /actions: my inbox, what is overdue, feedback nobody has acted on, and every action one may see. */
export function ActionsPage() {
  const [params, setParams] = useSearchParams();
  const tab = (TABS as string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'mine';
  const [openId, setOpenId] = useState<string | null>(params.get('action'));
  const [seed, setSeed] = useState<ActionSeed | null>(null);

  const show = (id: string | null) => {
    setOpenId(id);
    setParams(
      (p) => {
        if (id) {
          p.set('action', id);
        } else {
          p.delete('action');
        }
        return p;
      },
      { replace: true },
    );
  };

  return (
    <Stack>
      <PageHeader
        title="Actions"
        description="Follow-ups on what clients told us: who does what, by when"
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setSeed({})}>
            New action
          </Button>
        }
      />
      <Tabs value={tab} onChange={(v) => setParams({ tab: v ?? 'mine' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="mine">My actions</Tabs.Tab>
          <Tabs.Tab value="overdue">Overdue</Tabs.Tab>
          <Tabs.Tab value="unactioned">Feedback unactioned</Tabs.Tab>
          <Tabs.Tab value="all">All</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="mine" pt="md">
          <FilteredList base={{ mine: 'true' }} onOpen={show} empty="Nothing on your plate" emptyText="Actions you own appear here." />
        </Tabs.Panel>
        <Tabs.Panel value="overdue" pt="md">
          <ActionTable
            query={{ overdue: 'true' }}
            onOpen={show}
            empty="Nothing overdue"
            emptyText="Open actions past their due date, across every client you can see, appear here."
          />
        </Tabs.Panel>
        <Tabs.Panel value="unactioned" pt="md">
          <Unactioned onAct={setSeed} />
        </Tabs.Panel>
        <Tabs.Panel value="all" pt="md">
          <FilteredList base={{}} onOpen={show} empty="No actions" emptyText="Actions on the clients you can see appear here." />
        </Tabs.Panel>
      </Tabs>
      <ActionDrawer actionId={openId} onClose={() => show(null)} />
      <ActionFormModal seed={seed} onClose={() => setSeed(null)} onCreated={(a) => show(a.id)} />
    </Stack>
  );
}

function FilteredList({ base, onOpen, empty, emptyText }: { base: ActionListQuery; onOpen: (id: string) => void; empty: string; emptyText: string }) {
  const [status, setStatus] = useState<StatusFilter>('open');
  return (
    <Stack>
      <SegmentedControl
        aria-label="Status"
        w="fit-content"
        value={status}
        onChange={(v) => setStatus(v as StatusFilter)}
        data={[
          { value: 'open', label: 'Open and in progress' },
          { value: 'closed', label: 'Done and won’t do' },
          { value: 'any', label: 'Any status' },
        ]}
      />
      <ActionTable query={{ ...base, status: STATUS_FILTERS[status] }} onOpen={onOpen} empty={empty} emptyText={emptyText} />
    </Stack>
  );
}

function ActionTable({ query, onOpen, empty, emptyText }: { query: ActionListQuery; onOpen: (id: string) => void; empty: string; emptyText: string }) {
  const list = useActionList({ ...query, sort: 'dueOn' });
  const actions = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isLoading) {
    return <Loader aria-label="Loading actions" />;
  }
  if (list.error) {
    return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  }
  if (actions.length === 0) {
    return <EmptyState title={empty}>{emptyText}</EmptyState>;
  }
  return (
    <Stack>
      <Table.ScrollContainer minWidth={720}>
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Action</Table.Th>
              <Table.Th>Client</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Due</Table.Th>
              <Table.Th>Priority</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {actions.map((a) => (
              <ActionRow key={a.id} action={a} onOpen={onOpen} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LoadMore
        shown={actions.length}
        total={list.data?.pages[0]?.total}
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      />
    </Stack>
  );
}

function ActionRow({ action: a, onOpen }: { action: Action; onOpen: (id: string) => void }) {
  return (
    <Table.Tr bg={a.overdue ? 'var(--mantine-color-red-light)' : undefined}>
      <Table.Td>
        <Anchor component="button" type="button" onClick={() => onOpen(a.id)} ta="left">
          {a.title}
        </Anchor>
        {a.escalatedTo && (
          <Badge ml="xs" size="sm" color="orange.9" variant="outline">
            Escalated
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/clients/${a.client.id}`}>
          {a.client.name}
        </Anchor>
      </Table.Td>
      <Table.Td>{a.owner.name}</Table.Td>
      <Table.Td>
        <Text span size="sm" c={a.overdue ? 'red.9' : undefined} fw={a.overdue ? 600 : undefined}>
          {formatDate(a.dueOn)}
          {a.overdue ? ' (overdue)' : ''}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={PRIORITY_COLORS[a.priority]} variant="dot" style={FULL_WIDTH}>
          {PRIORITY_LABELS[a.priority]}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLORS[a.status]} variant="dot" style={FULL_WIDTH}>
          {STATUS_LABELS[a.status]}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}

function Unactioned({ onAct }: { onAct: (seed: ActionSeed) => void }) {
  const { abilities } = useAuth();
  const list = useUnactioned();
  if (list.isLoading) {
    return <Loader aria-label="Loading feedback" />;
  }
  if (list.error) {
    return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  }
  const items = list.data?.items ?? [];
  if (items.length === 0) {
    return <EmptyState title="Nothing waiting">Concerns and risks with no action after {list.data?.afterDays ?? 14} days appear here.</EmptyState>;
  }
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Concerns and risks heard more than {list.data?.afterDays} days ago that nobody has turned into an action yet.
      </Text>
      <Table.ScrollContainer minWidth={720}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Client</Table.Th>
              <Table.Th>What was heard</Table.Th>
              <Table.Th>Severity</Table.Th>
              <Table.Th>Heard on</Table.Th>
              <Table.Th>Days waiting</Table.Th>
              <Table.Th>
                <VisuallyHidden>Act</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.insightId}>
                <Table.Td>
                  <Anchor component={Link} to={`/clients/${i.client.id}`}>
                    {i.client.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="dot" color={i.type === 'risk' ? 'orange' : 'yellow'} mr="xs">
                    {i.type}
                  </Badge>
                  {i.summary}
                </Table.Td>
                <Table.Td>{i.severity}</Table.Td>
                <Table.Td>{formatDate(i.heardOn)}</Table.Td>
                <Table.Td>{i.daysWaiting}</Table.Td>
                <Table.Td>
                  {abilities?.readActions && (
                    <Group justify="flex-end">
                      <Button size="xs" variant="default" onClick={() => onAct({ client: i.client, insight: { id: i.insightId, summary: i.summary } })}>
                        Create action
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
