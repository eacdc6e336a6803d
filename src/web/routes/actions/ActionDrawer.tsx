import { Alert, Anchor, Badge, Button, Divider, Drawer, Group, Loader, Modal, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import {
  type Action,
  type ActionStatus,
  formatDate,
  nextStatuses,
  ORIGIN_LABELS,
  PRIORITY_COLORS,
  PRIORITY_LABELS,
  STATUS_COLORS,
  STATUS_LABELS,
  statusVerb,
} from './labels';
import { actionKeys, useAction, useComments } from './queries';

/** An action in a side drawer: what, who, when, where it came from; status changes; comments. */
export function ActionDrawer({ actionId, onClose }: { actionId: string | null; onClose: () => void }) {
  const action = useAction(actionId);
  return (
    <Drawer opened={actionId !== null} onClose={onClose} position="right" size="lg" title={<Title order={3}>Action</Title>}>
      {action.isLoading && <Loader aria-label="Loading the action" />}
      {action.error && <QueryError error={action.error} onRetry={() => void action.refetch()} />}
      {action.data && <ActionDetail action={action.data} />}
    </Drawer>
  );
}

function ActionDetail({ action }: { action: Action }) {
  const [closing, setClosing] = useState<'done' | 'wont_do' | null>(null);
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (status: ActionStatus) => unwrap(api.PATCH('/api/v1/actions/{id}', { params: { path: { id: action.id } }, body: { status } })),
    onSuccess: async (updated) => {
      await queryClient.invalidateQueries({ queryKey: actionKeys.all });
      notifySaved(`Now ${STATUS_LABELS[updated.status].toLowerCase()}`);
    },
    onError: (err) => notifyFailed('Status not changed', err),
  });
  return (
    <Stack>
      <Title order={4}>{action.title}</Title>
      <Group gap="xs">
        <Badge color={STATUS_COLORS[action.status]} variant="dot">
          {STATUS_LABELS[action.status]}
        </Badge>
        <Badge color={PRIORITY_COLORS[action.priority]} variant="dot">
          {PRIORITY_LABELS[action.priority]} priority
        </Badge>
        {action.overdue && <Badge color="red.9">Overdue</Badge>}
        {action.escalatedTo && (
          <Badge color="orange.9" variant="outline">
            Escalated to {action.escalatedTo.name}
          </Badge>
        )}
      </Group>
      <dl className="action-facts" style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '0.25rem 1rem', margin: 0 }}>
        <Text component="dt" fw={500}>
          Client
        </Text>
        <Text component="dd" m={0}>
          <Anchor component={Link} to={`/clients/${action.client.id}`}>
            {action.client.name}
          </Anchor>
        </Text>
        <Text component="dt" fw={500}>
          Owner
        </Text>
        <Text component="dd" m={0}>
          {action.owner.name}
        </Text>
        <Text component="dt" fw={500}>
          Due
        </Text>
        <Text component="dd" m={0} c={action.overdue ? 'red.8' : undefined}>
          {formatDate(action.dueOn)}
        </Text>
        <Text component="dt" fw={500}>
          Origin
        </Text>
        <Text component="dd" m={0}>
          {ORIGIN_LABELS[action.origin]}
          {action.session && (
            <>
              {' · '}
              <Anchor component={Link} to={`/sessions/${action.session.id}`}>
                the session{action.session.startsAt ? ` of ${formatDate(action.session.startsAt)}` : ''}
              </Anchor>
            </>
          )}
        </Text>
      </dl>
      {action.insight && (
        <Alert variant="light" color="gray" title={`What was heard (${action.insight.type}, ${action.insight.severity})`}>
          {action.insight.summary}
        </Alert>
      )}
      {action.description && <Text style={{ whiteSpace: 'pre-wrap' }}>{action.description}</Text>}
      {action.status === 'done' && action.closureNote && (
        <Alert color="green" title="What was done">
          {action.closureNote}
        </Alert>
      )}
      {action.status === 'wont_do' && action.wontDoReason && (
        <Alert color="gray" title="Why it won’t be done">
          {action.wontDoReason}
        </Alert>
      )}
      {action.abilities.update && (
        <Group gap="sm">
          {nextStatuses(action.status).map((to) => (
            <Button
              key={to}
              variant={to === 'done' ? 'filled' : 'default'}
              loading={change.isPending && change.variables === to}
              onClick={() => (to === 'done' || to === 'wont_do' ? setClosing(to) : change.mutate(to))}
            >
              {statusVerb(to, action.status)}
            </Button>
          ))}
        </Group>
      )}
      <CloseModal action={action} closing={closing} onClose={() => setClosing(null)} />
      <Divider />
      <Comments action={action} />
    </Stack>
  );
}

