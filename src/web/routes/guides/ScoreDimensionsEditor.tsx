import { ActionIcon, Alert, Button, Center, Group, Loader, Paper, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { randomId } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { notifySaved, showApiErrors } from '../../forms';
import { AdminQueryError } from '../admin/AdminsOnly';
import { StatusBadge } from '../admin/StatusBadge';
import { guideKeys, type ScoreDimension, useScoreDimensions } from './queries';

interface Row {
  uid: string;
  key?: string;
  label: string;
  active: boolean;
  inUse: boolean;
}

function toRows(items: ScoreDimension[]): Row[] {
  return items.map((d) => ({ uid: randomId(), key: d.key, label: d.label, active: d.active, inUse: d.inUse }));
}

function DimensionsForm({ items }: { items: ScoreDimension[] }) {
  const queryClient = useQueryClient();
  const form = useForm<{ items: Row[] }>({
    initialValues: { items: toRows(items) },
    validate: { items: { label: (v) => (v.trim() ? null : 'Enter a label') } },
  });
  const rows = form.values.items;
  const removedInUse = items.filter((d) => d.inUse && !rows.some((r) => r.key === d.key));

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          const body = { items: values.items.map((r) => ({ ...(r.key ? { key: r.key } : {}), label: r.label, active: r.active })) };
          const saved = await unwrap(api.PUT('/api/v1/score-dimensions', { body }));
          queryClient.setQueryData(guideKeys.dimensions, saved.items);
          form.setInitialValues({ items: toRows(saved.items) });
          form.setValues({ items: toRows(saved.items) });
          notifySaved('Score dimensions saved.');
        } catch (err) {
          showApiErrors(form, err);
        }
      })}
    >
      <Stack>
        <Text size="sm" c="dimmed" maw={680}>
          Clients score the firm 1–5 on each active dimension, in this order. A dimension that sessions already have scores on is deactivated rather than
          deleted, so past scores keep their label.
        </Text>
        {rows.length === 0 && <Text size="sm">No dimensions: sessions will record only the likelihood to recommend and overall satisfaction.</Text>}
        <Stack gap="xs">
          {rows.map((row, i) => (
            <Paper key={row.uid} withBorder p="sm" radius="md">
              <Group align="flex-end" wrap="wrap" gap="md">
                <TextInput label={`Dimension ${i + 1}`} required style={{ flex: 1, minWidth: 220 }} {...form.getInputProps(`items.${i}.label`)} />
                <Switch label="Active" mb={8} {...form.getInputProps(`items.${i}.active`, { type: 'checkbox' })} />
                {row.inUse && (
                  <Group mb={6}>
                    <StatusBadge color="teal">Has scores</StatusBadge>
                  </Group>
                )}
                <Group gap={2} mb={4} wrap="nowrap">
                  <Tooltip label="Move up">
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      aria-label={`Move ${row.label || `dimension ${i + 1}`} up`}
                      disabled={i === 0}
                      onClick={() => form.reorderListItem('items', { from: i, to: i - 1 })}
                    >
                      <IconArrowUp size={16} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label="Move down">
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      aria-label={`Move ${row.label || `dimension ${i + 1}`} down`}
                      disabled={i === rows.length - 1}
                      onClick={() => form.reorderListItem('items', { from: i, to: i + 1 })}
                    >
                      <IconArrowDown size={16} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label={row.inUse ? 'Remove (it will be deactivated, keeping past scores)' : 'Remove'}>
                    <ActionIcon
                      variant="subtle"
                      color="red.9"
                      aria-label={`Remove ${row.label || `dimension ${i + 1}`}`}
                      onClick={() => form.removeListItem('items', i)}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
        {removedInUse.length > 0 && (
          <Alert color="blue" title="Kept as inactive">
            {removedInUse.map((d) => d.label).join(', ')} {removedInUse.length === 1 ? 'has' : 'have'} scores from past sessions, so saving deactivates rather
            than deletes {removedInUse.length === 1 ? 'it' : 'them'}.
          </Alert>
        )}
        <Group justify="space-between">
          <Button
            variant="light"
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => form.insertListItem('items', { uid: randomId(), label: '', active: true, inUse: false })}
          >
            Add a dimension
          </Button>
          <Group gap="sm">
            <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
              Discard changes
            </Button>
            <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>
              Save dimensions
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

/** The configurable list of dimensions a session is scored on (admins and programme leads). */
export function ScoreDimensionsEditor() {
  const dimensions = useScoreDimensions();
  if (dimensions.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading score dimensions" />
      </Center>
    );
  }
  if (dimensions.isError) {
    return <AdminQueryError error={dimensions.error} onRetry={() => dimensions.refetch()} />;
  }
  return <DimensionsForm items={dimensions.data} />;
}
