import { ActionIcon, Anchor, Button, Divider, Group, Indicator, Loader, Popover, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBell } from '@tabler/icons-react';
import { Link } from 'react-router';
import { NotificationItem } from './NotificationItem';
import { useLatestNotifications, useMarkAllRead } from './queries';

/** The bell in the header: the unread count, and a popover with the latest notifications. */
export function NotificationBell() {
  const [opened, { toggle, close }] = useDisclosure();
  const latest = useLatestNotifications();
  const markAll = useMarkAllRead();
  const unread = latest.data?.unreadCount ?? 0;
  const label = unread === 0 ? 'Notifications, none unread' : `Notifications, ${unread} unread`;

  // The Indicator wraps the whole Popover, not its target: Popover.Target puts its aria
  // attributes on its direct child, and on the Indicator's div they are not allowed (axe).
  return (
    <Indicator label={unread > 99 ? '99+' : unread} size={18} color="red.9" disabled={unread === 0} offset={4}>
      <Popover opened={opened} onChange={(o) => (o ? undefined : close())} position="bottom-end" width={380} withinPortal trapFocus shadow="md">
        <Popover.Target>
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={label} aria-expanded={opened} aria-haspopup="dialog" onClick={toggle}>
            <IconBell size={20} aria-hidden />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown aria-label="Notifications" role="dialog">
          <Stack gap="sm">
            <Group justify="space-between">
              <Text fw={600}>Notifications</Text>
              <Button size="compact-sm" variant="subtle" disabled={unread === 0} loading={markAll.isPending} onClick={() => markAll.mutate()}>
                Mark all read
              </Button>
            </Group>
            {latest.isPending ? (
              <Loader size="sm" aria-label="Loading notifications" />
            ) : latest.isError ? (
              <Text size="sm" c="red.9">
                Could not load notifications.
              </Text>
            ) : latest.data.items.length === 0 ? (
              <Text size="sm" c="dimmed">
                Nothing yet. You will hear here when an action is given to you, someone comments on yours, or a nomination awaits your answer.
              </Text>
            ) : (
              <ScrollArea.Autosize mah={360}>
                <Stack gap="sm">
                  {latest.data.items.map((n) => (
                    <NotificationItem key={n.id} notification={n} onOpen={close} compact />
                  ))}
                </Stack>
              </ScrollArea.Autosize>
            )}
            <Divider />
            <Anchor component={Link} to="/notifications" size="sm" onClick={close}>
              See all notifications
            </Anchor>
          </Stack>
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}
