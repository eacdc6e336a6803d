import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArchive, IconArchiveOff, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { AdminQueryError, AdminsOnly } from '../admin/AdminsOnly';
import { insightKeys, useThemes } from './queries';

type Theme = Schemas['Theme'];
type ThemeNode = Schemas['ThemeTreeNode'];

/** The theme taxonomy insights are filed under: two levels, admin-editable; used themes are archived, not deleted. */
export function ThemesPage() {
  return (
    <AdminsOnly title="Themes" ability="manageThemes">
      <ThemesView />
    </AdminsOnly>
  );
}

function ThemesView() {
  const themes = useThemes(false);
  const [editing, setEditing] = useState<Theme | { parentId: string | null } | undefined>();
  const [deleting, setDeleting] = useState<Theme | undefined>();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['themes'] });
  const patch = useMutation({
    mutationFn: ({ id, archived }: { id: string; archived: boolean }) =>
      unwrap(api.PATCH('/api/v1/themes/{id}', { params: { path: { id } }, body: { archived } })),
  });
  const remove = useMutation({ mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/themes/{id}', { params: { path: { id } } })) });

  const toggleArchived = async (theme: Theme) => {
    try {
      await patch.mutateAsync({ id: theme.id, archived: !theme.archived });
      await refresh();
      notifySaved(theme.archived ? `${theme.name} restored` : `${theme.name} archived`);
    } catch (err) {
      notifyFailed('Not saved', err);
    }
  };
  const confirmDelete = async (theme: Theme) => {
    try {
      await remove.mutateAsync(theme.id);
      await refresh();
      await queryClient.invalidateQueries({ queryKey: insightKeys.all });
      notifySaved(`${theme.name} deleted`);
    } catch (err) {
      notifyFailed('Not deleted', err);
    }
    setDeleting(undefined);
  };

  const row = (t: Theme, parent?: ThemeNode) => {
    // A theme with used sub-themes is in use too: it can be archived, not deleted.
    const used = t.inUse || (!parent && (t as ThemeNode).children.some((c) => c.inUse));
    return (
      <Table.Tr key={t.id} c={t.archived || parent?.archived ? 'dimmed' : undefined}>
        <Table.Td pl={parent ? 'xl' : undefined} fw={parent ? 400 : 600}>
          {t.name}
          {t.archived && (
            <Badge ml="xs" size="sm" variant="outline" color="gray" tt="none">
              Archived
            </Badge>
          )}
        </Table.Td>
        <Table.Td>
          <Text size="sm" c="dimmed" lineClamp={2}>
            {t.description ?? ''}
          </Text>
        </Table.Td>
        <Table.Td>{used ? 'Yes' : 'No'}</Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap" justify="flex-end">
            {!parent && (
              <Tooltip label="Add a sub-theme">
                <ActionIcon variant="subtle" color="gray" aria-label={`Add a sub-theme to ${t.name}`} onClick={() => setEditing({ parentId: t.id })}>
                  <IconPlus size={16} aria-hidden />
                </ActionIcon>
              </Tooltip>
            )}
            <Tooltip label="Edit">
              <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${t.name}`} onClick={() => setEditing(t)}>
                <IconPencil size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t.archived ? 'Restore' : 'Archive'}>
              <ActionIcon variant="subtle" color="gray" aria-label={`${t.archived ? 'Restore' : 'Archive'} ${t.name}`} onClick={() => toggleArchived(t)}>
                {t.archived ? <IconArchiveOff size={16} aria-hidden /> : <IconArchive size={16} aria-hidden />}
              </ActionIcon>
            </Tooltip>
            <Tooltip label={used ? 'In use: archive it instead' : 'Delete'}>
              <ActionIcon variant="subtle" color="red" aria-label={`Delete ${t.name}`} disabled={used} onClick={() => setDeleting(t)}>
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Table.Td>
      </Table.Tr>
    );
  };

  let content: React.ReactNode;
  if (themes.isPending) {
    content = <Skeleton height={300} />;
  } else if (themes.isError) {
    content = <AdminQueryError error={themes.error} onRetry={() => themes.refetch()} />;
  } else {
    content = (
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={700}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Theme</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th w={80}>In use</Table.Th>
                <Table.Th w={160}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>{themes.data.flatMap((t) => [row(t), ...t.children.map((c) => row(c, t))])}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    );
  }

  const editingTheme = editing && 'id' in editing ? editing : undefined;
  return (
    <Stack gap="md">
      <PageHeader
        title="Themes"
        description="What insights are filed under: themes and their sub-themes. A theme in use is archived, not deleted, so that past insights keep it."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing({ parentId: null })}>
            Add theme
          </Button>
        }
      />
      {content}
      <Modal opened={editing !== undefined} onClose={() => setEditing(undefined)} title={editingTheme ? `Edit ${editingTheme.name}` : 'Add theme'}>
        {editing && <ThemeForm theme={editingTheme} parentId={editing.parentId} tree={themes.data ?? []} onDone={() => setEditing(undefined)} />}
      </Modal>
      <ConfirmDialog
        opened={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        title={`Delete ${deleting?.name ?? 'theme'}?`}
        confirmLabel="Delete theme"
        onConfirm={() => deleting && confirmDelete(deleting)}
      >
        No insight uses it. {deleting?.parentId === null ? 'Its sub-themes are deleted with it.' : ''}
      </ConfirmDialog>
    </Stack>
  );
}

interface Values {
  name: string;
  description: string;
  parentId: string | null;
  position: number | string;
  archived: boolean;
}

function ThemeForm({ theme, parentId, tree, onDone }: { theme: Theme | undefined; parentId: string | null; tree: ThemeNode[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    initialValues: {
      name: theme?.name ?? '',
      description: theme?.description ?? '',
      parentId,
      position: theme?.position ?? 0,
      archived: theme?.archived ?? false,
    },
    validate: { name: (v) => (!v.trim() ? 'Enter a name' : v.trim().length > 120 ? 'Use at most 120 characters' : null) },
  });
  const save = useMutation({
    mutationFn: (values: Values) =>
      theme
        ? unwrap(
            api.PATCH('/api/v1/themes/{id}', {
              params: { path: { id: theme.id } },
              body: { name: values.name.trim(), description: values.description.trim() || null, position: Number(values.position), archived: values.archived },
            }),
          )
        : unwrap(api.POST('/api/v1/themes', { body: { name: values.name.trim(), description: values.description.trim() || null, parentId: values.parentId } })),
  });
  const submit = async (values: Values) => {
    try {
      await save.mutateAsync(values);
      await queryClient.invalidateQueries({ queryKey: ['themes'] });
      notifySaved(theme ? 'Theme saved' : `${values.name.trim()} added`);
      onDone();
    } catch (err) {
      showApiErrors(form, err);
    }
  };
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack>
        <TextInput label="Name" withAsterisk data-autofocus {...form.getInputProps('name')} />
        <Textarea label="Description" autosize minRows={2} {...form.getInputProps('description')} />
        {theme ? (
          <>
            <NumberInput label="Position" description="Order among its siblings, lowest first" min={0} max={10000} {...form.getInputProps('position')} />
            <Switch label="Archived" description="Kept on past insights, not offered for new ones" {...form.getInputProps('archived', { type: 'checkbox' })} />
          </>
        ) : (
          <Select
            label="Sub-theme of"
            description="Empty for a top-level theme"
            data={tree.map((t) => ({ value: t.id, label: t.name }))}
            clearable
            {...form.getInputProps('parentId')}
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {theme ? 'Save theme' : 'Add theme'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
