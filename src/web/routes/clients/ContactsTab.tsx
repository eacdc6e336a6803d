import {
  ActionIcon,
  Anchor,
  Button,
  Drawer,
  Group,
  Modal,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconAddressBook, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { PreferencesPanel } from '../preferences/PreferencesPanel';
import { DATE_INPUT_FORMAT, formatDate } from './labels';
import { Dash } from './parts';
import { clientKeys, useContacts } from './queries';

type ClientDetail = Schemas['ClientDetail'];
type Contact = Schemas['Contact'];
/** A whole contact as the form sends it; fits both create and update. */
type ContactBody = paths['/api/v1/clients/{id}/contacts']['post']['requestBody']['content']['application/json'];

/** Who the firm deals with at the client. Former contacts stay listed, after the current ones. */
export function ContactsTab({ client, can }: { client: ClientDetail; can: ClientDetail['abilities'] }) {
  const contacts = useContacts(client.id);
  const [editing, setEditing] = useState<Contact | 'new' | undefined>();
  const [deleting, setDeleting] = useState<Contact | undefined>();
  const [preferencesOf, setPreferencesOf] = useState<Contact | undefined>();
  const queryClient = useQueryClient();

  const deleteContact = useMutation({
    mutationFn: (contact: Contact) =>
      unwrap(api.DELETE('/api/v1/clients/{id}/contacts/{contactId}', { params: { path: { id: client.id, contactId: contact.id } } })),
  });
  const remove = async (contact: Contact) => {
    try {
      await deleteContact.mutateAsync(contact);
      await queryClient.invalidateQueries({ queryKey: clientKeys.detail(client.id) });
      notifySaved(`${contact.name} deleted`);
    } catch (err) {
      notifyFailed('Not deleted', err);
    }
    setDeleting(undefined);
  };

  const addButton = can.editContacts && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
      Add contact
    </Button>
  );

  let content: React.ReactNode;
  if (contacts.isPending) {
    content = <Skeleton height={160} />;
  } else if (contacts.isError) {
    content = <QueryError error={contacts.error} onRetry={() => contacts.refetch()} />;
  } else if (contacts.data.length === 0) {
    content = (
      <EmptyState title="No contacts yet" action={addButton}>
        Record the people the firm deals with at {client.name}: their role, how they like to be addressed, and who makes the decisions.
      </EmptyState>
    );
  } else {
    content = (
      <Table.ScrollContainer minWidth={1000}>
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Preferred name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Job title</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Phone</Table.Th>
              <Table.Th>Decision-maker</Table.Th>
              <Table.Th>Left</Table.Th>
              {can.editContacts && (
                <Table.Th w={90}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {contacts.data.map((c) => (
              <Table.Tr key={c.id} c={c.leftOn ? 'dimmed' : undefined}>
                <Table.Td fw={500}>
                  <Group gap={4} wrap="nowrap">
                    {c.name}
                    {can.readPreferences && (
                      <Tooltip label="Preferences">
                        <ActionIcon variant="subtle" color="gray" aria-label={`Preferences of ${c.name}`} onClick={() => setPreferencesOf(c)}>
                          <IconAddressBook size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{c.preferredName ?? <Dash />}</Table.Td>
                <Table.Td>{c.role ?? <Dash />}</Table.Td>
                <Table.Td>{c.jobTitle ?? <Dash />}</Table.Td>
                <Table.Td>
                  {c.email ? (
                    <Anchor href={`mailto:${c.email}`} inherit>
                      {c.email}
                    </Anchor>
                  ) : (
                    <Dash />
                  )}
                </Table.Td>
                <Table.Td>{c.phone ?? <Dash />}</Table.Td>
                <Table.Td>
                  {c.isDecisionMaker ? (
                    // The column already says what it is; a word fits where a badge would be cut short.
                    <Text size="sm" fw={600}>
                      Yes
                    </Text>
                  ) : (
                    <Dash />
                  )}
                </Table.Td>
                <Table.Td>{c.leftOn ? formatDate(c.leftOn) : <Dash />}</Table.Td>
                {can.editContacts && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${c.name}`} onClick={() => setEditing(c)}>
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      {can.deleteContacts && (
                        <Tooltip label="Delete">
                          <ActionIcon variant="subtle" color="red" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c)}>
                            <IconTrash size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Stack gap="md">
      {contacts.data?.length ? (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            The people the firm deals with at {client.name}. Former contacts are listed last.
          </Text>
          {addButton}
        </Group>
      ) : null}
      {content}
      <Drawer
        opened={!!preferencesOf}
        onClose={() => setPreferencesOf(undefined)}
        title={`Preferences of ${preferencesOf?.name ?? ''}`}
        position="right"
        size="xl"
      >
        {preferencesOf && <PreferencesPanel clientId={client.id} contactId={preferencesOf.id} canEdit={can.editPreferences} />}
      </Drawer>
      <Modal opened={editing !== undefined} onClose={() => setEditing(undefined)} title={editing === 'new' ? 'Add contact' : 'Edit contact'} size="lg">
        {editing !== undefined && <ContactForm clientId={client.id} contact={editing === 'new' ? undefined : editing} onDone={() => setEditing(undefined)} />}
      </Modal>
      <ConfirmDialog
        opened={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        title={`Delete ${deleting?.name ?? 'contact'}?`}
        confirmLabel="Delete contact"
        onConfirm={() => deleting && remove(deleting)}
      >
        The contact will be deleted. If they have only left the client, edit them and set the date they left instead, so that their history stays.
      </ConfirmDialog>
    </Stack>
  );
}

interface ContactFormValues {
  name: string;
  preferredName: string;
  role: string;
  jobTitle: string;
  email: string;
  phone: string;
  isDecisionMaker: boolean;
  leftOn: string | null;
}

const maxLength = (max: number) => (v: string) => (v.trim().length > max ? `Use at most ${max} characters` : null);

function ContactForm({ clientId, contact, onDone }: { clientId: string; contact: Contact | undefined; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<ContactFormValues>({
    initialValues: {
      name: contact?.name ?? '',
      preferredName: contact?.preferredName ?? '',
      role: contact?.role ?? '',
      jobTitle: contact?.jobTitle ?? '',
      email: contact?.email ?? '',
      phone: contact?.phone ?? '',
      isDecisionMaker: contact?.isDecisionMaker ?? false,
      leftOn: contact?.leftOn ?? null,
    },
    validate: {
      name: (v) => (!v.trim() ? 'Enter the contact’s name' : maxLength(200)(v)),
      preferredName: maxLength(120),
      role: maxLength(120),
      jobTitle: maxLength(200),
      email: (v) => (v.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? 'Enter an email address such as name@example.com' : null),
      phone: maxLength(50),
    },
  });

  const saveContact = useMutation({
    mutationFn: (body: ContactBody) =>
      contact
        ? unwrap(api.PATCH('/api/v1/clients/{id}/contacts/{contactId}', { params: { path: { id: clientId, contactId: contact.id } }, body }))
        : unwrap(api.POST('/api/v1/clients/{id}/contacts', { params: { path: { id: clientId } }, body })),
  });

  const save = async (values: ContactFormValues) => {
    const body = {
      name: values.name.trim(),
      preferredName: values.preferredName.trim() || null,
      role: values.role.trim() || null,
      jobTitle: values.jobTitle.trim() || null,
      email: values.email.trim() || null,
      phone: values.phone.trim() || null,
      isDecisionMaker: values.isDecisionMaker,
      leftOn: values.leftOn || null,
    };
    try {
      await saveContact.mutateAsync(body);
      await queryClient.invalidateQueries({ queryKey: clientKeys.detail(clientId) });
      notifySaved(contact ? 'Contact saved' : `${body.name} added`);
      onDone();
    } catch (err) {
      showApiErrors(form, err);
    }
  };

  return (
    <form onSubmit={form.onSubmit(save)} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Name" withAsterisk data-autofocus autoComplete="off" {...form.getInputProps('name')} />
          <TextInput
            label="Preferred name"
            description="How they want to be addressed, e.g. Megge, not Meg"
            autoComplete="off"
            {...form.getInputProps('preferredName')}
          />
          <TextInput label="Role" description="Their role for the firm: GC, CFO, head of IT…" {...form.getInputProps('role')} />
          <TextInput label="Job title" description="As it appears in their signature" {...form.getInputProps('jobTitle')} />
          <TextInput label="Email" type="email" autoComplete="off" {...form.getInputProps('email')} />
          <TextInput label="Phone" type="tel" autoComplete="off" {...form.getInputProps('phone')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Switch
            label="Decision-maker"
            description="They decide which firms the client instructs"
            mt={{ sm: 'lg' }}
            {...form.getInputProps('isDecisionMaker', { type: 'checkbox' })}
          />
          <DateInput
            label="Left the client on"
            description="Empty while they are still there"
            valueFormat={DATE_INPUT_FORMAT}
            placeholder="e.g. 31 Mar 2025"
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the date they left' }}
            {...form.getInputProps('leftOn')}
          />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            {contact ? 'Save changes' : 'Add contact'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
