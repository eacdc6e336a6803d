import { Anchor, Button, Center, Group, Loader, Modal, Select, Stack, Table, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { notifySaved, showApiErrors } from '../../forms';
import { AdminQueryError, AdminsOnly } from '../admin/AdminsOnly';
import { StatusBadge } from '../admin/StatusBadge';
import { formatDate } from '../clients/labels';
import { type Guide, guideKeys, useGuides } from './queries';
import { ScoreDimensionsEditor } from './ScoreDimensionsEditor';

const BLANK = 'blank';

/** A new guide: a name, and a starting point (a copy of an existing guide, or one empty section). */
function NewGuideForm({ guides, onDone }: { guides: Guide[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const defaultGuide = guides.find((g) => g.isDefault);
  const form = useForm({
    initialValues: { name: '', description: '', startFrom: defaultGuide?.id ?? BLANK },
    validate: { name: (v) => (v.trim() ? null : 'Enter a name') },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          const sections =
            values.startFrom === BLANK
              ? [{ title: 'Opening', questions: [{ text: 'How is the relationship with the firm going, in your own words?', help: null }] }]
              : (await unwrap(api.GET('/api/v1/guides/{id}', { params: { path: { id: values.startFrom } } }))).current.sections.map((s) => ({
                  key: s.key,
                  title: s.title,
                  questions: s.questions.map((q) => ({ key: q.key, text: q.text, help: q.help })),
                }));
          const created = await unwrap(api.POST('/api/v1/guides', { body: { name: values.name, description: values.description || null, sections } }));
          await queryClient.invalidateQueries({ queryKey: guideKeys.all });
          notifySaved(`Created ${created.name}. Edit its sections and questions, then save.`);
          onDone();
          await navigate(`/admin/guides/${created.id}`);
        } catch (err) {
          showApiErrors(form, err);
        }
      })}
    >
      <Stack>
        <TextInput label="Name" required data-autofocus placeholder="e.g. Lost client interview" {...form.getInputProps('name')} />
        <Textarea label="Description" description="When to use this guide" autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />
        <Select
          label="Start from"
          description="A copy keeps the questions’ keys, so you only change what differs"
          allowDeselect={false}
          data={[
            ...guides.filter((g) => !g.archived).map((g) => ({ value: g.id, label: `A copy of ${g.name}` })),
            { value: BLANK, label: 'One empty section' },
          ]}
          {...form.getInputProps('startFrom')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Create guide
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function GuideList() {
  const guides = useGuides();
  const [creating, setCreating] = useState(false);
  const newButton = (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)} disabled={!guides.data}>
      New guide
    </Button>
  );
  let content: React.ReactNode;
  if (guides.isPending) {
    content = (
      <Center py="xl">
        <Loader aria-label="Loading guides" />
      </Center>
    );
  } else if (guides.isError) {
    content = <AdminQueryError error={guides.error} onRetry={() => guides.refetch()} />;
  } else if (guides.data.length === 0) {
    content = (
      <EmptyState
        title="No interview guides"
        action={
          <Button variant="light" onClick={() => setCreating(true)}>
            Create the first guide
          </Button>
        }
      >
        A guide holds the sections and questions an interviewer works through in a listening session.
      </EmptyState>
    );
  } else {
    content = (
      <Table.ScrollContainer minWidth={720}>
        <Table striped highlightOnHover verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Guide</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Version</Table.Th>
              <Table.Th>Last changed</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {guides.data.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td fw={500}>
                  <Anchor component={Link} to={`/admin/guides/${g.id}`}>
                    {g.name}
                  </Anchor>
                </Table.Td>
                <Table.Td maw={420}>
                  <Text size="sm" lineClamp={2}>
                    {g.description ?? ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    {g.isDefault && <StatusBadge color="indigo">Default</StatusBadge>}
                    {g.archived ? <StatusBadge color="gray">Archived</StatusBadge> : !g.isDefault && <StatusBadge color="teal">In use</StatusBadge>}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">{g.latestVersion}</Table.Td>
                <Table.Td>{formatDate(g.updatedAt.slice(0, 10))}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={640}>
          Editing a guide saves a new version: sessions keep the version they were planned with. The default guide is the one new sessions start with.
        </Text>
        {newButton}
      </Group>
      {content}
      <Modal opened={creating} onClose={() => setCreating(false)} title="New interview guide" size="lg">
        {creating && guides.data && <NewGuideForm guides={guides.data} onDone={() => setCreating(false)} />}
      </Modal>
    </Stack>
  );
}

const TABS = ['guides', 'dimensions'] as const;

/** Administration of interview guides (versioned) and of the dimensions sessions are scored on. */
export function GuidesPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'dimensions' ? 'dimensions' : 'guides';
  return (
    <AdminsOnly title="Interview guides" ability="manageGuides">
      <PageHeader title="Interview guides" description="The questions listening sessions are run from, and the dimensions clients score the firm on." />
      <Tabs
        value={tab}
        onChange={(v) => {
          if (v && (TABS as readonly string[]).includes(v)) {
            setParams(v === 'guides' ? {} : { tab: v }, { replace: true });
          }
        }}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="guides">Guides</Tabs.Tab>
          <Tabs.Tab value="dimensions">Score dimensions</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="guides">
          <GuideList />
        </Tabs.Panel>
        <Tabs.Panel value="dimensions">
          <ScoreDimensionsEditor />
        </Tabs.Panel>
      </Tabs>
    </AdminsOnly>
  );
}
