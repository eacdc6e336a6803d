import { Alert, Anchor, Badge, Button, Grid, Group, List, Modal, Paper, Skeleton, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowLeft } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem, api, unwrap } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { AdminQueryError, AdminsOnly } from '../admin/AdminsOnly';
import { StatusBadge } from '../admin/StatusBadge';
import { type GuideDetail, guideKeys, useGuide, useGuideVersion } from './queries';
import { SectionsEditor, type SectionsFormValues, toEditable, toSectionsBody } from './SectionsEditor';

const when = (iso: string) => dayjs(iso).format('D MMM YYYY, HH:mm');

/** The newest version's sections, editable; saving writes the next version. */
function SectionsForm({ guide }: { guide: GuideDetail }) {
  const queryClient = useQueryClient();
  const [stale, setStale] = useState<string>();
  const form = useForm<SectionsFormValues>({
    initialValues: { sections: toEditable(guide.current.sections) },
    validate: {
      sections: {
        title: (v) => (v.trim() ? null : 'Enter a title'),
        questions: { text: (v) => (v.trim() ? null : 'Enter the question') },
      },
    },
  });
  const save = async (values: SectionsFormValues) => {
    try {
      const saved = await unwrap(
        api.PUT('/api/v1/guides/{id}', {
          params: { path: { id: guide.id } },
          body: { sections: toSectionsBody(values.sections), baseVersion: guide.latestVersion },
        }),
      );
      queryClient.setQueryData(guideKeys.detail(guide.id), saved);
      await queryClient.invalidateQueries({ queryKey: guideKeys.list() });
      notifySaved(saved.latestVersion === guide.latestVersion ? 'Nothing had changed; no new version.' : `Saved as version ${saved.latestVersion}.`);
    } catch (err) {
      if (err instanceof ApiProblem && err.status === 409 && err.fieldErrors.baseVersion) {
        setStale(err.fieldErrors.baseVersion);
        return;
      }
      showApiErrors(form, err);
    }
  };
  return (
    <form noValidate onSubmit={form.onSubmit(save)}>
      <Stack>
        {stale && (
          <Alert color="orange" title="Someone saved a newer version" role="alert">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">Your changes were not saved: {stale}.</Text>
              <Button
                size="xs"
                variant="light"
                color="orange"
                onClick={async () => {
                  setStale(undefined);
                  await queryClient.invalidateQueries({ queryKey: guideKeys.detail(guide.id) });
                }}
              >
                Load the newest version (discards your changes)
              </Button>
            </Stack>
          </Alert>
        )}
        <SectionsEditor form={form} />
        <Group justify="flex-end" gap="sm" pos="sticky" bottom={0} py="sm" bg="var(--mantine-color-body)">
          <Button variant="default" disabled={!form.isDirty()} onClick={() => form.reset()}>
            Discard changes
          </Button>
          <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>
            Save as version {guide.latestVersion + 1}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DetailsForm({ guide, onDone }: { guide: GuideDetail; onDone: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: guide.name, description: guide.description ?? '' },
    validate: { name: (v) => (v.trim() ? null : 'Enter a name') },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          const saved = await unwrap(
            api.PATCH('/api/v1/guides/{id}', { params: { path: { id: guide.id } }, body: { name: values.name, description: values.description || null } }),
          );
          queryClient.setQueryData(guideKeys.detail(guide.id), saved);
          await queryClient.invalidateQueries({ queryKey: guideKeys.list() });
          notifySaved('Saved.');
          onDone();
        } catch (err) {
          showApiErrors(form, err);
        }
      })}
    >
      <Stack>
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <Textarea label="Description" autosize minRows={2} maxRows={5} {...form.getInputProps('description')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One earlier version, read-only: what sessions planned with it were asked. */
function VersionView({ guideId, version }: { guideId: string; version: number }) {
  const v = useGuideVersion(guideId, version);
  if (v.isPending) {
    return <Skeleton height={200} />;
  }
  if (v.isError) {
    return <AdminQueryError error={v.error} onRetry={() => v.refetch()} />;
  }
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Saved {when(v.data.createdAt)}
        {v.data.createdBy ? ` by ${v.data.createdBy.name}` : ' (installed with Hearken)'}.
      </Text>
      {v.data.sections.map((s) => (
        <Stack key={s.key} gap={4}>
          <Title order={3} size="h5">
            {s.title}
          </Title>
          <List type="ordered" spacing={4}>
            {s.questions.map((q) => (
              <List.Item key={q.key}>
                <Text size="sm">{q.text}</Text>
                {q.help && (
                  <Text size="xs" c="dimmed">
                    {q.help}
                  </Text>
                )}
              </List.Item>
            ))}
          </List>
        </Stack>
      ))}
    </Stack>
  );
}

