import { Anchor, Group, Loader, Select, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../actions/labels';
import { preferenceKeys } from './labels';

const RANGES = [
  { value: '14', label: 'Next 2 weeks' },
  { value: '30', label: 'Next 30 days' },
  { value: '90', label: 'Next 90 days' },
];

/** /reports-due: reports the clients asked for, from their reporting schedules, earliest first. */
export function ReportsDuePage() {
  const [days, setDays] = useState('30');
  const due = useQuery({
    queryKey: [...preferenceKeys.reportsDue, days],
    queryFn: () => unwrap(api.GET('/api/v1/me/reports-due', { params: { query: { days: Number(days) } } })),
  });
  return (
    <>
      <PageHeader
        title="Reports due"
        description="Reports clients expect without asking, from the reporting schedules in their preferences. Subscribe to them in your calendar from your account page."
      />
      <Group mb="md">
        <Select label="Show" data={RANGES} value={days} onChange={(v) => setDays(v ?? '30')} allowDeselect={false} w={200} />
      </Group>
      {due.isLoading ? (
        <Group role="status" aria-label="Loading reports due">
          <Loader size="sm" />
        </Group>
      ) : due.isError ? (
        <QueryError error={due.error} onRetry={() => due.refetch()} />
      ) : (due.data?.items.length ?? 0) === 0 ? (
        <EmptyState title="No reports due">No client you can see expects a report in this period.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Due</Table.Th>
                <Table.Th>Client</Table.Th>
                <Table.Th>Report</Table.Th>
                <Table.Th>For the meeting on</Table.Th>
                <Table.Th>What they said</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {due.data?.items.map((r) => (
                <Table.Tr key={r.uid}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.dueOn)}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/clients/${r.client.id}/brief`}>
                      {r.client.name}
                    </Anchor>
                    {r.contact && (
                      <Text size="xs" c="dimmed">
                        {r.contact.name}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.report}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.meetingOn)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      “{r.statement}”
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
