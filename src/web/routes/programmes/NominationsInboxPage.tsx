import { Anchor, Badge, Blockquote, Button, Group, Menu, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconBell, IconCheck, IconChevronDown, IconHandStop } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved } from '../../forms';
import { formatDate } from '../clients/labels';
import { ClientStatusBadge } from '../clients/parts';
import { type Answer, AnswerModal, useAnswerNomination } from './AnswerModal';
import type { Nomination } from './labels';
import { NominateModal } from './NominateModal';
import { NominationStatusBadge } from './parts';
import { programmeKeys } from './queries';

/**
 * The partner inbox: clients the programme lead would like to hear from, waiting for the
 * partner's answer (proposed ones first, then "not now" ones whose date has come), and the
 * answers already given, which can be changed.
 */
export function NominationsInboxPage() {
  const [volunteering, setVolunteering] = useState(false);
  const [answering, setAnswering] = useState<{ nomination: Nomination; answer: Exclude<Answer, 'yes'> } | null>(null);
  const waiting = useQuery({
    queryKey: programmeKeys.inbox(),
    queryFn: async () => (await unwrap(api.GET('/api/v1/nominations', { params: { query: { mine: 'true' } } }))).items,
  });
  const answered = useQuery({
    queryKey: programmeKeys.answered(),
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/nominations', { params: { query: { mine: 'true', status: 'accepted,deferred,declined', limit: 100 } } }))).items,
  });
  const waitingIds = new Set((waiting.data ?? []).map((n) => n.id));

  let inbox: React.ReactNode;
  if (waiting.isPending) {
    inbox = (
      <Stack role="status" aria-label="Loading your inbox">
        <Skeleton height={120} radius="md" />
        <Skeleton height={120} radius="md" />
      </Stack>
    );
  } else if (waiting.isError) {
    inbox = <QueryError error={waiting.error} onRetry={() => waiting.refetch()} />;
  } else if (waiting.data.length === 0) {
    inbox = (
      <EmptyState title="Nothing waiting for you">When the programme lead proposes one of your clients for a listening session, it appears here.</EmptyState>
    );
  } else {
    inbox = (
      <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {waiting.data.map((n) => (
          <li key={n.id}>
            <WaitingCard nomination={n} onAnswer={(answer) => setAnswering({ nomination: n, answer })} />
          </li>
        ))}
      </Stack>
    );
  }

  const history = (answered.data ?? []).filter((n) => !waitingIds.has(n.id));
  return (
    <>
      <PageHeader
        title="Nominations inbox"
        description={waiting.data ? `${waiting.data.length} waiting for your answer` : 'Clients proposed for listening sessions'}
        actions={
          <Button leftSection={<IconHandStop size={16} aria-hidden />} onClick={() => setVolunteering(true)}>
            Volunteer a client
          </Button>
        }
      />
      <Title order={3} size="h4" mb="sm">
        Waiting for your answer
      </Title>
      {inbox}
      <Title order={3} size="h4" mt="xl" mb="sm">
        Your answers
      </Title>
      {answered.isError ? (
        <QueryError error={answered.error} onRetry={() => answered.refetch()} />
      ) : answered.isPending ? (
        <Skeleton height={80} radius="md" />
      ) : history.length === 0 ? (
        <Text size="sm" c="dimmed">
          No answers yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Client</Table.Th>
                <Table.Th>Programme</Table.Th>
                <Table.Th>Your answer</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th w={150}>Change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.map((n) => (
                <Table.Tr key={n.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/clients/${n.client.id}`} size="sm">
                      {n.client.name}
                    </Anchor>
                    {n.origin === 'volunteered' && (
                      <Badge ml="xs" size="xs" variant="dot" color="grape" tt="none">
                        Volunteered
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/programmes/${n.programme.id}`} size="sm">
                      {n.programme.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <NominationStatusBadge status={n.status} />
                    {n.status === 'deferred' && n.askAgainOn && (
                      <Text size="xs" c="dimmed">
                        Ask again {formatDate(n.askAgainOn)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{n.reason ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    {n.programme.status !== 'closed' && <ChangeAnswerMenu nomination={n} onAnswer={(answer) => setAnswering({ nomination: n, answer })} />}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AnswerModal answering={answering} onClose={() => setAnswering(null)} />
      <NominateModal opened={volunteering} onClose={() => setVolunteering(false)} mode="volunteer" />
    </>
  );
}

function useYes(nomination: Nomination) {
  const respond = useAnswerNomination();
  const yes = async () => {
    try {
      await respond.mutateAsync({ id: nomination.id, answer: 'yes' });
      notifySaved(`Thank you: ${nomination.client.name} is put forward`);
    } catch (err) {
      notifyFailed('Not answered', err);
    }
  };
  return { yes, pending: respond.isPending };
}

function WaitingCard({ nomination: n, onAnswer }: { nomination: Nomination; onAnswer: (answer: Exclude<Answer, 'yes'>) => void }) {
  const { yes, pending } = useYes(n);
  return (
    <Paper withBorder radius="md" p="md" component="article" aria-labelledby={`nomination-${n.id}`}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4}>
          <Group gap="xs">
            <Anchor component={Link} to={`/clients/${n.client.id}`} fw={700} id={`nomination-${n.id}`}>
              {n.client.name}
            </Anchor>
            <ClientStatusBadge status={n.client.status} />
            {n.reminderCount > 0 && (
              <Badge variant="outline" color="dark" tt="none" leftSection={<IconBell size={12} aria-hidden />}>
                Reminded {n.reminderCount === 1 ? 'once' : `${n.reminderCount} times`}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            <Anchor component={Link} to={`/programmes/${n.programme.id}`} size="sm" inherit underline="always">
              {n.programme.name}
            </Anchor>
            {n.proposedBy ? ` · proposed by ${n.proposedBy.name}` : ''} on {formatDate(n.createdAt.slice(0, 10))}
          </Text>
          {n.status === 'deferred' && (
            <Text size="sm">
              You said not now{n.reason ? ` (“${n.reason}”)` : ''}; it is {n.askAgainOn ? formatDate(n.askAgainOn) : 'time'} and we are asking again.
            </Text>
          )}
          {n.note && (
            <Blockquote p="xs" mt={4} color="indigo" fz="sm">
              {n.note}
            </Blockquote>
          )}
        </Stack>
        <Group gap="xs">
          <Button color="teal.9" leftSection={<IconCheck size={16} aria-hidden />} onClick={yes} loading={pending} aria-describedby={`nomination-${n.id}`}>
            Yes
          </Button>
          <Button variant="default" onClick={() => onAnswer('not_now')} aria-describedby={`nomination-${n.id}`}>
            Not now
          </Button>
          <Button variant="default" onClick={() => onAnswer('no')} aria-describedby={`nomination-${n.id}`}>
            No
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}

function ChangeAnswerMenu({ nomination: n, onAnswer }: { nomination: Nomination; onAnswer: (answer: Exclude<Answer, 'yes'>) => void }) {
  const { yes, pending } = useYes(n);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          size="compact-sm"
          variant="subtle"
          rightSection={<IconChevronDown size={14} aria-hidden />}
          loading={pending}
          aria-label={`Change your answer for ${n.client.name}`}
        >
          Change
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {n.status !== 'accepted' && <Menu.Item onClick={yes}>Yes</Menu.Item>}
        <Menu.Item onClick={() => onAnswer('not_now')}>Not now</Menu.Item>
        {n.status !== 'declined' && <Menu.Item onClick={() => onAnswer('no')}>No</Menu.Item>}
      </Menu.Dropdown>
    </Menu>
  );
}
