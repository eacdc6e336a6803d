import {
  ActionIcon,
  Anchor,
  Button,
  Center,
  Code,
  DataList,
  Grid,
  Group,
  Loader,
  NumberInput,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { type UseFormReturnType, useForm } from '@mantine/form';
import { IconBan, IconExternalLink, IconPlus } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { type User, useAuth } from '../../auth';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved, showApiErrors } from '../../forms';
import { formatDate, formatDateTime, roleDescription, roleLabel } from '../admin/labels';
import { CopyField, OneTimeSecretModal } from '../admin/OneTimeSecretModal';
import { StatusBadge } from '../admin/StatusBadge';
import { DigestSettings } from '../notifications/DigestSettings';
import { CalendarFeedSection } from '../preferences/CalendarFeedSection';

type ApiToken = Schemas['ApiToken'];

const MIN_PASSWORD_LENGTH = 12;
// Not under 'me': the sign-in code keeps 'me' queries across a change of user, and tokens must not.
const TOKENS_KEY = ['my-api-tokens'];

function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label={title}>
      <Stack gap="md">
        <div>
          <Title order={3} size="h4">
            {title}
          </Title>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

function Profile({ user }: { user: User }) {
  return (
    <Section title="Profile" description="Your details as the firm’s admins set them. Ask an admin to change them.">
      <DataList labelWidth={90}>
        <DataList.Item>
          <DataList.ItemLabel>Name</DataList.ItemLabel>
          <DataList.ItemValue>{user.name}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Email</DataList.ItemLabel>
          <DataList.ItemValue>{user.email}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Role</DataList.ItemLabel>
          <DataList.ItemValue>
            {roleLabel(user.role)}
            <Text size="xs" c="dimmed">
              {roleDescription(user.role)}
            </Text>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Title</DataList.ItemLabel>
          <DataList.ItemValue>{user.title ?? '—'}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Office</DataList.ItemLabel>
          <DataList.ItemValue>{user.office ?? '—'}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Teams</DataList.ItemLabel>
          <DataList.ItemValue>{user.teams.length ? user.teams.map((t) => t.name).join(', ') : '—'}</DataList.ItemValue>
        </DataList.Item>
      </DataList>
    </Section>
  );
}

/**
 * A PasswordInput's props from the form. Mantine marks an invalid password field only with a
 * data attribute, so aria-invalid is added for screen readers.
 */
function passwordProps<F extends 'currentPassword' | 'newPassword' | 'confirmPassword'>(form: UseFormReturnType<Record<F, string>>, field: F) {
  return { ...form.getInputProps(field), 'aria-invalid': !!form.errors[field] };
}

function ChangePassword() {
  const { user } = useAuth();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter your current password'),
      newPassword: (v) => (v.length >= MIN_PASSWORD_LENGTH ? null : `At least ${MIN_PASSWORD_LENGTH} characters`),
      confirmPassword: (v, values) => (v === values.newPassword ? null : 'Does not match the new password'),
    },
  });
  return (
    <Section title="Change password" description="Your other sessions are signed out when you change it.">
      <form
        noValidate
        onSubmit={form.onSubmit(async ({ currentPassword, newPassword }) => {
          try {
            await unwrap(api.POST('/api/v1/me/password', { body: { currentPassword, newPassword } }));
            form.reset();
            notifySaved('Password changed. Your other sessions were signed out.');
          } catch (err) {
            showApiErrors(form, err);
          }
        })}
      >
        <Stack>
          {/* Lets password managers file the new password under the right account. */}
          <input type="email" autoComplete="username" hidden readOnly value={user?.email ?? ''} />
          <PasswordInput label="Current password" autoComplete="current-password" required {...passwordProps(form, 'currentPassword')} />
          <PasswordInput
            label="New password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words make a strong one.`}
            autoComplete="new-password"
            required
            {...passwordProps(form, 'newPassword')}
          />
          <PasswordInput label="Confirm new password" autoComplete="new-password" required {...passwordProps(form, 'confirmPassword')} />
          <Group justify="flex-end">
            <Button type="submit" loading={form.submitting}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function tokenStatus(token: ApiToken): { label: string; color: string } {
  if (token.revokedAt) {
    return { label: `Revoked ${formatDate(token.revokedAt)}`, color: 'gray' };
  }
  if (token.expiresAt && Date.parse(token.expiresAt) < Date.now()) {
    return { label: 'Expired', color: 'orange' };
  }
  return { label: 'Active', color: 'green' };
}

function NewTokenForm({ onCreated }: { onCreated: (secret: string, token: ApiToken) => void }) {
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: '', expiresInDays: '' as number | string },
    validate: { name: (v) => (v.trim() ? null : 'Say what the token is for') },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async ({ name, expiresInDays }) => {
        try {
          const created = await unwrap(api.POST('/api/v1/me/tokens', { body: { name, ...(typeof expiresInDays === 'number' ? { expiresInDays } : {}) } }));
          form.reset();
          await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
          onCreated(created.token, created.apiToken);
        } catch (err) {
          showApiErrors(form, err);
        }
      })}
    >
      <Group align="flex-start" wrap="wrap">
        <TextInput label="Token name" placeholder="e.g. CRM sync" w={280} {...form.getInputProps('name')} />
        <NumberInput
          label="Expires after (days)"
          placeholder="Never"
          min={1}
          max={3650}
          allowDecimal={false}
          allowNegative={false}
          w={180}
          {...form.getInputProps('expiresInDays')}
        />
        <Button type="submit" mt={25} loading={form.submitting} leftSection={<IconPlus size={16} aria-hidden />}>
          Create token
        </Button>
      </Group>
    </form>
  );
}

