import { Alert, Button, Group, List, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBell } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { showApiErrors } from '../../forms';
import { plural } from './labels';
import { programmeKeys } from './queries';

type Result = Schemas['ReminderResult'];

/** Records reminders to partners who have not answered, and shows who was reminded. */
export function RemindersButton({ programmeId }: { programmeId: string }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button variant="default" leftSection={<IconBell size={16} aria-hidden />} onClick={() => setOpened(true)}>
        Send reminders
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Remind partners who have not answered">
        {opened && <RemindersForm programmeId={programmeId} onDone={() => setOpened(false)} />}
      </Modal>
    </>
  );
}

function RemindersForm({ programmeId, onDone }: { programmeId: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<Result | null>(null);
  const form = useForm<{ days: number | string }>({
    initialValues: { days: 7 },
    validate: { days: (v) => (typeof v !== 'number' || v < 0 || v > 365 || !Number.isInteger(v) ? 'Enter a whole number of days from 0 to 365' : null) },
  });
  const remind = useMutation({
    mutationFn: (days: number) => unwrap(api.POST('/api/v1/programmes/{id}/reminders', { params: { path: { id: programmeId } }, body: { days } })),
  });
  const send = async (values: { days: number | string }) => {
    try {
      setResult(await remind.mutateAsync(Number(values.days)));
      await queryClient.invalidateQueries({ queryKey: programmeKeys.nominations(programmeId) });
    } catch (err) {
      showApiErrors(form, err);
    }
  };

  if (result) {
    return (
      <Stack>
        <Alert color={result.reminded.length ? 'teal' : 'gray'} variant="light" role="status">
          {result.reminded.length === 0
            ? `Nobody to remind: no nomination has waited ${plural(result.days, 'day')} or more without a reminder.`
            : `Reminded ${plural(result.partners.length, 'partner')} about ${plural(result.reminded.length, 'nomination')}.`}
        </Alert>
        {result.partners.length > 0 && (
          <List size="sm" spacing={4}>
            {result.partners.map((p) => (
              <List.Item key={p.id}>
                {p.name}:{' '}
                {result.reminded
                  .filter((r) => r.partner.id === p.id)
                  .map((r) => r.client.name)
                  .join(', ')}
              </List.Item>
            ))}
          </List>
        )}
        <Group justify="flex-end">
          <Button onClick={onDone}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form onSubmit={form.onSubmit(send)} noValidate>
      <Stack>
        <NumberInput
          label="Waiting for at least (days)"
          description="Nominations unanswered this long, and not reminded in that time"
          min={0}
          max={365}
          allowNegative={false}
          allowDecimal={false}
          data-autofocus
          {...form.getInputProps('days')}
        />
        <Text size="sm" c="dimmed">
          No email is sent yet: each reminder is recorded, and partners see how many times they were reminded in their nominations inbox.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Send reminders
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
