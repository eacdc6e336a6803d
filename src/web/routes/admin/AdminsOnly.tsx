import { Alert } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiProblem } from '../../api/client';
import { type FirmAbilities, useAuth } from '../../auth';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { DARK_TITLE } from './OneTimeSecretModal';

/** What a non-admin sees on an administration page instead of its content. */
export function AdminsOnlyNotice() {
  return (
    <Alert color="yellow" title="Admins only" icon={<IconShieldLock aria-hidden />} role="alert" styles={DARK_TITLE}>
      This page is for administrators of Hearken. If something here needs changing, ask one of your firm’s admins.
    </Alert>
  );
}

/**
 * Shows the children to admins only. Some of what these pages list (users, teams) is readable
 * by every colleague through the API, so the page itself says who it is for rather than
 * relying on a 403.
 */
export function AdminsOnly({ title, ability, children }: { title: string; ability: keyof FirmAbilities; children: ReactNode }) {
  const { abilities } = useAuth();
  if (abilities?.[ability]) {
    return <>{children}</>;
  }
  return (
    <>
      <PageHeader title={title} />
      <AdminsOnlyNotice />
    </>
  );
}

/** A failed load; a 403 (the role changed since sign-in) reads as "admins only", not as a fault. */
export function AdminQueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error instanceof ApiProblem && error.status === 403) {
    return <AdminsOnlyNotice />;
  }
  return <QueryError error={error} onRetry={onRetry} />;
}