function GuideView({ guide }: { guide: GuideDetail }) {
  const queryClient = useQueryClient();
  const [editingDetails, setEditingDetails] = useState(false);
  const [viewing, setViewing] = useState<number>();
  const [confirm, setConfirm] = useState<'default' | 'archive'>();

  const patch = async (body: { isDefault?: true; archived?: boolean }, done: string) => {
    try {
      const saved = await unwrap(api.PATCH('/api/v1/guides/{id}', { params: { path: { id: guide.id } }, body }));
      queryClient.setQueryData(guideKeys.detail(guide.id), saved);
      await queryClient.invalidateQueries({ queryKey: guideKeys.all });
      notifySaved(done);
      setConfirm(undefined);
    } catch (err) {
      notifyFailed('Not changed', err);
    }
  };

  return (
    <>
      <Anchor component={Link} to="/admin/guides" size="sm" c="dimmed">
        <Group gap={4} component="span">
          <IconArrowLeft size={14} aria-hidden />
          Interview guides
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" mt={6} mb="lg" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{guide.name}</Title>
            <Badge variant="outline" color="gray">
              Version {guide.latestVersion}
            </Badge>
            {guide.isDefault && <StatusBadge color="indigo">Default</StatusBadge>}
            {guide.archived && <StatusBadge color="gray">Archived</StatusBadge>}
          </Group>
          {guide.description && (
            <Text size="sm" c="dimmed" maw={720}>
              {guide.description}
            </Text>
          )}
        </Stack>
        {guide.canEdit && (
          <Group gap="sm">
            <Button variant="default" onClick={() => setEditingDetails(true)}>
              Rename or describe
            </Button>
            {!guide.isDefault && !guide.archived && (
              <Button variant="default" onClick={() => setConfirm('default')}>
                Make default
              </Button>
            )}
            {!guide.isDefault &&
              (guide.archived ? (
                <Button variant="default" onClick={() => patch({ archived: false }, `${guide.name} restored.`)}>
                  Restore
                </Button>
              ) : (
                <Button variant="default" color="red.9" onClick={() => setConfirm('archive')}>
                  Archive
                </Button>
              ))}
          </Group>
        )}
      </Group>

      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Title order={3} size="h4" mb="sm">
            Sections and questions
          </Title>
          <SectionsForm key={`${guide.id}:${guide.latestVersion}`} guide={guide} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md" radius="md">
            <Title order={3} size="h5" mb="xs">
              Version history
            </Title>
            <Text size="xs" c="dimmed" mb="sm">
              A version never changes once saved; each session keeps the version it was planned with.
            </Text>
            <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {guide.versions.map((v) => (
                <Group key={v.version} component="li" justify="space-between" wrap="nowrap" gap="xs">
                  <Stack gap={0}>
                    <Text size="sm" fw={500}>
                      Version {v.version}
                      {v.version === guide.latestVersion ? ' (current)' : ''}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {when(v.createdAt)}
                      {v.createdBy ? `, ${v.createdBy.name}` : ''}
                    </Text>
                  </Stack>
                  <Button size="xs" variant="subtle" onClick={() => setViewing(v.version)} aria-label={`View version ${v.version}`}>
                    View
                  </Button>
                </Group>
              ))}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>

      <Modal opened={editingDetails} onClose={() => setEditingDetails(false)} title={`Rename or describe ${guide.name}`} size="lg">
        {editingDetails && <DetailsForm guide={guide} onDone={() => setEditingDetails(false)} />}
      </Modal>
      <Modal opened={viewing !== undefined} onClose={() => setViewing(undefined)} title={`${guide.name}, version ${viewing ?? ''}`} size="lg">
        {viewing !== undefined && <VersionView guideId={guide.id} version={viewing} />}
      </Modal>
      <ConfirmDialog
        opened={confirm === 'default'}
        onClose={() => setConfirm(undefined)}
        title="Make this the default guide?"
        confirmLabel="Make default"
        danger={false}
        onConfirm={() => patch({ isDefault: true }, `${guide.name} is now the default guide.`)}
      >
        New sessions will start with this guide. The current default stays available; sessions already planned keep their guide.
      </ConfirmDialog>
      <ConfirmDialog
        opened={confirm === 'archive'}
        onClose={() => setConfirm(undefined)}
        title={`Archive ${guide.name}?`}
        confirmLabel="Archive guide"
        onConfirm={() => patch({ archived: true }, `${guide.name} archived.`)}
      >
        It will no longer be offered for new sessions. Sessions that used it keep it, and you can restore it at any time.
      </ConfirmDialog>
    </>
  );
}

function GuideLoader() {
  const { guideId = '' } = useParams();
  const guide = useGuide(guideId);
  if (guide.isPending) {
    return <Skeleton height={320} />;
  }
  if (guide.isError) {
    return <AdminQueryError error={guide.error} onRetry={() => guide.refetch()} />;
  }
  return <GuideView guide={guide.data} />;
}

/** One interview guide: edit its sections (saved as a new version), see and open earlier versions. */
export function GuidePage() {
  return (
    <AdminsOnly title="Interview guide" ability="manageGuides">
      <GuideLoader />
    </AdminsOnly>
  );
}
