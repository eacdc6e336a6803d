import { Anchor, Badge, DataList, Grid, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import type { Schemas } from '../../api/client';
import { formatFees, TEAM_ROLE_LABELS } from './labels';
import { ClientStatusBadge, Dash } from './parts';

type ClientDetail = Schemas['ClientDetail'];

/** The client at a glance: what the firm knows about it and how much hangs off it. */
export function OverviewTab({ client }: { client: ClientDetail }) {
  const base = `/clients/${client.id}`;
  const partners = client.team.filter((m) => m.teamRole === 'relationship_partner');
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Stat label="Contacts" value={client.counts.contacts} to={`${base}/contacts`} linkLabel="View contacts" />
        {client.abilities.readMatters && (
          <Stat
            label="Matters"
            value={client.counts.matters ?? 0}
            detail={`${client.counts.openMatters ?? 0} not closed`}
            to={`${base}/matters`}
            linkLabel="View matters"
          />
        )}
        {client.abilities.readTeam && (
          <Stat
            label="Relationship team"
            value={client.team.length}
            detail={partners.length ? `${partners.length} ${partners.length === 1 ? 'partner' : 'partners'}` : 'No relationship partner'}
            to={`${base}/team`}
            linkLabel="View team"
          />
        )}
      </SimpleGrid>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="lg" h="100%">
            <Title order={3} size="h4" mb="md">
              Details
            </Title>
            <DataList labelWidth={170}>
              <Item label="Status">
                <ClientStatusBadge status={client.status} />
              </Item>
              <Item label="Industry">{client.industry ?? <Dash />}</Item>
              <Item label="Annual fees">{client.annualFees === null ? <Dash /> : formatFees(client.annualFees)}</Item>
              <Item label="Key client">{client.isKeyClient ? 'Yes' : 'No'}</Item>
              {client.abilities.readTeam && <Item label="Relationship partners">{partners.length ? partners.map((p) => p.name).join(', ') : <Dash />}</Item>}
              <Item label="Parent company">
                {client.parent ? (
                  <Anchor component={Link} to={`/clients/${client.parent.id}`} inherit>
                    {client.parent.name}
                  </Anchor>
                ) : (
                  <Dash />
                )}
              </Item>
              <Item label="Subsidiaries">
                {client.subsidiaries.length ? (
                  <Group gap="xs" component="span">
                    {client.subsidiaries.map((s, i) => (
                      <span key={s.id}>
                        <Anchor component={Link} to={`/clients/${s.id}`} inherit>
                          {s.name}
                        </Anchor>
                        {i < client.subsidiaries.length - 1 && ','}
                      </span>
                    ))}
                  </Group>
                ) : (
                  <Dash />
                )}
              </Item>
              <Item label="Competitors">
                {client.competitors.length ? (
                  <Group gap={6} component="span">
                    {client.competitors.map((c) => (
                      <Badge key={c} variant="default" tt="none" fw={500}>
                        {c}
                      </Badge>
                    ))}
                  </Group>
                ) : (
                  <Dash />
                )}
              </Item>
              <Item label="Ethical wall">
                {client.walled ? 'Walled: only the people listed on the wall can see this client' : 'Not walled: everyone in the firm can see this client'}
              </Item>
            </DataList>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg" h="100%">
            <Paper withBorder p="lg">
              <Title order={3} size="h4" mb="sm">
                Notes
              </Title>
              {client.notes ? (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {client.notes}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  No notes yet.
                </Text>
              )}
            </Paper>
            <Paper withBorder p="lg" hidden={!client.abilities.readTeam}>
              <Title order={3} size="h4" mb="sm">
                Relationship team
              </Title>
              {client.team.length ? (
                <Stack gap={6}>
                  {client.team.map((m) => (
                    <Group key={m.userId} justify="space-between" wrap="nowrap">
                      <Text size="sm">{m.name}</Text>
                      <Text size="xs" c="dimmed">
                        {TEAM_ROLE_LABELS[m.teamRole]}
                      </Text>
                    </Group>
                  ))}
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  Nobody is on the relationship team yet.
                </Text>
              )}
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
      <Text size="xs" c="dimmed">
        Added {dayjs(client.createdAt).format('D MMM YYYY')} · last changed {dayjs(client.updatedAt).format('D MMM YYYY, HH:mm')}
      </Text>
    </Stack>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function Stat({ label, value, detail, to, linkLabel }: { label: string; value: number; detail?: string; to: string; linkLabel: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Group justify="space-between" align="flex-end" mt={4}>
        <div>
          <Text fz={28} fw={700} lh={1.1}>
            {value}
          </Text>
          {detail && (
            <Text size="xs" c="dimmed">
              {detail}
            </Text>
          )}
        </div>
        <Anchor component={Link} to={to} size="sm">
          {linkLabel}
        </Anchor>
      </Group>
    </Paper>
  );
}
