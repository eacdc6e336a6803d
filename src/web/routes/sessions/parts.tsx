import { Badge, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import {
  CONFIDENTIALITY_COLORS,
  CONFIDENTIALITY_HELP,
  CONFIDENTIALITY_LABELS,
  type Confidentiality,
  type Remark,
  SESSION_STATUS_COLORS,
  SESSION_STATUS_LABELS,
  type SessionStatus,
} from './labels';

/** Orange alert titles fall short of AA contrast on their tinted background; they are set in the text colour instead. */
export const WARNING_STYLES = { title: { color: 'var(--mantine-color-text)' } };

export function SessionStatusBadge({ status }: { status: SessionStatus }) {
  return (
    <Badge variant="dot" color={SESSION_STATUS_COLORS[status]} tt="none">
      {SESSION_STATUS_LABELS[status]}
    </Badge>
  );
}

/** How a remark may be shared: its label, with who may read it in the tooltip and for screen readers. */
export function ConfidentialityBadge({ confidentiality }: { confidentiality: Confidentiality }) {
  return (
    <Tooltip label={CONFIDENTIALITY_HELP[confidentiality]} withArrow>
      <Badge
        variant="light"
        color={CONFIDENTIALITY_COLORS[confidentiality]}
        tt="none"
        leftSection={confidentiality === 'programme_only' ? <IconLock size={10} aria-hidden /> : undefined}
        aria-label={`${CONFIDENTIALITY_LABELS[confidentiality]}: ${CONFIDENTIALITY_HELP[confidentiality].toLowerCase()}`}
      >
        {CONFIDENTIALITY_LABELS[confidentiality]}
      </Badge>
    </Tooltip>
  );
}

/** A remark as its reader may see it: confidentiality, theme, words and — only when the API gives one — who said it. */
export function RemarkItem({ remark, actions }: { remark: Remark; actions?: React.ReactNode }) {
  return (
    <Paper withBorder p="sm" radius="sm" bg={remark.confidentiality === 'programme_only' ? 'red.0' : undefined}>
      <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Group gap="xs">
            <ConfidentialityBadge confidentiality={remark.confidentiality} />
            {remark.theme && (
              <Badge variant="outline" color="gray" tt="none">
                {remark.theme}
              </Badge>
            )}
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {remark.text}
          </Text>
          {remark.speaker && (
            <Text size="xs" c="dimmed">
              — {remark.speaker.name}
            </Text>
          )}
        </Stack>
        {actions}
      </Group>
    </Paper>
  );
}
