import { Badge, Group, Paper, Progress, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { formatShare, type ProgrammeDetail } from './labels';

type ProgressData = ProgrammeDetail['progress'];

/** The programme's three targets, each with where it stands now and a bar towards the target. */
export function TargetsPanel({ progress }: { progress: ProgressData }) {
  const { sessions, keyClients, atRisk } = progress;
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} mb="xl">
      <TargetCard
        title="Sessions"
        figure={sessions.target === null ? String(sessions.count) : `${sessions.count} of ${sessions.target}`}
        detail={`${sessions.held} held · ${sessions.count - sessions.held} still to take place`}
        value={sessions.target ? (sessions.count / sessions.target) * 100 : null}
        met={sessions.met}
        label="Sessions planned or held against the target"
      />
      <TargetCard
        title="Key clients heard"
        figure={formatShare(keyClients.share)}
        detail={`${keyClients.covered} of ${keyClients.total} key clients${keyClients.target === null ? '' : ` · target ${formatShare(keyClients.target)}`}`}
        value={keyClients.target ? ((keyClients.share ?? 0) / keyClients.target) * 100 : null}
        met={keyClients.met}
        label="Key clients covered against the target share"
      />
      <TargetCard
        title="At-risk sessions"
        figure={formatShare(atRisk.share)}
        detail={`${atRisk.count} of ${atRisk.sessions} sessions${atRisk.target === null ? '' : ` · at least ${formatShare(atRisk.target)}`}`}
        value={atRisk.target ? ((atRisk.share ?? 0) / atRisk.target) * 100 : null}
        met={atRisk.met}
        label="Share of sessions with at-risk clients against the minimum"
        help="Clients that are lapsed, lost or a lost pitch, or whose latest NPS was 0–6. Without them, what the firm hears comes from its happiest clients."
      />
    </SimpleGrid>
  );
}

interface TargetCardProps {
  title: string;
  figure: string;
  detail: string;
  /** Percent of the target reached, or null when there is no target. */
  value: number | null;
  met: boolean | null;
  label: string;
  help?: ReactNode;
}

function TargetCard({ title, figure, detail, value, met, label, help }: TargetCardProps) {
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap={6}>
        <Group justify="space-between" gap="xs">
          <Group gap={4}>
            <Text size="sm" fw={600}>
              {title}
            </Text>
            {help && (
              <Tooltip label={help} multiline w={280} withArrow>
                <IconInfoCircle size={16} aria-label={`About ${title.toLowerCase()}`} tabIndex={0} role="img" />
              </Tooltip>
            )}
          </Group>
          {met === null ? (
            <Badge variant="dot" color="gray" tt="none">
              No target
            </Badge>
          ) : met ? (
            <Badge variant="dot" color="teal" tt="none">
              Target met
            </Badge>
          ) : (
            <Badge variant="dot" color="orange" tt="none">
              Not yet
            </Badge>
          )}
        </Group>
        <Text fz={28} fw={700} lh={1.1} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {figure}
        </Text>
        {value !== null && <Progress value={Math.min(100, value)} color={met ? 'teal' : 'indigo'} aria-label={label} size="md" />}
        <Text size="sm" c="dimmed">
          {detail}
        </Text>
      </Stack>
    </Paper>
  );
}
