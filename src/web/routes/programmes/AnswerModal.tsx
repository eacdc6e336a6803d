import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import { notifySaved, showApiErrors } from '../../forms';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { CALENDAR_LABELS, type Nomination } from './labels';

export type Answer = 'yes' | 'not_now' | 'no';

interface AnswerModalProps {
  /** The nomination being answered and how; null when closed. */
  answering: { nomination: Nomination; answer: Exclude<Answer, 'yes'> } | null;
  onClose: () => void;
}

/** "Not now" (a reason and a date to ask again) or "no" (a reason), with the checks the API makes. */
export function AnswerModal({ answering, onClose }: AnswerModalProps) {
  const title = answering ? `${answering.answer === 'no' ? 'No' : 'Not now'} — ${answering.nomination.client.name}` : '';
  return (
    <Modal opened={answering !== null} onClose={onClose} title={title}>
      {answering && <AnswerForm nomination={answering.nomination} answer={answering.answer} onDone={onClose} />}
    </Modal>
  );
}

interface Values {
  reason: string;
  askAgainOn: string | null;
}

/** Invalidates what an answer changes: the inbox, the answered list and the programme's board. */
export function useAnswerNomination() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, answer, reason, askAgainOn }: { id: string; answer: Answer; reason?: string | null; askAgainOn?: string | null }) =>
      unwrap(api.POST('/api/v1/nominations/{id}/response', { params: { path: { id } }, body: { answer, reason, askAgainOn } })),
    onSuccess: async (n) => {
      await queryClient.invalidateQueries({ queryKey: ['nominations'] });
      await queryClient.invalidateQueries({ queryKey: ['programmes', 'detail', n.programme.id] });
    },
  });
}

function AnswerForm({ nomination, answer, onDone }: { nomination: Nomination; answer: Exclude<Answer, 'yes'>; onDone: () => void }) {
  const respond = useAnswerNomination();
  const tomorrow = dayjs().add(1, 'day').format('YYYY-MM-DD');
  const form = useForm<Values>({
    initialValues: { reason: '', askAgainOn: null },
    validate: {
      reason: (v) => (!v.trim() ? (answer === 'no' ? 'Say why not' : 'Say why not now') : v.length > 2000 ? 'Use at most 2,000 characters' : null),
      askAgainOn: (v) => (answer !== 'not_now' ? null : !v ? 'Choose when to ask again' : v < tomorrow ? 'Choose a date after today' : null),
    },
  });
  const save = async (values: Values) => {
    try {
      await respond.mutateAsync({
        id: nomination.id,
        answer,
        reason: values.reason.trim(),
        askAgainOn: answer === 'not_now' ? values.askAgainOn : null,
      });
      notifySaved(answer === 'no' ? 'Answer recorded' : `We will ask again on ${dayjs(values.askAgainOn).format(DATE_INPUT_FORMAT)}`);
      onDone();
    } catch (err) {
      showApiErrors(form, err);
    }
  };
  return (
    <form onSubmit={form.onSubmit(save)} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          {answer === 'no'
            ? 'The programme lead sees your reason; it helps them understand which clients cannot be asked.'
            : 'The nomination comes back to your inbox on the date you choose.'}
        </Text>
        <Textarea label="Reason" withAsterisk autosize minRows={3} maxRows={8} data-autofocus {...form.getInputProps('reason')} />
        {answer === 'not_now' && (
          <DatePickerInput
            label="Ask me again on"
            withAsterisk
            valueFormat={DATE_INPUT_FORMAT}
            placeholder="Pick a date"
            minDate={tomorrow}
            ariaLabels={CALENDAR_LABELS}
            {...form.getInputProps('askAgainOn')}
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            {answer === 'no' ? 'Answer no' : 'Answer not now'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
