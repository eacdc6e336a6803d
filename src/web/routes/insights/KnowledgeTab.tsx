import { ActionIcon, Anchor, Badge, Blockquote, Button, Group, Paper, Select, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus, IconReport, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiProblem, api, type Schemas, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved } from '../../forms';
import { formatDate } from '../clients/labels';
import { CheckInFormModal, type CheckInSeed } from '../relationships/CheckInFormModal';
import { RecoveryStatus } from '../relationships/RecoveryChecks';
import { ConfidentialityBadge } from '../sessions/parts';
import { InsightFormModal } from './InsightFormModal';
import {
  ACTION_STATUS_COLORS,
  ACTION_STATUS_LABELS,
  INSIGHT_TYPE_COLORS,
  INSIGHT_TYPE_LABELS,
  INSIGHT_TYPES,
  type Insight,
  SEVERITY_COLORS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
  themeGroups,
  typeOptions,
} from './labels';
import { insightKeys, useKnowledge, useThemes } from './queries';

type KnowledgeInsight = Schemas['KnowledgeInsight'];
type Knowledge = Schemas['ClientKnowledge'];

/** The client knowledge page: everything the firm has heard, by theme over time, and what was done about it. */
export function KnowledgeTab({ clientId, clientName, canReadMatters }: { clientId: string; clientName: string; canReadMatters: boolean }) {
  const [type, setType] = useState<string | null>(null);
  const [themeId, setThemeId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Insight | 'new' | undefined>();
  const [deleting, setDeleting] = useState<Insight | undefined>();
  const [asking, setAsking] = useState<CheckInSeed | null>(null);
  const themes = useThemes(false);
  const knowledge = useKnowledge(clientId, { type: type ?? undefined, themeId: themeId ?? undefined });
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (insight: Insight) => unwrap(api.DELETE('/api/v1/insights/{id}', { params: { path: { id: insight.id } } })),
  });
  const confirmDelete = async (insight: Insight) => {
    try {
      await remove.mutateAsync(insight);
      await queryClient.invalidateQueries({ queryKey: insightKeys.all });
      notifySaved('Insight deleted');
    } catch (err) {
      notifyFailed('Not deleted', err);
    }
    setDeleting(undefined);
  };

  const recordButton = knowledge.data?.abilities.record && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
      Record insight
    </Button>
  );
  const filtered = type !== null || themeId !== null;

  let content: React.ReactNode;
  if (knowledge.isPending) {
    content = (
      <Stack gap="sm" role="status" aria-label="Loading insights">
        <Skeleton height={60} />
        <Skeleton height={160} />
      </Stack>
    );
  } else if (knowledge.isError && knowledge.error instanceof ApiProblem && knowledge.error.status === 403) {
    content = (
      <EmptyState title="Only the client’s team reads its knowledge">
        What the firm has heard from {clientName} is shared with its relationship team, programme leads and management.
      </EmptyState>
    );
  } else if (knowledge.isError) {
    content = <QueryError error={knowledge.error} onRetry={() => knowledge.refetch()} />;
  } else if (knowledge.data.total === 0) {
    content = filtered ? (
      <EmptyState title="No insights match these filters">Clear a filter to see more of what the firm has heard.</EmptyState>
    ) : (
      <EmptyState title="Nothing recorded yet" action={recordButton || undefined}>
        Record what you hear from {clientName} — in a listening session, a check-in, a call — so that the whole team knows it, and it outlives staff changes.
      </EmptyState>
    );
  } else {
    content = (
      <Stack gap="lg">
        <Timeline timeline={knowledge.data.timeline} />
        {knowledge.data.groups.map((g) => (
          <Paper key={g.theme.id} withBorder p="lg" radius="md" component="section" aria-labelledby={`theme-${g.theme.id}`}>
            <Group justify="space-between" mb="sm">
              <Title order={3} size="h4" id={`theme-${g.theme.id}`}>
                {g.theme.name}
                {g.theme.archived && (
                  <Badge ml="xs" variant="outline" color="gray" tt="none">
                    Archived
                  </Badge>
                )}
              </Title>
              <Text size="sm" c="dimmed">
                {g.count === 1 ? '1 insight' : `${g.count} insights`}
              </Text>
            </Group>
            <Stack gap="sm">
              {g.insights.map((i) => (
                <InsightCard
                  key={i.id}
                  insight={i}
                  onEdit={() => setEditing(i)}
                  onDelete={() => setDeleting(i)}
                  onAsk={() => setAsking({ client: { id: clientId, name: clientName }, recovery: { insightId: i.id, summary: i.summary, quote: i.quote } })}
                />
              ))}
            </Stack>
          </Paper>
        ))}
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Group gap="sm" align="flex-end">
          <Select label="Type" placeholder="Any type" data={typeOptions} value={type} onChange={setType} clearable w={180} />
          <Select
            label="Theme"
            placeholder="Any theme"
            data={themeGroups(themes.data ?? [])}
            value={themeId}
            onChange={setThemeId}
            clearable
            searchable
            w={280}
          />
        </Group>
        <Group gap="sm">
          <Button component={Link} to={`/clients/${clientId}/you-said-we-did`} variant="default" leftSection={<IconReport size={16} aria-hidden />}>
            You said, we did
          </Button>
          {recordButton}
        </Group>
      </Group>
      {content}
      <InsightFormModal
        opened={editing !== undefined}
        onClose={() => setEditing(undefined)}
        clientId={clientId}
        insight={editing === 'new' ? undefined : editing}
        canReadMatters={canReadMatters}
      />
      <ConfirmDialog
        opened={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        title="Delete this insight?"
        confirmLabel="Delete insight"
        onConfirm={() => deleting && confirmDelete(deleting)}
      >
        The insight will be deleted from the client’s knowledge page. Actions born from it stay, without the link.
      </ConfirmDialog>
      <CheckInFormModal seed={asking} onClose={() => setAsking(null)} />
    </Stack>
  );
}

function Timeline({ timeline }: { timeline: Knowledge['timeline'] }) {
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="knowledge-timeline">
      <Title order={3} size="h4" id="knowledge-timeline" mb="sm">
        Over time
      </Title>
      <Table.ScrollContainer minWidth={600}>
        <Table verticalSpacing={4} style={{ fontVariantNumeric: 'tabular-nums' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Quarter</Table.Th>
              {INSIGHT_TYPES.map((t) => (
                <Table.Th key={t} ta="right">
                  {INSIGHT_TYPE_LABELS[t]}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {timeline.map((q) => (
              <Table.Tr key={q.quarter}>
                <Table.Td>{q.quarter.replace('-', ' ')}</Table.Td>
                {INSIGHT_TYPES.map((t) => (
                  <Table.Td key={t} ta="right" c={q.counts[t] ? undefined : 'dimmed'}>
                    {q.counts[t] ?? '–'}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

export function InsightBadges({ insight }: { insight: Insight }) {
  return (
    <Group gap="xs">
      <Badge color={INSIGHT_TYPE_COLORS[insight.type]} variant="dot">
        {INSIGHT_TYPE_LABELS[insight.type]}
      </Badge>
      <Badge color={SEVERITY_COLORS[insight.severity]} variant="dot" tt="none">
        {SEVERITY_LABELS[insight.severity]} severity
      </Badge>
      {insight.confidentiality !== 'attributable' && <ConfidentialityBadge confidentiality={insight.confidentiality} />}
    </Group>
  );
}

function InsightCard({ insight: i, onEdit, onDelete, onAsk }: { insight: KnowledgeInsight; onEdit: () => void; onDelete: () => void; onAsk: () => void }) {
  return (
    <Paper withBorder p="md" radius="sm" bg={i.confidentiality === 'programme_only' ? 'red.0' : undefined}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <InsightBadges insight={i} />
          <Text fw={500}>{i.summary}</Text>
          {i.quote && (
            <Blockquote p="xs" color="gray" fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {i.quote}
            </Blockquote>
          )}
          <Text size="xs" c="dimmed">
            {formatDate(i.heardOn)} · {SOURCE_LABELS[i.source]}
            {i.session && (
              <>
                {' '}
                (
                <Anchor component={Link} to={`/sessions/${i.session.id}`} inherit underline="always">
                  open the session
                </Anchor>
                )
              </>
            )}
            {i.contact && <> · from {i.contact.name}</>}
            {i.matter && <> · {i.matter.name}</>}
            {i.recordedBy && <> · recorded by {i.recordedBy.name}</>}
          </Text>
          <Group gap={4}>
            {i.themes.map((t) => (
              <Badge key={t.id} variant="dot" color="gray" tt="none">
                {t.parentName ? `${t.parentName} › ${t.name}` : t.name}
              </Badge>
            ))}
          </Group>
          <Text size="sm" fw={500} mt={4}>
            What was done
          </Text>
          {i.actions.length === 0 ? (
            <Text size="sm" c="dimmed">
              No action yet.
            </Text>
          ) : (
            <Stack gap={2}>
              {i.actions.map((a) => (
                <Group key={a.id} gap="xs">
                  <Badge size="sm" color={ACTION_STATUS_COLORS[a.status]} variant="dot">
                    {ACTION_STATUS_LABELS[a.status]}
                  </Badge>
                  <Text size="sm">{a.title}</Text>
                </Group>
              ))}
            </Stack>
          )}
          {i.recovery && (
            <Stack gap={4} mt={4}>
              <Text size="sm" fw={500}>
                Is it fixed?
              </Text>
              <RecoveryStatus recovery={i.recovery} />
              {i.recovery.status === 'scheduled' && (
                <Button size="xs" variant="default" w="fit-content" onClick={onAsk} aria-label={`Was it fixed? Record the client's answer about: ${i.summary}`}>
                  Was it fixed?
                </Button>
              )}
            </Stack>
          )}
        </Stack>
        {(i.abilities.edit || i.abilities.delete) && (
          <Group gap={4} wrap="nowrap">
            {i.abilities.edit && (
              <Tooltip label="Edit">
                <ActionIcon variant="subtle" color="gray" aria-label={`Edit insight: ${i.summary}`} onClick={onEdit}>
                  <IconPencil size={16} aria-hidden />
                </ActionIcon>
              </Tooltip>
            )}
            {i.abilities.delete && (
              <Tooltip label="Delete">
                <ActionIcon variant="subtle" color="red" aria-label={`Delete insight: ${i.summary}`} onClick={onDelete}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        )}
      </Group>
    </Paper>
  );
}