/** Closing: done asks for a closure note (recommended), won't do for a reason (required). */
function CloseModal({ action, closing, onClose }: { action: Action; closing: 'done' | 'wont_do' | null; onClose: () => void }) {
  return (
    <Modal opened={closing !== null} onClose={onClose} title={closing === 'wont_do' ? 'Won’t do' : 'Mark done'}>
      {closing && <CloseForm action={action} closing={closing} onDone={onClose} />}
    </Modal>
  );
}

function CloseForm({ action, closing, onDone }: { action: Action; closing: 'done' | 'wont_do'; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { closureNote: action.closureNote ?? '', wontDoReason: '' },
    validate: { wontDoReason: (v) => (closing === 'wont_do' && !v.trim() ? 'Say why it will not be done' : null) },
  });
  const save = useMutation({
    mutationFn: (values: { closureNote: string; wontDoReason: string }) =>
      unwrap(
        api.PATCH('/api/v1/actions/{id}', {
          params: { path: { id: action.id } },
          body:
            closing === 'done'
              ? { status: 'done', closureNote: values.closureNote.trim() || null }
              : { status: 'wont_do', wontDoReason: values.wontDoReason.trim() },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: actionKeys.all });
      notifySaved(closing === 'done' ? 'Marked done' : 'Marked won’t do');
      onDone();
    },
    onError: (err) => showApiErrors(form, err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        {closing === 'done' ? (
          <Textarea
            label="Closure note"
            description="What was done: it feeds the “you said, we did” report"
            autosize
            minRows={3}
            data-autofocus
            {...form.getInputProps('closureNote')}
          />
        ) : (
          <Textarea label="Reason" withAsterisk autosize minRows={3} data-autofocus {...form.getInputProps('wontDoReason')} />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {closing === 'done' ? 'Mark done' : 'Won’t do'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Comments({ action }: { action: Action }) {
  const comments = useComments(action.id);
  const queryClient = useQueryClient();
  const form = useForm({ initialValues: { body: '' }, validate: { body: (v) => (v.trim() ? null : 'Write something first') } });
  const add = useMutation({
    mutationFn: (body: string) => unwrap(api.POST('/api/v1/actions/{id}/comments', { params: { path: { id: action.id } }, body: { body } })),
    onSuccess: async () => {
      form.reset();
      await queryClient.invalidateQueries({ queryKey: actionKeys.detail(action.id) });
      await queryClient.invalidateQueries({ queryKey: actionKeys.lists() });
    },
    onError: (err) => showApiErrors(form, err),
  });
  return (
    <Stack gap="sm">
      <Title order={5}>Comments</Title>
      {comments.isLoading && <Loader size="sm" aria-label="Loading comments" />}
      {comments.error && <QueryError error={comments.error} onRetry={() => void comments.refetch()} />}
      {comments.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No comments yet.
        </Text>
      )}
      {comments.data?.map((c) => (
        <div key={c.id}>
          <Text size="sm" fw={500}>
            {c.author?.name ?? 'Former user'}{' '}
            <Text span size="xs" c="dimmed">
              {new Date(c.createdAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}
            </Text>
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {c.body}
          </Text>
        </div>
      ))}
      {action.abilities.comment && (
        <form onSubmit={form.onSubmit((v) => add.mutate(v.body.trim()))} noValidate>
          <Stack gap="xs">
            <Textarea label="Add a comment" autosize minRows={2} {...form.getInputProps('body')} />
            <Group justify="flex-end">
              <Button type="submit" variant="default" loading={add.isPending}>
                Comment
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
