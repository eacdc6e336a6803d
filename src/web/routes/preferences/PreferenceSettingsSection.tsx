import { Button, Group, Loader, NumberInput, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { QueryError } from '../../components/QueryError';
import { notifySaved, showApiErrors } from '../../forms';

type PreferenceSettings = Schemas['PreferenceSettings'];
const settingsKey = ['settings', 'preferences'] as const;

/** On the admin settings page: after how many days a preference is listed as "ask again". */
export function PreferenceSettingsSection() {
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => unwrap(api.GET('/api/v1/settings/preferences')) });
  if (settings.isLoading) {
    return <Loader aria-label="Loading the preference settings" />;
  }
  if (settings.error) {
    return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  return settings.data ? <PreferenceSettingsForm initial={settings.data} /> : null;
}

function PreferenceSettingsForm({ initial }: { initial: PreferenceSettings }) {
  const queryClient = useQueryClient();
  const form = useForm<PreferenceSettings>({ initialValues: initial });
  useEffect(() => {
    form.setInitialValues(initial);
  }, [initial, form.setInitialValues]);
  const save = useMutation({
    mutationFn: (values: PreferenceSettings) => unwrap(api.PUT('/api/v1/settings/preferences', { body: values })),
    onSuccess: async (saved) => {
      form.setValues(saved);
      form.resetDirty(saved);
      await queryClient.invalidateQueries({ queryKey: settingsKey });
      await queryClient.invalidateQueries({ queryKey: ['preferences'] });
      notifySaved('Preference settings saved');
    },
    onError: (err) => showApiErrors(form, err),
  });
  const props = form.getInputProps('staleAfterDays');
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <Paper withBorder p="md">
          <Stack>
            <Title order={3} size="h4">
              Client preferences
            </Title>
            <Text size="sm" c="dimmed">
              A preference nobody has confirmed for this long is listed under “Ask again”, so that someone checks it still holds.
            </Text>
            <NumberInput
              label="Ask again after (days)"
              min={1}
              max={3650}
              allowDecimal={false}
              {...props}
              onChange={(v) => form.setFieldValue('staleAfterDays', typeof v === 'number' ? v : Number.NaN)}
            />
          </Stack>
        </Paper>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            Save preference settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
