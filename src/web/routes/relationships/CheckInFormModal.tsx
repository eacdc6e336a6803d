import { Blockquote, Button, Group, Modal, Radio, Select, Stack, Text, Textarea } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { ClientPicker, ContactPicker } from '../../components/Pickers';
import { notifySaved, showApiErrors } from '../../forms';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { insightKeys } from '../insights/queries';
import { CALENDAR_LABELS } from '../programmes/labels';
import { type CheckIn, CheckInActionModal } from './CheckInFollowUps';

type Channel = components['schemas']['CheckIn']['channel'];

export const CHANNEL_LABELS: Record<Channel, string> = {
  meeting: 'Meeting',
  call: 'Call',
  video: 'Video call',
  email: 'Email',
  event: 'Event',
  other: 'Other',
};

export const checkInKeys = { all: ['check-ins'] as const };

/** Where a new check-in may start from: a client (and one of its contacts), e.g. from the losing-touch list. */
export interface CheckInSeed {
  client?: { id: string; name: string };
  contactId?: string | null;
  /** "Was it fixed?": the check-in asks the client about a concern with a recovery check waiting. */
  recovery?: { insightId: string; summary: string; quote: string | null };
}

interface Values {
  clientId: string | null;
  contactId: string | null;
  heldOn: string | null;
  channel: Channel;
  likes: string;
  oneThingBetter: string;
  notes: string;
  fixed: '' | 'yes' | 'no';
  answer: string;
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * "Log check-in": who, when, how, and the two questions that matter. Seeded with a concern, it
 * asks "Was it fixed?" too; when the client says no, it offers the follow-up action at once.
 */
export function CheckInFormModal({ seed, onClose }: { seed: CheckInSeed | null; onClose: () => void }) {
  const [followUp, setFollowUp] = useState<CheckIn | null>(null);
  return (
    <>
      <Modal opened={seed !== null} onClose={onClose} title={seed?.recovery ? 'Was it fixed?' : 'Log check-in'} size="lg">
        {seed && (
          <CheckInForm
            seed={seed}
            onCancel={onClose}
            onDone={(created) => {
              if (created.recovery && !created.recovery.fixed) {
                setFollowUp(created);
              }
              onClose();
            }}
          />
        )}
      </Modal>
      <CheckInActionModal checkIn={followUp} onClose={() => setFollowUp(null)} />
    </>
  );
}

function CheckInForm({ seed, onDone, onCancel }: { seed: CheckInSeed; onDone: (created: CheckIn) => void; onCancel: () => void }) {
  const recovery = seed.recovery;
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      clientId: seed.client?.id ?? null,
      contactId: seed.contactId ?? null,
      heldOn: today(),
      channel: 'call',
      likes: '',
      oneThingBetter: '',
      notes: '',
      fixed: '',
      answer: '',
    },
    validate: {
      fixed: (v) => (recovery && !v ? 'Say whether the client thinks it is fixed' : null),
      clientId: (v) => (v ? null : 'Choose the client'),
      heldOn: (v) => (!v ? 'Say when it happened' : v > today() ? 'Must not be in the future' : null),
    },
  });
  const create = useMutation({
    mutationFn: (v: Values) =>
      unwrap(
        api.POST('/api/v1/check-ins', {
          body: {
            clientId: v.clientId ?? '',
            contactId: v.contactId,
            heldOn: v.heldOn ?? '',
            channel: v.channel,
            likes: v.likes.trim() || null,
            oneThingBetter: v.oneThingBetter.trim() || null,
            notes: v.notes.trim() || null,
            ...(recovery && {
              recoveryForInsightId: recovery.insightId,
              recoveryFixed: v.fixed === 'yes',
              recoveryAnswer: v.answer.trim() || null,
            }),
          },
        }),
      ),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: checkInKeys.all });
      if (recovery) {
        await queryClient.invalidateQueries({ queryKey: insightKeys.all });
      }
      notifySaved(recovery ? 'Answer recorded against the concern' : 'Check-in logged');
      onDone(created);
    },
    onError: (err) => showApiErrors(form, err, { recoveryFixed: 'fixed', recoveryAnswer: 'answer' }),
  });
  const clientId = form.getValues().clientId;

  return (
    <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
      <Stack>
        {recovery && (
          <Stack gap="xs">
            <Text size="sm">Every action on this concern is closed. Ask the client whether it is now fixed:</Text>
            <Blockquote color="gray" p="sm">
              <Text size="sm" fw={500}>
                {recovery.summary}
              </Text>
              {recovery.quote && (
                <Text size="sm" fs="italic">
                  “{recovery.quote}”
                </Text>
              )}
            </Blockquote>
            <Radio.Group label="Is it fixed now?" withAsterisk {...form.getInputProps('fixed')}>
              <Group mt="xs">
                <Radio value="yes" label="Yes, it is fixed" />
                <Radio value="no" label="No, not yet" />
              </Group>
            </Radio.Group>
            <Textarea label="What they said" autosize minRows={2} maxRows={6} maxLength={5000} {...form.getInputProps('answer')} />
          </Stack>
        )}
        <ClientPicker
          autoFocus={!recovery}
          disabled={Boolean(recovery)}
          initial={seed.client ?? null}
          {...form.getInputProps('clientId')}
          onChange={(id) => {
            form.setFieldValue('clientId', id);
            form.setFieldValue('contactId', null);
          }}
        />
        {clientId && <ContactPicker label="With" clientId={clientId} {...form.getInputProps('contactId')} />}
        <Group grow align="flex-start">
          <DatePickerInput
            label="Held on"
            withAsterisk
            valueFormat={DATE_INPUT_FORMAT}
            maxDate={today()}
            ariaLabels={CALENDAR_LABELS}
            {...form.getInputProps('heldOn')}
          />
          <Select
            label="How"
            data={Object.entries(CHANNEL_LABELS).map(([value, label]) => ({ value, label }))}
            allowDeselect={false}
            {...form.getInputProps('channel')}
          />
        </Group>
        <Textarea label="What do they like?" autosize minRows={2} maxRows={6} maxLength={5000} {...form.getInputProps('likes')} />
        <Textarea
          label="If one thing could be better, what would it be?"
          autosize
          minRows={2}
          maxRows={6}
          maxLength={5000}
          {...form.getInputProps('oneThingBetter')}
        />
        <Textarea label="Notes" autosize minRows={2} maxRows={8} maxLength={5000} {...form.getInputProps('notes')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            {recovery ? 'Record the answer' : 'Log check-in'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
