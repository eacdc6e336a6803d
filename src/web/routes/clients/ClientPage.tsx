import { Anchor, Badge, Button, Group, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconFileDescription, IconLock, IconPencil, IconStarFilled, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { ApiProblem, api, type Schemas, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved } from '../../forms';
import { KnowledgeTab } from '../insights/KnowledgeTab';
import { PreferencesPanel } from '../preferences/PreferencesPanel';
import { ReferralsTab } from '../relationships/ReferralsTab';
import { ClientFormModal } from './ClientFormModal';
import { ClientSessionsTab } from './ClientSessionsTab';
import { ContactsTab } from './ContactsTab';
import { MattersTab } from './MattersTab';
import { OverviewTab } from './OverviewTab';
import { ClientStatusBadge } from './parts';
import { clientKeys, useClient } from './queries';
import { TeamTab } from './TeamTab';

type ClientDetail = Schemas['ClientDetail'];

const TABS = ['overview', 'contacts', 'matters', 'team', 'sessions', 'knowledge', 'referrals', 'preferences'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string): value is Tab {
  return (TABS as readonly string[]).includes(value);
}

/** One client: its overview, contacts, matters and relationship team, one tab each (/clients/:id/:tab). */
export function ClientPage() {
  const { clientId = '', tab = 'overview' } = useParams();
  const client = useClient(clientId);

  if (!isTab(tab)) {
    return <Navigate to={`/clients/${clientId}`} replace />;
  }
  if (client.isPending) {
    return <ClientPageSkeleton />;
  }
  if (client.isError) {
    // The server answers 404 alike for a client that does not exist and one behind a wall.
    if (client.error instanceof ApiProblem && client.error.status === 404) {
      return <ClientNotFound />;
    }
    return <QueryError error={client.error} onRetry={() => client.refetch()} />;
  }
  return <ClientView client={client.data} tab={tab} can={client.data.abilities} />;
}

function ClientView({ client, tab, can }: { client: ClientDetail; tab: Tab; can: ClientDetail['abilities'] }) {
  const navigate = useNavigate();
  const { abilities } = useAuth();
  const [editing, setEditing] = useState(false);
  const base = `/clients/${client.id}`;
  return (
    <>
      <Anchor component={Link} to="/clients" size="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Clients
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" mt={6} mb="lg" wrap="wrap">
        <Stack gap={6}>
          <Title order={2}>{client.name}</Title>
          <Group gap="xs">
            <ClientStatusBadge status={client.status} />
            {client.isKeyClient && (
              <Badge variant="default" leftSection={<IconStarFilled size={10} color="var(--mantine-color-yellow-6)" aria-hidden />}>
                Key client
              </Badge>
            )}
            {client.walled && (
              <Badge variant="default" leftSection={<IconLock size={10} aria-hidden />}>
                Walled
              </Badge>
            )}
            {client.industry && (
              <Text size="sm" c="dimmed">
                {client.industry}
              </Text>
            )}
          </Group>
        </Stack>
        <Group gap="sm">
          {can.readPreferences && (
            <Button component={Link} to={`${base}/brief`} variant="default" leftSection={<IconFileDescription size={16} aria-hidden />}>
              Client brief
            </Button>
          )}
          {can.edit && (
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
              Edit
            </Button>
          )}
          {can.delete && <DeleteClientButton client={client} />}
        </Group>
      </Group>
      <Tabs value={tab} onChange={(value) => navigate(value === 'overview' ? base : `${base}/${value}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="contacts" rightSection={<Count n={client.counts.contacts} />}>
            Contacts
          </Tabs.Tab>
          {can.readMatters && (
            <Tabs.Tab value="matters" rightSection={<Count n={client.counts.matters ?? 0} />}>
              Matters
            </Tabs.Tab>
          )}
          {can.readTeam && (
            <Tabs.Tab value="team" rightSection={<Count n={client.team.length} />}>
              Team
            </Tabs.Tab>
          )}
          {abilities?.readSessions && <Tabs.Tab value="sessions">Listening sessions</Tabs.Tab>}
          {abilities?.readInsights && <Tabs.Tab value="knowledge">Knowledge</Tabs.Tab>}
          {abilities?.readRelationships && <Tabs.Tab value="referrals">Referrals</Tabs.Tab>}
          {can.readPreferences && <Tabs.Tab value="preferences">Preferences</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <OverviewTab client={client} />
        </Tabs.Panel>
        <Tabs.Panel value="contacts">
          <ContactsTab client={client} can={can} />
        </Tabs.Panel>
        <Tabs.Panel value="matters">
          <MattersTab client={client} can={can} />
        </Tabs.Panel>
        <Tabs.Panel value="team">
          <TeamTab client={client} can={can} />
        </Tabs.Panel>
        <Tabs.Panel value="sessions">
          <ClientSessionsTab client={client} canPlan={!!abilities?.planSessions} />
        </Tabs.Panel>
        <Tabs.Panel value="knowledge">
          <KnowledgeTab clientId={client.id} clientName={client.name} canReadMatters={can.readMatters} />
        </Tabs.Panel>
        <Tabs.Panel value="referrals">
          <ReferralsTab client={client} />
        </Tabs.Panel>
        <Tabs.Panel value="preferences">
          <PreferencesPanel clientId={client.id} canEdit={can.editPreferences} />
        </Tabs.Panel>
      </Tabs>
      <ClientFormModal opened={editing} onClose={() => setEditing(false)} client={client} />
    </>
  );
}

function Count({ n }: { n: number }) {
  return (
    <Badge size="sm" variant="light" color="gray" circle={n < 10}>
      {n}
    </Badge>
  );
}

/**
 * Deletes the client after a confirm. The server refuses while contacts or matters hang off
 * the client (409); the dialog then says what would go with it and offers to delete it all.
 */
function DeleteClientButton({ client }: { client: ClientDetail }) {
  const [stage, setStage] = useState<'closed' | 'confirm' | 'cascade'>('closed');
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const deleteClient = useMutation({
    mutationFn: (cascade: boolean) =>
      unwrap(api.DELETE('/api/v1/clients/{id}', { params: { path: { id: client.id }, query: cascade ? { cascade: 'true' } : {} } })),
  });

  const remove = async (cascade: boolean) => {
    try {
      await deleteClient.mutateAsync(cascade);
    } catch (err) {
      if (err instanceof ApiProblem && err.status === 409 && !cascade) {
        // Someone may have added to it since the page loaded: show the counts as they are now.
        await queryClient.invalidateQueries({ queryKey: clientKeys.detail(client.id), exact: true });
        setStage('cascade');
        return;
      }
      notifyFailed('Not deleted', err);
      setStage('closed');
      return;
    }
    setStage('closed');
    await navigate('/clients');
    queryClient.removeQueries({ queryKey: clientKeys.detail(client.id) });
    await queryClient.invalidateQueries({ queryKey: clientKeys.lists() });
    notifySaved(`${client.name} deleted`);
  };

  const { contacts, matters } = client.counts;
  const what = [matters !== null && matters > 0 && plural(matters, 'matter'), contacts > 0 && plural(contacts, 'contact')].filter(Boolean).join(' and ');
  return (
    <>
      <Button variant="outline" color="red.9" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setStage('confirm')}>
        Delete
      </Button>
      <ConfirmDialog
        opened={stage === 'confirm'}
        onClose={() => setStage('closed')}
        title={`Delete ${client.name}?`}
        confirmLabel="Delete client"
        onConfirm={() => remove(false)}
      >
        The client and its relationship team will be deleted. This cannot be undone.
      </ConfirmDialog>
      <ConfirmDialog
        opened={stage === 'cascade'}
        onClose={() => setStage('closed')}
        title={`${client.name} still has ${what || 'contacts or matters'}`}
        confirmLabel="Delete with everything"
        onConfirm={() => remove(true)}
      >
        {`Deleting the client also deletes its ${what || 'contacts and matters'}. This cannot be undone.`}
      </ConfirmDialog>
    </>
  );
}

function plural(n: number, noun: string) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function ClientNotFound() {
  return (
    <Stack align="flex-start" gap="sm">
      <Title order={2}>Client not found</Title>
      <Text c="dimmed">The client does not exist, or you do not have access to it: it may have been deleted, or be behind an ethical wall.</Text>
      <Button component={Link} to="/clients" variant="light">
        Back to clients
      </Button>
    </Stack>
  );
}

function ClientPageSkeleton() {
  return (
    <Stack gap="md" role="status" aria-label="Loading client">
      <Skeleton height={14} width={80} />
      <Skeleton height={32} width="40%" />
      <Skeleton height={20} width="25%" />
      <Skeleton height={36} mt="md" />
      <Skeleton height={180} />
    </Stack>
  );
}
