import { Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved } from '../../forms';
import { formatDateTime } from '../admin/labels';
import { OneTimeSecretModal } from '../admin/OneTimeSecretModal';
import { preferenceKeys } from './labels';

/** The account page's calendar feed: subscribe to reports due; the link is shown once and can be revoked. */
export function CalendarFeedSection() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState<string | null>(null);
  const [revoking, setRevoking] = useState(false);
  const status = useQuery({ queryKey: preferenceKeys.calendarToken, queryFn: () => unwrap(api.GET('/api/v1/me/calendar-token')) });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/calendar-token')),
    onSuccess: async (created) => {
      setUrl(`${window.location.origin}${created.path}`);
      await queryClient.invalidateQueries({ queryKey: preferenceKeys.calendarToken });
    },
    onError: (err) => notifyFailed('No feed link created', err),
  });
  return (
    <Paper withBorder p="lg">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Calendar feed
        </Title>
        <Text size="sm" c="dimmed">
          Subscribe in Outlook, Google or Apple Calendar to see the reports your clients expect, on the day they are due. The link works without signing in, so
          treat it like a password; revoke it if it leaks.
        </Text>
        {status.isLoading ? (
          <Loader size="sm" aria-label="Loading the feed status" />
        ) : status.isError ? (
          <QueryError error={status.error} onRetry={() => status.refetch()} />
        ) : (
          <Group justify="space-between">
            <Text size="sm">
              {status.data?.active ? `Active link ${status.data.prefix}… created ${formatDateTime(status.data.createdAt ?? '')}` : 'No feed link yet.'}
            </Text>
            <Group gap="xs">
              <Button variant="default" onClick={() => create.mutate()} loading={create.isPending}>
                {status.data?.active ? 'Replace the link' : 'Create a feed link'}
              </Button>
              {status.data?.active && (
                <Button variant="outline" color="red.9" onClick={() => setRevoking(true)}>
                  Revoke
                </Button>
              )}
            </Group>
          </Group>
        )}
      </Stack>
      <OneTimeSecretModal opened={!!url} title="Calendar feed link created" label="Feed link" secret={url ?? ''} onClose={() => setUrl(null)}>
        <Text size="sm">Add it to your calendar as a subscription (“From URL” or “Subscribe to calendar”).</Text>
      </OneTimeSecretModal>
      <ConfirmDialog
        opened={revoking}
        title="Revoke the calendar feed link?"
        confirmLabel="Revoke"
        onClose={() => setRevoking(false)}
        onConfirm={async () => {
          try {
            await unwrap(api.DELETE('/api/v1/me/calendar-token'));
            await queryClient.invalidateQueries({ queryKey: preferenceKeys.calendarToken });
            notifySaved('Calendar feed link revoked');
            setRevoking(false);
          } catch (err) {
            notifyFailed('Not revoked', err);
          }
        }}
      >
        <Text size="sm">Calendars subscribed with it stop updating. You can create a new link at any time.</Text>
      </ConfirmDialog>
    </Paper>
  );
}
