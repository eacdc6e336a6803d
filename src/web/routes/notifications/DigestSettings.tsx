import { Alert, Loader, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { notifyFailed, notifySaved } from '../../forms';
import { type DigestFrequency, WEEKDAYS } from './labels';

const DIGEST_KEY = ['my-digest'];

/** On the Account page: the user chooses a daily or weekly digest email, or none. */
export function DigestSettings() {
  const queryClient = useQueryClient();
  const pref = useQuery({ queryKey: DIGEST_KEY, queryFn: () => unwrap(api.GET('/api/v1/me/digest')) });
  const save = useMutation({
    mutationFn: (frequency: DigestFrequency) => unwrap(api.PUT('/api/v1/me/digest', { body: { frequency } })),
    // A read still under way would land after the save and show the old choice again.
    onMutate: () => queryClient.cancelQueries({ queryKey: DIGEST_KEY }),
    onSuccess: (data) => {
      queryClient.setQueryData(DIGEST_KEY, data);
      notifySaved(data.frequency === 'off' ? 'Digest emails turned off.' : `You will receive a ${data.frequency} digest.`);
    },
    onError: (err) => notifyFailed('Not saved', err),
  });
  const hour = pref.data ? `${String(pref.data.hourUtc).padStart(2, '0')}:00 UTC` : '';

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label="Digest email">
      <Stack gap="md">
        <div>
          <Title order={3} size="h4">
            Digest email
          </Title>
          <Text size="sm" c="dimmed">
            One email listing your due and overdue actions, overdue check-ins and nominations awaiting your answer. Nothing is sent when there is nothing to
            say.
          </Text>
        </div>
        {pref.isPending ? (
          <Loader size="sm" aria-label="Loading your digest setting" />
        ) : pref.isError ? (
          <Alert color="red" variant="outline">
            Could not load your digest setting.
          </Alert>
        ) : (
          <Radio.Group
            label="Send me a digest"
            // The choice shows at once; it falls back if the save fails.
            value={save.isPending && save.variables ? save.variables : pref.data.frequency}
            onChange={(v) => save.mutate(v as DigestFrequency)}
            description={`Daily digests go out at ${hour}; weekly ones on ${WEEKDAYS[pref.data.weeklyDay] ?? 'Monday'} at ${hour}.`}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="daily" label="Daily" disabled={save.isPending} />
              <Radio value="weekly" label="Weekly" disabled={save.isPending} />
              <Radio value="off" label="Off" disabled={save.isPending} />
            </Stack>
          </Radio.Group>
        )}
      </Stack>
    </Paper>
  );
}
