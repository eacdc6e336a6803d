import { Alert, Group, Skeleton, Stack, Switch, Table, Text } from '@mantine/core';
import { IconFlag } from '@tabler/icons-react';
import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import type { ParticipationRow } from './labels';
import { useParticipation } from './queries';

/**
 * Per-partner participation, with the partners who said yes to the programme yet put no client
 * forward highlighted: the second buy-in hurdle, in one table.
 */
export function ParticipationTable({ programmeId }: { programmeId: string }) {
  const participation = useParticipation(programmeId);
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  if (participation.isPending) {
    return <Skeleton height={200} radius="md" aria-label="Loading participation" role="status" />;
  }
  if (participation.isError) {
    return <QueryError error={participation.error} onRetry={() => participation.refetch()} />;
  }
  const { items, flagged } = participation.data;
  if (items.length === 0) {
    return <EmptyState title="No partners yet">Partners appear here once they answer the programme or are asked about a client.</EmptyState>;
  }
  const rows = flaggedOnly ? items.filter((r) => r.saidYesPutNothingForward) : items;
  return (
    <Stack gap="sm">
      {flagged > 0 && (
        <Alert color="red" variant="light" icon={<IconFlag size={18} aria-hidden />} p="sm">
          {flagged === 1 ? '1 partner' : `${flagged} partners`} said yes to the programme but put no client forward.
        </Alert>
      )}
      <Group>
        <Switch label="Only partners flagged" checked={flaggedOnly} onChange={(e) => setFlaggedOnly(e.currentTarget.checked)} />
      </Group>
      <Table.ScrollContainer minWidth={1100}>
        <Table verticalSpacing="xs" striped={false}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Partner</Table.Th>
              <Table.Th>Taking part</Table.Th>
              <Num>Proposed</Num>
              <Num>Yes</Num>
              <Num>Not now</Num>
              <Num>No</Num>
              <Num>Volunteered</Num>
              <Num>Not answered</Num>
              <Table.Th>Unhappy or lost put forward</Table.Th>
              <Table.Th>Flag</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Row key={r.partner.id} row={r} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 && (
        <Text size="sm" c="dimmed">
          No partner is flagged.
        </Text>
      )}
    </Stack>
  );
}

function Num({ children }: { children: React.ReactNode }) {
  return <Table.Th style={{ textAlign: 'right' }}>{children}</Table.Th>;
}

function Cell({ n }: { n: number }) {
  return (
    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
      {n}
    </Table.Td>
  );
}

function Row({ row: r }: { row: ParticipationRow }) {
  return (
    <Table.Tr bg={r.saidYesPutNothingForward ? 'var(--mantine-color-red-0)' : undefined}>
      <Table.Td fw={600}>{r.partner.name}</Table.Td>
      <Table.Td>{r.commitment === 'yes' ? 'Yes' : r.commitment === 'no' ? 'No' : 'Not answered'}</Table.Td>
      <Cell n={r.proposed} />
      <Cell n={r.accepted} />
      <Cell n={r.deferred} />
      <Cell n={r.declined} />
      <Cell n={r.volunteered} />
      <Cell n={r.notAnswered} />
      <Table.Td>
        {r.putForwardUnhappyOrLost ? `Yes (${r.atRiskPutForward}${r.lostPutForward ? `, ${r.lostPutForward} lost` : ''})` : r.putForward > 0 ? 'No' : '—'}
      </Table.Td>
      <Table.Td>
        {r.saidYesPutNothingForward && (
          <Group gap={4} wrap="nowrap" c="red.9">
            <IconFlag size={16} aria-hidden />
            <Text size="sm" fw={700} inherit>
              Said yes, put nothing forward
            </Text>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
