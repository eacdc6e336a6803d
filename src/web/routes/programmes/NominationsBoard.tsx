import { Anchor, Badge, Button, Group, Paper, ScrollArea, SimpleGrid, Skeleton, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved } from '../../forms';
import { formatDate } from '../clients/labels';
import { NOMINATION_STATUS_COLORS, NOMINATION_STATUS_LABELS, NOMINATION_STATUSES, type Nomination, type ProgrammeDetail } from './labels';
import { programmeKeys, useProgrammeNominations } from './queries';

/** The programme's nominations in one column per status, with partner and client names. */
export function NominationsBoard({ programme }: { programme: ProgrammeDetail }) {
  const nominations = useProgrammeNominations(programme.id);
  if (nominations.isPending) {
    return (
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} aria-label="Loading nominations" role="status">
        {Array.from({ length: 4 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders
          <Skeleton key={i} height={160} radius="md" />
        ))}
      </SimpleGrid>
    );
  }
  if (nominations.isError) {
    return <QueryError error={nominations.error} onRetry={() => nominations.refetch()} />;
  }
  const items = nominations.data;
  if (items.length === 0) {
    return (
      <EmptyState title="No nominations yet">
        {programme.abilities.propose
          ? 'Propose clients to their relationship partners with “Propose clients”; their answers appear here.'
          : 'Clients proposed to you or volunteered by you appear here.'}
      </EmptyState>
    );
  }
  // Withdrawn nominations get a column only when there are some.
  const columns = NOMINATION_STATUSES.filter((s) => s !== 'withdrawn' || items.some((n) => n.status === 'withdrawn'));
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <SimpleGrid cols={columns.length} miw={columns.length * 250} spacing="sm" verticalSpacing="sm">
        {columns.map((status) => {
          const inColumn = items.filter((n) => n.status === status);
          return (
            <Paper key={status} withBorder radius="md" p="sm" bg="var(--mantine-color-gray-0)" component="section" aria-labelledby={`column-${status}`}>
              <Group justify="space-between" mb="sm">
                <Title order={3} size="h5" id={`column-${status}`}>
                  {NOMINATION_STATUS_LABELS[status]}
                </Title>
                <Badge variant="filled" color={NOMINATION_STATUS_COLORS[status] === 'gray' ? 'gray.7' : `${NOMINATION_STATUS_COLORS[status]}.9`} circle>
                  {inColumn.length}
                </Badge>
              </Group>
              <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {inColumn.map((n) => (
                  <li key={n.id}>
                    <NominationCard nomination={n} programme={programme} />
                  </li>
                ))}
                {inColumn.length === 0 && (
                  <Text size="sm" c="dimmed" component="li">
                    None
                  </Text>
                )}
              </Stack>
            </Paper>
          );
        })}
      </SimpleGrid>
    </ScrollArea>
  );
}

function NominationCard({ nomination: n, programme }: { nomination: Nomination; programme: ProgrammeDetail }) {
  return (
    <Paper withBorder radius="sm" p="xs">
      <Stack gap={4}>
        <Anchor component={Link} to={`/clients/${n.client.id}`} size="sm" fw={600}>
          {n.client.name}
        </Anchor>
        <Text size="xs">Partner: {n.partner.name}</Text>
        <Group gap={4}>
          {n.origin === 'volunteered' && (
            <Badge size="xs" variant="dot" color="grape" tt="none">
              Volunteered
            </Badge>
          )}
          {(n.client.status === 'lost' || n.client.status === 'pitch_lost' || n.client.status === 'lapsed') && (
            <Badge size="xs" variant="outline" color="red.9" tt="none">
              {n.client.status === 'pitch_lost' ? 'Pitch lost' : n.client.status === 'lost' ? 'Lost client' : 'Lapsed'}
            </Badge>
          )}
          {n.reminderCount > 0 && (
            <Badge size="xs" variant="outline" color="dark" tt="none" leftSection={<IconBell size={10} aria-hidden />}>
              Reminded {n.reminderCount}×
            </Badge>
          )}
        </Group>
        {n.reason && (
          <Text size="xs" c="dimmed">
            “{n.reason}”
          </Text>
        )}
        {n.status === 'deferred' && n.askAgainOn && (
          <Text size="xs" c={n.waiting ? 'orange.9' : 'dimmed'}>
            Ask again {n.waiting ? 'now (since' : 'on'} {formatDate(n.askAgainOn)}
            {n.waiting ? ')' : ''}
          </Text>
        )}
        {n.status === 'proposed' && (
          <Text size="xs" c="dimmed">
            Proposed {formatDate(n.createdAt.slice(0, 10))}
          </Text>
        )}
        {programme.abilities.withdraw && n.status !== 'withdrawn' && programme.status !== 'closed' && (
          <WithdrawButton nomination={n} programmeId={programme.id} />
        )}
      </Stack>
    </Paper>
  );
}

function WithdrawButton({ nomination, programmeId }: { nomination: Nomination; programmeId: string }) {
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const queryClient = useQueryClient();
  const withdraw = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/nominations/{id}/withdraw', { params: { path: { id: nomination.id } }, body: { reason: reason.trim() || null } })),
  });
  const confirm = async () => {
    try {
      await withdraw.mutateAsync();
      await queryClient.invalidateQueries({ queryKey: programmeKeys.detail(programmeId) });
      notifySaved(`Nomination of ${nomination.client.name} withdrawn`);
      setOpened(false);
    } catch (err) {
      notifyFailed('Not withdrawn', err);
    }
  };
  return (
    <>
      <Button
        size="compact-xs"
        variant="outline"
        color="red.9"
        onClick={() => setOpened(true)}
        style={{ alignSelf: 'flex-start' }}
        aria-label={`Withdraw ${nomination.client.name} (${nomination.partner.name})`}
      >
        Withdraw
      </Button>
      <ConfirmDialog
        opened={opened}
        onClose={() => setOpened(false)}
        title={`Withdraw ${nomination.client.name}?`}
        confirmLabel="Withdraw nomination"
        onConfirm={confirm}
      >
        <Stack gap="sm">
          <Text size="sm">
            {nomination.partner.name} will no longer be asked about {nomination.client.name}. You can propose the client again later.
          </Text>
          <Textarea label="Reason (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} autosize minRows={2} />
        </Stack>
      </ConfirmDialog>
    </>
  );
}
