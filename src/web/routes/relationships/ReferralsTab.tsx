import { ActionIcon, Badge, Button, Group, Loader, Menu, Modal, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconDots, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { ClientPicker, ContactPicker } from '../../components/Pickers';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { formatDate } from '../actions/labels';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { CALENDAR_LABELS } from '../programmes/labels';
import { REFERRAL_OUTCOME_COLORS, REFERRAL_OUTCOME_LABELS, type Referral, type ReferralOutcome, referralKeys, todayIso } from './ProblemsLabels';

const outcomeOptions = (Object.keys(REFERRAL_OUTCOME_LABELS) as ReferralOutcome[]).map((value) => ({ value, label: REFERRAL_OUTCOME_LABELS[value] }));

/**
 * The client page's "Referrals" tab: prospects this client referred to the firm and the outcome.
 * A prospect that is a client the reader may not see (walls) shows as "A client you cannot see".
 */
export function ReferralsTab({ client }: { client: { id: string; name: string } }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Referral | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Referral | null>(null);
  const list = useQuery({
    queryKey: [...referralKeys.all, 'list', client.id],
    queryFn: () => unwrap(api.GET('/api/v1/referrals', { params: { query: { referrerClientId: client.id, limit: 200 } } })),
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/referrals/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      setDeleting(null);
      await queryClient.invalidateQueries({ queryKey: referralKeys.all });
      notifySaved('Referral deleted');
    },
    onError: (err) => notifyFailed('Could not delete the referral', err),
  });
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Prospects {client.name} referred to the firm, newest first.
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          Record a referral
        </Button>
      </Group>
      {list.isLoading ? (
        <Group role="status" aria-label="Loading referrals">
          <Loader size="sm" />
        </Group>
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No referrals recorded">When this client sends someone our way, record it here and follow the outcome.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Referred on</Table.Th>
                <Table.Th>Prospect</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Notes</Table.Th>
                <Table.Th>
                  <Text span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
                    Manage
                  </Text>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.referredOn)}</Table.Td>
                  <Table.Td>
                    {r.prospectClient?.name ?? r.prospectName ?? (
                      <Text span c="dimmed" size="sm">
                        A client you cannot see
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.referredBy?.name ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge variant="dot" color={REFERRAL_OUTCOME_COLORS[r.outcome]}>
                      {REFERRAL_OUTCOME_LABELS[r.outcome]}
                    </Badge>
                    {r.outcomeOn && (
                      <Text size="xs" c="dimmed">
                        {formatDate(r.outcomeOn)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {r.notes ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.abilities.update && (
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={`Manage the referral of ${r.prospectClient?.name ?? r.prospectName ?? 'a client'}`}
                          >
                            <IconDots size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item onClick={() => setEditing(r)}>Edit or record outcome</Menu.Item>
                          <Menu.Item color="red" onClick={() => setDeleting(r)}>
                            Delete
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'Record a referral' : 'Edit referral'} size="lg">
        {editing !== null && <ReferralForm client={client} referral={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Modal>
      <ConfirmDialog
        opened={deleting !== null}
        title="Delete this referral?"
        confirmLabel="Delete"
        onConfirm={() => (deleting ? remove.mutateAsync(deleting.id).catch(() => undefined) : undefined)}
        onClose={() => setDeleting(null)}
      >
        The referral and its outcome are removed; the audit log keeps a record.
      </ConfirmDialog>
    </Stack>
  );
}

interface Values {
  referredByContactId: string | null;
  prospectClientId: string | null;
  prospectName: string;
  referredOn: string | null;
  outcome: ReferralOutcome;
  outcomeOn: string | null;
  notes: string;
}

function ReferralForm({ client, referral, onDone }: { client: { id: string; name: string }; referral: Referral | null; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      referredByContactId: referral?.referredBy?.id ?? null,
      prospectClientId: referral?.prospectClient?.id ?? null,
      prospectName: referral && !referral.prospectClient ? (referral.prospectName ?? '') : '',
      referredOn: referral?.referredOn ?? todayIso(),
      outcome: referral?.outcome ?? 'pending',
      outcomeOn: referral?.outcomeOn ?? null,
      notes: referral?.notes ?? '',
    },
    validate: {
      prospectName: (v, all) => (all.prospectClientId || v.trim() || (referral && !referral.prospectName) ? null : 'Name the prospect or choose a client'),
      referredOn: (v) => (v ? null : 'Say when'),
      outcomeOn: (v, all) => (v && all.referredOn && v < all.referredOn ? 'Must not be before the referral' : null),
    },
  });
  const save = useMutation({
    mutationFn: (v: Values) => {
      const common = {
        referredByContactId: v.referredByContactId,
        referredOn: v.referredOn ?? '',
        outcome: v.outcome,
        outcomeOn: v.outcomeOn || null,
        notes: v.notes.trim() || null,
      };
      if (!referral) {
        return unwrap(
          api.POST('/api/v1/referrals', {
            body: {
              ...common,
              referrerClientId: client.id,
              prospectClientId: v.prospectClientId,
              prospectName: v.prospectClientId ? null : v.prospectName.trim() || null,
            },
          }),
        );
      }
      // A prospect hidden from this reader (walls) stays as it is: neither field is sent.
      const hidden = referral.prospectName === null;
      return unwrap(
        api.PATCH('/api/v1/referrals/{id}', {
          params: { path: { id: referral.id } },
          body: hidden ? common : { ...common, prospectClientId: v.prospectClientId, prospectName: v.prospectClientId ? null : v.prospectName.trim() || null },
        }),
      );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: referralKeys.all });
      notifySaved(referral ? 'Referral saved' : 'Referral recorded');
      onDone();
    },
    onError: (err) => showApiErrors(form, err),
  });
  const hidden = referral !== null && referral.prospectName === null;
  const values = form.getValues();
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        {hidden ? (
          <Text size="sm" c="dimmed">
            The prospect is a client you cannot see; it stays as it is.
          </Text>
        ) : (
          <>
            <ClientPicker
              label="Prospect, if already a client record"
              required={false}
              initial={referral?.prospectClient ?? null}
              {...form.getInputProps('prospectClientId')}
            />
            {!values.prospectClientId && (
              <TextInput label="Prospect name" withAsterisk maxLength={300} data-autofocus {...form.getInputProps('prospectName')} />
            )}
          </>
        )}
        <ContactPicker clientId={client.id} label={`Referred by (at ${client.name})`} {...form.getInputProps('referredByContactId')} />
        <Group grow align="flex-start">
          <DatePickerInput
            label="Referred on"
            withAsterisk
            valueFormat={DATE_INPUT_FORMAT}
            ariaLabels={CALENDAR_LABELS}
            {...form.getInputProps('referredOn')}
          />
          <Select label="Outcome" data={outcomeOptions} allowDeselect={false} {...form.getInputProps('outcome')} />
          <DatePickerInput label="Outcome on" clearable valueFormat={DATE_INPUT_FORMAT} ariaLabels={CALENDAR_LABELS} {...form.getInputProps('outcomeOn')} />
        </Group>
        <Textarea label="Notes" autosize minRows={2} maxRows={6} maxLength={5000} {...form.getInputProps('notes')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {referral ? 'Save' : 'Record referral'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
