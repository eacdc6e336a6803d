import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Schemas } from '../../api/client';
import { formatDateTime } from '../admin/labels';
import { KIND_LABELS } from './labels';
import { useMarkRead } from './queries';

type Notification = Schemas['Notification'];

/** One notification: what happened (a link to it, which also marks it read), when, and a "mark read" button while unread. */
export function NotificationItem({ notification: n, onOpen, compact = false }: { notification: Notification; onOpen?: () => void; compact?: boolean }) {
  const markRead = useMarkRead();
  const unread = n.readAt === null;
  return (
    <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Group gap="xs" wrap="nowrap">
          {unread && (
            <Badge variant="dot" color="blue.9" size="sm">
              Unread
            </Badge>
          )}
          <Text size="xs" c="dimmed">
            {KIND_LABELS[n.kind]} · {formatDateTime(n.createdAt)}
          </Text>
        </Group>
        <Anchor
          component={Link}
          to={n.link}
          fw={unread ? 600 : 400}
          size="sm"
          onClick={() => {
            if (unread) {
              markRead.mutate(n.id);
            }
            onOpen?.();
          }}
        >
          {n.title}
        </Anchor>
        {n.body && !compact && (
          <Text size="sm" c="dimmed" lineClamp={3}>
            {n.body}
          </Text>
        )}
      </Stack>
      {unread && (
        <Button size="compact-xs" variant="subtle" onClick={() => markRead.mutate(n.id)} loading={markRead.isPending} aria-label={`Mark read: ${n.title}`}>
          Mark read
        </Button>
      )}
    </Group>
  );
}