function TokensTable({ tokens, onRevoke }: { tokens: ApiToken[]; onRevoke: (t: ApiToken) => void }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Prefix</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((t) => {
            const status = tokenStatus(t);
            return (
              <Table.Tr key={t.id}>
                <Table.Td fw={500}>{t.name}</Table.Td>
                <Table.Td>
                  <Code>{t.prefix}…</Code>
                </Table.Td>
                <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
                <Table.Td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</Table.Td>
                <Table.Td>{t.expiresAt ? formatDate(t.expiresAt) : 'Never'}</Table.Td>
                <Table.Td>
                  <StatusBadge color={status.color}>{status.label}</StatusBadge>
                </Table.Td>
                <Table.Td>
                  {!t.revokedAt && (
                    <Tooltip label="Revoke">
                      <ActionIcon variant="subtle" color="red" aria-label={`Revoke ${t.name}`} onClick={() => onRevoke(t)}>
                        <IconBan size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ApiTokens() {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ secret: string; token: ApiToken }>();
  const [revoking, setRevoking] = useState<ApiToken>();
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => unwrap(api.GET('/api/v1/me/tokens')) });
  const curl = `curl -H "Authorization: Bearer ${created?.secret ?? ''}" ${window.location.origin}/api/v1/me`;

  return (
    <Section
      title="Personal API tokens"
      description={
        <>
          A token lets a script or integration use the API as you, with your access. See the{' '}
          <Anchor href="/api/docs" target="_blank" rel="noopener" inherit underline="always">
            API reference
            <IconExternalLink size={12} aria-hidden style={{ marginLeft: 2, verticalAlign: 'middle' }} />
            <VisuallyHidden> (opens in a new tab)</VisuallyHidden>
          </Anchor>
          .
        </>
      }
    >
      <NewTokenForm onCreated={(secret, token) => setCreated({ secret, token })} />
      {tokens.isPending ? (
        <Center py="md">
          <Loader aria-label="Loading tokens" />
        </Center>
      ) : tokens.isError ? (
        <QueryError error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : tokens.data.items.length === 0 ? (
        <EmptyState title="No tokens yet">Create one above when an integration needs to reach Hearken on your behalf.</EmptyState>
      ) : (
        <TokensTable tokens={tokens.data.items} onRevoke={setRevoking} />
      )}

      <OneTimeSecretModal
        opened={!!created}
        title={`Token “${created?.token.name ?? ''}” created`}
        label="API token"
        secret={created?.secret ?? ''}
        onClose={() => setCreated(undefined)}
      >
        <Stack gap={4}>
          <Text size="sm">Send it as a bearer token. To try it:</Text>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Code block style={{ flex: 1, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {curl}
            </Code>
            <CopyField value={curl} label="Example request" />
          </Group>
        </Stack>
      </OneTimeSecretModal>

      <ConfirmDialog
        opened={!!revoking}
        title="Revoke token?"
        confirmLabel="Revoke token"
        onClose={() => setRevoking(undefined)}
        onConfirm={async () => {
          if (!revoking) {
            return;
          }
          try {
            await unwrap(api.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id: revoking.id } } }));
            await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
            notifySaved(`Revoked ${revoking.name}.`);
            setRevoking(undefined);
          } catch (err) {
            notifyFailed('Token not revoked', err);
          }
        }}
      >
        <Text size="sm">
          Anything using <strong>{revoking?.name}</strong> will be refused from now on. This cannot be undone; create a new token if you need one again.
        </Text>
      </ConfirmDialog>
    </Section>
  );
}

export function AccountPage() {
  const { user, abilities } = useAuth();
  if (!user) {
    return null;
  }
  return (
    <>
      <PageHeader title="Your account" description="Your profile, your password, your digest email and your API tokens." />
      <Stack gap="lg">
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Profile user={user} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <ChangePassword />
          </Grid.Col>
        </Grid>
        <DigestSettings />
        <ApiTokens />
        {abilities?.readPreferences && <CalendarFeedSection />}
      </Stack>
    </>
  );
}
