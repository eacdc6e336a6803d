import { Button, Center, Group, Loader, Paper, SegmentedControl, Stack } from '@mantine/core';
import { useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { NotificationItem } from './NotificationItem';
import { useMarkAllRead, useNotificationPages } from './queries';

/** /notifications: every notification, newest first, with an unread filter and "load more". */
export function NotificationsPage() {
  const [show, setShow] = useState<'all' | 'unread'>('all');
  const pages = useNotificationPages(show === 'unread');
  const markAll = useMarkAllRead();
  const items = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = pages.data?.pages[0]?.unreadCount ?? 0;

  return (
    <Stack>
      <PageHeader
        title="Notifications"
        description="What happened that concerns you: actions given to you, comments on yours, escalations and nominations awaiting your answer."
        actions={
          <Button variant="default" disabled={unread === 0} loading={markAll.isPending} onClick={() => markAll.mutate()}>
            Mark all read
          </Button>
        }
      />
      <Group>
        <SegmentedControl
          aria-label="Show"
          value={show}
          onChange={(v) => setShow(v as 'all' | 'unread')}
          data={[
            { value: 'all', label: 'All' },
            { value: 'unread', label: `Unread (${unread})` },
          ]}
        />
      </Group>
      {pages.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading notifications" />
        </Center>
      ) : pages.isError ? (
        <QueryError error={pages.error} onRetry={() => pages.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={show === 'unread' ? 'Nothing unread' : 'No notifications yet'}>
          {show === 'unread'
            ? 'You have read everything.'
            : 'You will hear here when an action is given to you, someone comments on yours, or a nomination awaits your answer.'}
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <Paper withBorder p="md" radius="md">
            <Stack gap="md" component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {items.map((n) => (
                <li key={n.id}>
                  <NotificationItem notification={n} />
                </li>
              ))}
            </Stack>
          </Paper>
          <LoadMore
            shown={items.length}
            total={pages.data?.pages[0]?.total}
            hasMore={!!pages.hasNextPage}
            loading={pages.isFetchingNextPage}
            onLoadMore={() => pages.fetchNextPage()}
          />
        </Stack>
      )}
    </Stack>
  );
}
