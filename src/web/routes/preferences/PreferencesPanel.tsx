import { ActionIcon, Badge, Button, Collapse, Group, Loader, Menu, Modal, Paper, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconDots, IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, api, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { formatDate } from '../actions/labels';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { useContacts } from '../clients/queries';
import {
  CATEGORY_COLORS,
  CATEGORY_LABELS,
  CATEGORY_OPTIONS,
  type Preference,
  type PreferenceCategory,
  type PreferenceSource,
  preferenceKeys,
  RULE_KINDS_BY_CATEGORY,
  ruleSummary,
  SOURCE_LABELS,
} from './labels';
import { PreferenceHistoryModal } from './PreferenceHistoryModal';
import { EMPTY_RULE, fromRule, RULE_FIELD_MAP, RuleFields, type RuleValues, toRule } from './RuleFields';

const PAGE_SIZE = 50;

interface FormValues extends RuleValues {
  category: PreferenceCategory;
  statement: string;
  contactId: string | null;
  source: PreferenceSource;
  sourcePerson: string;
  learnedOn: string | null;
}

const sourceOptions = (Object.keys(SOURCE_LABELS) as PreferenceSource[]).map((value) => ({ value, label: SOURCE_LABELS[value] }));

function useContactOptions(clientId: string) {
  const contacts = useContacts(clientId);
  return (contacts.data ?? []).filter((c) => !c.leftOn).map((c) => ({ value: c.id, label: c.preferredName ? `${c.name} (${c.preferredName})` : c.name }));
}

/**
 * A client's (or one contact's) preferences: a quick add that takes seconds (category, the
 * client's words, Enter), then edit, "still true", archive with undo, and the history.
 */
export function PreferencesPanel({ clientId, contactId, canEdit }: { clientId: string; contactId?: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Preference | null>(null);
  const [history, setHistory] = useState<Preference | null>(null);
  const [archivedView, setArchivedView] = useState(false);
  const list = useInfiniteQuery({
    queryKey: [...preferenceKeys.all, 'list', clientId, contactId ?? null, archivedView],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/preferences', {
          params: {
            query: {
              clientId,
              ...(contactId ? { contactId } : {}),
              ...(archivedView ? { archived: 'true' as const } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
              limit: PAGE_SIZE,
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: preferenceKeys.all });
  const act = useMutation({
    mutationFn: ({ id, what }: { id: string; what: 'confirm' | 'archive' | 'restore' }) =>
      unwrap(
        what === 'confirm'
          ? api.POST('/api/v1/preferences/{id}/confirm', { params: { path: { id } } })
          : what === 'archive'
            ? api.POST('/api/v1/preferences/{id}/archive', { params: { path: { id } } })
            : api.POST('/api/v1/preferences/{id}/restore', { params: { path: { id } } }),
      ),
    onSuccess: async (pref, { what }) => {
      await invalidate();
      if (what === 'archive') {
        const notice = notifications.show({
          color: 'gray',
          message: (
            <Group gap="sm" justify="space-between">
              <Text size="sm">Preference archived.</Text>
              <Button
                size="compact-sm"
                variant="default"
                onClick={() => {
                  notifications.hide(notice);
                  act.mutate({ id: pref.id, what: 'restore' });
                }}
              >
                Undo
              </Button>
            </Group>
          ),
        });
      } else {
        notifySaved(what === 'confirm' ? 'Confirmed as still true today' : 'Preference restored');
      }
    },
    onError: (err) => notifyFailed('Not saved', err),
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      {canEdit && !archivedView && <QuickAdd clientId={clientId} contactId={contactId} onSaved={invalidate} />}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {archivedView ? 'Archived preferences: no longer true.' : 'What they want, in their words. Stale ones are marked “ask again”.'}
        </Text>
        <Button variant="default" size="compact-sm" onClick={() => setArchivedView((v) => !v)}>
          {archivedView ? 'Show current' : 'Show archived'}
        </Button>
      </Group>
      {list.isLoading ? (
        <Group role="status" aria-label="Loading preferences">
          <Loader size="sm" />
        </Group>
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={archivedView ? 'Nothing archived' : 'No preferences recorded'}>
          {archivedView ? 'Archived preferences appear here.' : 'When you hear how they like things done, record it above: it takes seconds.'}
        </EmptyState>
      ) : (
        <Stack gap="xs">
          {items.map((p) => (
            <Paper key={p.id} withBorder p="sm">
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={4} style={{ minWidth: 0 }}>
                  <Group gap="xs">
                    <Badge variant="dot" color={CATEGORY_COLORS[p.category]}>
                      {CATEGORY_LABELS[p.category]}
                    </Badge>
                    {p.contact && !contactId && (
                      <Text size="sm" fw={500}>
                        {p.contact.name}
                      </Text>
                    )}
                    {p.stale && (
                      <Badge variant="dot" color="orange">
                        Ask again
                      </Badge>
                    )}
                  </Group>
                  <Text>“{p.statement}”</Text>
                  {p.rule && (
                    <Text size="sm" c="dimmed">
                      {ruleSummary(p.rule)}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed">
                    {SOURCE_LABELS[p.source]}
                    {p.sourcePerson ? ` (${p.sourcePerson})` : ''} · learned {formatDate(p.learnedOn)} · last confirmed {formatDate(p.lastConfirmedOn)}
                  </Text>
                </Stack>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon variant="subtle" color="gray" aria-label={`Manage the preference “${p.statement.slice(0, 40)}”`}>
                      <IconDots size={16} />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    {p.abilities.update && !p.archived && (
                      <>
                        <Menu.Item onClick={() => act.mutate({ id: p.id, what: 'confirm' })}>Still true</Menu.Item>
                        <Menu.Item onClick={() => setEditing(p)}>Edit</Menu.Item>
                        <Menu.Item onClick={() => act.mutate({ id: p.id, what: 'archive' })}>Archive</Menu.Item>
                      </>
                    )}
                    {p.abilities.update && p.archived && <Menu.Item onClick={() => act.mutate({ id: p.id, what: 'restore' })}>Restore</Menu.Item>}
                    <Menu.Item onClick={() => setHistory(p)}>History</Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Group>
            </Paper>
          ))}
          <LoadMore
            shown={items.length}
            total={undefined}
            hasMore={!!list.hasNextPage}
            loading={list.isFetchingNextPage}
            onLoadMore={() => list.fetchNextPage()}
          />
        </Stack>
      )}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title="Edit preference" size="lg">
        {editing && (
          <EditForm
            preference={editing}
            onDone={async () => {
              setEditing(null);
              await invalidate();
            }}
          />
        )}
      </Modal>
      <PreferenceHistoryModal preference={history} onClose={() => setHistory(null)} />
    </Stack>
  );
}

function QuickAdd({ clientId, contactId, onSaved }: { clientId: string; contactId?: string; onSaved: () => Promise<unknown> }) {
  const contacts = useContactOptions(clientId);
  const [withRule, setWithRule] = useState(false);
  const form = useForm<FormValues>({
    initialValues: { ...EMPTY_RULE, category: 'other', statement: '', contactId: contactId ?? null, source: 'person', sourcePerson: '', learnedOn: null },
    validate: { statement: (v) => (v.trim() ? null : 'Write what they said') },
  });
  const values = form.getValues();
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      unwrap(
        api.POST('/api/v1/preferences', {
          body: {
            clientId,
            contactId: v.contactId,
            category: v.category,
            statement: v.statement,
            rule: withRule ? toRule(v) : null,
            source: v.source,
            sourcePerson: v.sourcePerson || null,
            ...(v.learnedOn ? { learnedOn: v.learnedOn } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      form.setValues({ statement: '', kind: null });
      setWithRule(false);
      await onSaved();
      notifySaved('Preference recorded');
    },
    onError: (err) => showApiErrors(form, err, RULE_FIELD_MAP),
  });
  return (
    <Paper withBorder p="sm">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack gap="xs">
          <Group align="flex-start" gap="xs" wrap="wrap">
            <Select
              label="Category"
              data={CATEGORY_OPTIONS}
              allowDeselect={false}
              w={220}
              {...form.getInputProps('category')}
              onChange={(v) => {
                form.setFieldValue('category', (v ?? 'other') as PreferenceCategory);
                const kinds = RULE_KINDS_BY_CATEGORY[(v ?? 'other') as PreferenceCategory];
                form.setFieldValue('kind', kinds.length === 1 ? (kinds[0] ?? null) : null);
              }}
            />
            {!contactId && (
              <Select label="Whose" placeholder="The whole client" data={contacts} clearable searchable w={220} {...form.getInputProps('contactId')} />
            )}
            <TextInput
              label="In their words"
              placeholder="e.g. Please call me Megge, not Meg (Enter to save)"
              style={{ flex: 1, minWidth: 240 }}
              {...form.getInputProps('statement')}
            />
            <Button type="submit" mt={25} loading={save.isPending} leftSection={<IconPlus size={16} aria-hidden />}>
              Add
            </Button>
          </Group>
          <Group gap="xs">
            <Button
              variant="default"
              size="compact-sm"
              onClick={() => {
                const kinds = RULE_KINDS_BY_CATEGORY[values.category];
                if (!withRule && kinds.length === 1) {
                  form.setFieldValue('kind', kinds[0] ?? null);
                }
                setWithRule((w) => !w);
              }}
              aria-expanded={withRule}
            >
              {withRule ? 'No rule and source details' : 'Add a rule and where it came from'}
            </Button>
          </Group>
          <Collapse expanded={withRule}>
            <Stack gap="xs">
              <RuleFields form={form} contacts={contacts} />
              <Group grow align="flex-start">
                <Select label="Heard in" data={sourceOptions} allowDeselect={false} {...form.getInputProps('source')} />
                <TextInput label="Who told us" {...form.getInputProps('sourcePerson')} />
                <DateInput
                  label="Learned on"
                  valueFormat={DATE_INPUT_FORMAT}
                  placeholder="Today"
                  maxDate={new Date()}
                  clearable
                  {...form.getInputProps('learnedOn')}
                />
              </Group>
            </Stack>
          </Collapse>
        </Stack>
      </form>
    </Paper>
  );
}

function EditForm({ preference, onDone }: { preference: Preference; onDone: () => Promise<void> }) {
  const contacts = useContactOptions(preference.client.id);
  const [conflict, setConflict] = useState<string | null>(null);
  const form = useForm<FormValues>({
    initialValues: {
      ...fromRule(preference.rule),
      category: preference.category,
      statement: preference.statement,
      contactId: preference.contact?.id ?? null,
      source: preference.source,
      sourcePerson: preference.sourcePerson ?? '',
      learnedOn: preference.learnedOn,
    },
    validate: { statement: (v) => (v.trim() ? null : 'Write what they said') },
  });
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      unwrap(
        api.PATCH('/api/v1/preferences/{id}', {
          params: { path: { id: preference.id } },
          body: {
            baseVersion: preference.version,
            category: v.category,
            statement: v.statement,
            contactId: v.contactId,
            rule: toRule(v),
            source: v.source,
            sourcePerson: v.sourcePerson || null,
            ...(v.learnedOn ? { learnedOn: v.learnedOn } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      notifySaved('Preference saved');
      await onDone();
    },
    onError: (err) => {
      if (err instanceof ApiProblem && err.code === 'edit_conflict') {
        setConflict(err.message);
        return;
      }
      showApiErrors(form, err, RULE_FIELD_MAP);
    },
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack>
        {conflict && (
          <Text c="red.9" size="sm" role="alert">
            Someone changed this preference while you were editing it. Close this dialog to see their version, then edit again.
          </Text>
        )}
        <Group grow align="flex-start">
          <Select label="Category" data={CATEGORY_OPTIONS} allowDeselect={false} {...form.getInputProps('category')} />
          <Select label="Whose" placeholder="The whole client" data={contacts} clearable searchable {...form.getInputProps('contactId')} />
        </Group>
        <Textarea label="In their words" autosize minRows={2} withAsterisk {...form.getInputProps('statement')} />
        <RuleFields form={form} contacts={contacts} />
        <Group grow align="flex-start">
          <Select label="Heard in" data={sourceOptions} allowDeselect={false} {...form.getInputProps('source')} />
          <TextInput label="Who told us" {...form.getInputProps('sourcePerson')} />
          <DateInput label="Learned on" valueFormat={DATE_INPUT_FORMAT} maxDate={new Date()} {...form.getInputProps('learnedOn')} />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
