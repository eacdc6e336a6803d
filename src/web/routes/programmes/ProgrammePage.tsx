import { Anchor, Button, Group, Paper, SegmentedControl, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconHandStop, IconPencil, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiProblem, api, unwrap } from '../../api/client';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved } from '../../forms';
import { formatDate } from '../clients/labels';
import type { ProgrammeDetail } from './labels';
import { NominateModal } from './NominateModal';
import { NominationsBoard } from './NominationsBoard';
import { ParticipationTable } from './ParticipationTable';
import { ProgrammeFormModal } from './ProgrammeFormModal';
import { ProgrammeStatusBadge } from './parts';
import { programmeKeys, useProgramme } from './queries';
import { RemindersButton } from './RemindersButton';
import { TargetsPanel } from './TargetsPanel';

/** One programme: targets with live progress, the nominations board and partner participation. */
export function ProgrammePage() {
  const { programmeId = '' } = useParams();
  const programme = useProgramme(programmeId);
  if (programme.isPending) {
    return (
      <Stack role="status" aria-label="Loading the programme">
        <Skeleton height={32} width="40%" />
        <Skeleton height={140} />
        <Skeleton height={240} />
      </Stack>
    );
  }
  if (programme.isError) {
    if (programme.error instanceof ApiProblem && programme.error.status === 404) {
      return (
        <Stack align="flex-start" gap="sm">
          <Title order={2}>Programme not found</Title>
          <Text c="dimmed">It may have been removed, or the link is wrong.</Text>
          <Anchor component={Link} to="/programmes">
            Back to programmes
          </Anchor>
        </Stack>
      );
    }
    return <QueryError error={programme.error} onRetry={() => programme.refetch()} />;
  }
  return <ProgrammeView programme={programme.data} />;
}

function ProgrammeView({ programme: p }: { programme: ProgrammeDetail }) {
  const [editing, setEditing] = useState(false);
  const [nominating, setNominating] = useState<'propose' | 'volunteer' | null>(null);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'participation' ? 'participation' : 'board';
  const can = p.abilities;
  return (
    <>
      <Anchor component={Link} to="/programmes" size="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Programmes
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" mt={6} mb="lg" wrap="wrap">
        <Stack gap={6}>
          <Title order={2}>{p.name}</Title>
          <Group gap="xs">
            <ProgrammeStatusBadge status={p.status} />
            <Text size="sm" c="dimmed">
              {formatDate(p.startsOn)} – {formatDate(p.endsOn)} · run by {p.owner.name}
            </Text>
          </Group>
          {p.description && (
            <Text size="sm" maw={720}>
              {p.description}
            </Text>
          )}
        </Stack>
        <Group gap="sm">
          {can.propose && (
            <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setNominating('propose')}>
              Propose clients
            </Button>
          )}
          {can.volunteer && (
            <Button leftSection={<IconHandStop size={16} aria-hidden />} onClick={() => setNominating('volunteer')}>
              Volunteer a client
            </Button>
          )}
          {can.remind && <RemindersButton programmeId={p.id} />}
          {can.update && (
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setEditing(true)}>
              Edit
            </Button>
          )}
        </Group>
      </Group>
      {(can.commit || p.myCommitment) && <CommitmentCard programme={p} />}
      <Title order={3} size="h4" mb="sm">
        Targets
      </Title>
      <TargetsPanel progress={p.progress} />
      {can.readNominations && (
        <Tabs
          value={tab}
          onChange={(value) =>
            setParams(
              (prev) => {
                const next = new URLSearchParams(prev);
                if (value === 'participation') {
                  next.set('tab', value);
                } else {
                  next.delete('tab');
                }
                return next;
              },
              { replace: true },
            )
          }
          keepMounted={false}
        >
          <Tabs.List mb="md">
            <Tabs.Tab value="board">Nominations</Tabs.Tab>
            <Tabs.Tab value="participation">Participation</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="board">
            <NominationsBoard programme={p} />
          </Tabs.Panel>
          <Tabs.Panel value="participation">
            <ParticipationTable programmeId={p.id} />
          </Tabs.Panel>
        </Tabs>
      )}
      <ProgrammeFormModal opened={editing} onClose={() => setEditing(false)} programme={p} />
      <NominateModal opened={nominating !== null} onClose={() => setNominating(null)} mode={nominating ?? 'propose'} programme={p} />
    </>
  );
}

/** A partner's yes or no to the programme itself. */
function CommitmentCard({ programme: p }: { programme: ProgrammeDetail }) {
  const queryClient = useQueryClient();
  const commit = useMutation({
    mutationFn: (commitment: 'yes' | 'no') => unwrap(api.PUT('/api/v1/programmes/{id}/commitment', { params: { path: { id: p.id } }, body: { commitment } })),
  });
  const answer = async (value: string) => {
    const commitment = value === 'yes' ? 'yes' : 'no';
    try {
      await commit.mutateAsync(commitment);
      await queryClient.invalidateQueries({ queryKey: programmeKeys.detail(p.id) });
      notifySaved(commitment === 'yes' ? 'Thank you for taking part' : 'Your answer is recorded');
    } catch (err) {
      notifyFailed('Not saved', err);
    }
  };
  return (
    <Paper withBorder p="md" radius="md" mb="lg">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Stack gap={2}>
          <Text fw={600} id="commitment-label">
            Are you taking part in this programme?
          </Text>
          <Text size="sm" c="dimmed">
            Taking part means putting some of your own clients forward — including unhappy or lost ones.
          </Text>
        </Stack>
        <SegmentedControl
          aria-labelledby="commitment-label"
          value={p.myCommitment ?? ''}
          onChange={answer}
          disabled={!p.abilities.commit || commit.isPending}
          data={[
            { value: 'yes', label: 'Yes, I’m in' },
            { value: 'no', label: 'No' },
          ]}
        />
      </Group>
    </Paper>
  );
}
