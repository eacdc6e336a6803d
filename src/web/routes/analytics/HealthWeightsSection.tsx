import { Button, Group, Loader, NumberInput, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, unwrap } from '../../api/client';
import { QueryError } from '../../components/QueryError';
import { notifySaved, showApiErrors } from '../../forms';
import type { HealthSettings, HealthWeightKey, HealthWeights } from './health-labels';
import { WEIGHT_LABELS } from './health-labels';

const settingsKey = ['settings', 'health'] as const;
/** As the API: one sign can take at most the whole score. */
const MAX_WEIGHT = 100;
const KEYS = Object.keys(WEIGHT_LABELS) as HealthWeightKey[];

/** The same rules as the API's, so a mistake shows before saving (the API checks again and names the field). */
export function validateWeights(values: HealthWeights): Partial<Record<HealthWeightKey, string>> {
  const errors: Partial<Record<HealthWeightKey, string>> = {};
  for (const key of KEYS) {
    const v = values[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      errors[key] = 'Enter a number (0 turns the sign off)';
    } else if (v < 0) {
      errors[key] = 'Must not be negative';
    } else if (v > MAX_WEIGHT) {
      errors[key] = `Must be at most ${MAX_WEIGHT}`;
    }
  }
  if (Object.keys(errors).length === 0 && KEYS.every((k) => values[k] === 0)) {
    errors[KEYS[0] as HealthWeightKey] = 'Weights may not all be zero: the score would say nothing';
  }
  return errors;
}

/** On the admin settings page: the points each warning sign takes off a client's health score. */
export function HealthWeightsSection() {
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => unwrap(api.GET('/api/v1/settings/health')) });
  if (settings.isLoading) {
    return <Loader aria-label="Loading the client health weights" />;
  }
  if (settings.error) {
    return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  return settings.data ? <HealthWeightsForm initial={settings.data} /> : null;
}

function HealthWeightsForm({ initial }: { initial: HealthSettings }) {
  const queryClient = useQueryClient();
  const form = useForm<HealthWeights>({ initialValues: initial.weights, validate: validateWeights, validateInputOnBlur: true });
  useEffect(() => {
    form.setInitialValues(initial.weights);
  }, [initial, form.setInitialValues]);
  const save = useMutation({
    mutationFn: (values: HealthWeights) => unwrap(api.PUT('/api/v1/settings/health', { body: values })),
    onSuccess: async (saved) => {
      form.setValues(saved.weights);
      form.resetDirty(saved.weights);
      await queryClient.invalidateQueries({ queryKey: settingsKey });
      // Every score depends on the weights.
      await queryClient.invalidateQueries({ queryKey: ['analytics', 'health'] });
      notifySaved('Client health weights saved');
    },
    onError: (err) => showApiErrors(form, err),
  });
  const atDefaults = KEYS.every((k) => form.values[k] === initial.defaults[k]);
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <Paper withBorder p="md" component="section" aria-labelledby="health-weights-title">
          <Stack>
            <Title order={3} size="h4" id="health-weights-title">
              Client health weights
            </Title>
            <Text size="sm" c="dimmed">
              Every client starts at 100; each warning sign takes off its points (per occurrence where it says so), never below 0. A client is healthy from 70,
              on watch from 40 and at risk below. 0 turns a sign off; at most {MAX_WEIGHT}. New weights apply to today’s scores at once; past daily snapshots
              keep the scores they had.
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {KEYS.map((key) => {
                const props = form.getInputProps(key);
                return (
                  <NumberInput
                    key={key}
                    label={WEIGHT_LABELS[key].label}
                    description={`${WEIGHT_LABELS[key].help}. Default ${initial.defaults[key]}.`}
                    min={0}
                    max={MAX_WEIGHT}
                    clampBehavior="none"
                    decimalScale={2}
                    {...props}
                    onChange={(v) => form.setFieldValue(key, typeof v === 'number' ? v : Number.NaN)}
                  />
                );
              })}
            </SimpleGrid>
          </Stack>
        </Paper>
        <Group justify="flex-end">
          <Button variant="default" disabled={atDefaults} onClick={() => form.setValues(initial.defaults)}>
            Reset to defaults
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            Save health weights
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
