import { Badge, Group, Loader, Modal, Stack, Text, Timeline } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../../api/client';
import { QueryError } from '../../components/QueryError';
import { formatDateTime } from '../admin/labels';
import { type Preference, preferenceKeys } from './labels';

type Entry = Schemas['PreferenceHistoryEntry'];

const CHANGE_LABELS: Record<Entry['change'], string> = {
  created: 'Recorded',
  updated: 'Edited',
  confirmed: 'Confirmed as still true',
  archived: 'Archived',
  restored: 'Restored',
};

const FIELD_LABELS: Record<string, string> = {
  statement: 'Statement',
  category: 'Category',
  rule: 'Rule',
  contactId: 'Contact',
  source: 'Source',
  sourcePerson: 'Who told us',
  learnedOn: 'Learned on',
  lastConfirmedOn: 'Last confirmed',
  archived: 'Archived',
};

function changedFields(e: Entry): string[] {
  if (!e.before || !e.after) {
    return [];
  }
  return Object.keys(FIELD_LABELS).filter((k) => JSON.stringify(e.before?.[k]) !== JSON.stringify(e.after?.[k]));
}

/** Every change of a preference: who, when, and which fields. */
export function PreferenceHistoryModal({ preference, onClose }: { preference: Preference | null; onClose: () => void }) {
  const history = useQuery({
    queryKey: [...preferenceKeys.all, 'history', preference?.id],
    queryFn: () => unwrap(api.GET('/api/v1/preferences/{id}/history', { params: { path: { id: preference?.id ?? '' } } })),
    enabled: !!preference,
  });
  return (
    <Modal opened={!!preference} onClose={onClose} title="History of this preference" size="lg">
      {history.isLoading ? (
        <Group role="status" aria-label="Loading the history">
          <Loader size="sm" />
        </Group>
      ) : history.isError ? (
        <QueryError error={history.error} onRetry={() => history.refetch()} />
      ) : (
        <Timeline bulletSize={14} lineWidth={2}>
          {(history.data?.items ?? []).map((e) => (
            <Timeline.Item key={e.id} title={CHANGE_LABELS[e.change]}>
              <Stack gap={2}>
                <Text size="xs" c="dimmed">
                  {e.changedBy?.name ?? 'System'} · {formatDateTime(e.changedAt)}
                </Text>
                {e.change === 'updated' && (
                  <Group gap={4}>
                    {changedFields(e).map((f) => (
                      <Badge key={f} variant="dot" color="gray">
                        {FIELD_LABELS[f]}
                      </Badge>
                    ))}
                  </Group>
                )}
                {e.change === 'updated' && typeof e.before?.statement === 'string' && e.before.statement !== e.after?.statement && (
                  <Text size="sm">Was: “{e.before.statement}”</Text>
                )}
              </Stack>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Modal>
  );
}
