import { Button, Group, Loader, NumberInput, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { notifySaved, showApiErrors } from '../../forms';
import { HealthWeightsSection } from '../analytics/HealthWeightsSection';
import { PreferenceSettingsSection } from '../preferences/PreferenceSettingsSection';
import { actionKeys } from './queries';

type LoopSettings = Schemas['LoopSettings'];
type CadenceDefaults = Schemas['CadenceDefaults'];

const cadenceKey = ['settings', 'cadence'] as const;

/** /admin/settings: when feedback counts as unactioned, when actions escalate, which answers raise actions. */
export function LoopSettingsPage() {
  const { abilities } = useAuth();
  const settings = useQuery({
    queryKey: actionKeys.settings,
    queryFn: () => unwrap(api.GET('/api/v1/settings/loop')),
    enabled: abilities?.manageSettings === true,
  });
  const cadence = useQuery({
    queryKey: cadenceKey,
    queryFn: () => unwrap(api.GET('/api/v1/settings/cadence')),
    enabled: abilities?.manageSettings === true,
  });
  if (!abilities?.manageSettings) {
    return <EmptyState title="Settings are for administrators">Ask an administrator to change how the feedback loop works.</EmptyState>;
  }
  return (
    <Stack maw={640}>
      <PageHeader title="Settings" description="How the firm closes the loop on what clients tell it" />
      {settings.isLoading && <Loader aria-label="Loading settings" />}
      {settings.error && <QueryError error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data && <SettingsForm initial={settings.data} />}
      {cadence.isLoading && <Loader aria-label="Loading the check-in cadence defaults" />}
      {cadence.error && <QueryError error={cadence.error} onRetry={() => void cadence.refetch()} />}
      {cadence.data && <CadenceForm initial={cadence.data} />}
      <PreferenceSettingsSection />
      <HealthWeightsSection />
    </Stack>
  );
}

function SettingsForm({ initial }: { initial: LoopSettings }) {
  const queryClient = useQueryClient();
  const form = useForm<LoopSettings>({ initialValues: initial });
  useEffect(() => {
    form.setInitialValues(initial);
  }, [initial, form.setInitialValues]);
  const save = useMutation({
    mutationFn: (values: LoopSettings) => unwrap(api.PUT('/api/v1/settings/loop', { body: values })),
    onSuccess: async (saved) => {
      form.setValues(saved);
      form.resetDirty(saved);
      await queryClient.invalidateQueries({ queryKey: actionKeys.settings });
      notifySaved('Settings saved');
    },
    onError: (err) => showApiErrors(form, err),
  });
  const number = (field: 'unactionedAfterDays' | 'escalateAfterDays' | 'autoActionDueDays' | 'recoveryAfterDays') => {
    const props = form.getInputProps(field);
    return { ...props, onChange: (v: string | number) => form.setFieldValue(field, typeof v === 'number' ? v : Number.NaN) };
  };
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <Paper withBorder p="md">
          <Stack>
            <Title order={3} size="h4">
              Follow-up
            </Title>
            <NumberInput
              label="Feedback counts as unactioned after (days)"
              description="Concerns and risks with no action after this many days are listed as “feedback unactioned”"
              min={1}
              max={365}
              allowDecimal={false}
              {...number('unactionedAfterDays')}
            />
            <NumberInput
              label="Escalate untouched actions after (days)"
              description="An open action nobody has changed or commented on for this long escalates to the programme lead"
              min={1}
              max={365}
              allowDecimal={false}
              {...number('escalateAfterDays')}
            />
            <NumberInput
              label="Ask whether a concern is fixed after (days)"
              description="When every action on a concern is closed, a recovery check is due this many days later: a check-in that asks the client whether it is now fixed"
              min={1}
              max={180}
              allowDecimal={false}
              {...number('recoveryAfterDays')}
            />
          </Stack>
        </Paper>
        <Paper withBorder p="md">
          <Stack>
            <Title order={3} size="h4">
              Automatic actions
            </Title>
            <Switch
              label="Raise an action for the relationship partner on every detractor score (NPS 0–6)"
              {...form.getInputProps('autoActionOnDetractor', { type: 'checkbox' })}
            />
            <Switch
              label="Raise an action for the relationship partner on every high-severity concern"
              {...form.getInputProps('autoActionOnHighConcern', { type: 'checkbox' })}
            />
            <NumberInput label="Automatic actions are due after (days)" min={1} max={90} allowDecimal={false} {...number('autoActionDueDays')} />
          </Stack>
        </Paper>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Firm-wide check-in cadence: how often key clients and every other client should hear from the firm. */
function CadenceForm({ initial }: { initial: CadenceDefaults }) {
  const queryClient = useQueryClient();
  const form = useForm<CadenceDefaults>({
    initialValues: initial,
    validate: {
      keyClient: { maxDays: (v, values) => (v < values.keyClient.idealDays ? 'Must be at least the ideal days' : null) },
      otherClient: { maxDays: (v, values) => (v < values.otherClient.idealDays ? 'Must be at least the ideal days' : null) },
    },
  });
  useEffect(() => {
    form.setInitialValues(initial);
  }, [initial, form.setInitialValues]);
  const save = useMutation({
    mutationFn: (values: CadenceDefaults) => unwrap(api.PUT('/api/v1/settings/cadence', { body: values })),
    onSuccess: async (saved) => {
      form.setValues(saved);
      form.resetDirty(saved);
      await queryClient.invalidateQueries({ queryKey: cadenceKey });
      notifySaved('Cadence defaults saved');
    },
    onError: (err) => showApiErrors(form, err),
  });
  const days = (field: 'keyClient.idealDays' | 'keyClient.maxDays' | 'otherClient.idealDays' | 'otherClient.maxDays') => {
    const props = form.getInputProps(field);
    return { ...props, onChange: (v: string | number) => form.setFieldValue(field, typeof v === 'number' ? v : Number.NaN) };
  };
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <Paper withBorder p="md">
          <Stack>
            <Title order={3} size="h4">
              Check-in cadence defaults
            </Title>
            <Text size="sm" c="dimmed">
              How often a client should hear from the firm when it has no cadence of its own: green within the ideal, amber up to the maximum, red past it.
            </Text>
            <Group grow align="flex-start">
              <NumberInput label="Key clients: ideal (days)" min={1} max={730} allowDecimal={false} {...days('keyClient.idealDays')} />
              <NumberInput label="Key clients: at most (days)" min={1} max={730} allowDecimal={false} {...days('keyClient.maxDays')} />
            </Group>
            <Group grow align="flex-start">
              <NumberInput label="Other clients: ideal (days)" min={1} max={730} allowDecimal={false} {...days('otherClient.idealDays')} />
              <NumberInput label="Other clients: at most (days)" min={1} max={730} allowDecimal={false} {...days('otherClient.maxDays')} />
            </Group>
          </Stack>
        </Paper>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            Save cadence defaults
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
