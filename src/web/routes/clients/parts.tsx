import { Badge, Text, VisuallyHidden } from '@mantine/core';
import { CLIENT_STATUS_COLORS, CLIENT_STATUS_LABELS, type ClientStatus, MATTER_STATUS_COLORS, MATTER_STATUS_LABELS, type MatterStatus } from './labels';

export function ClientStatusBadge({ status }: { status: ClientStatus }) {
  return (
    <Badge variant="dot" color={CLIENT_STATUS_COLORS[status]}>
      {CLIENT_STATUS_LABELS[status]}
    </Badge>
  );
}

export function MatterStatusBadge({ status }: { status: MatterStatus }) {
  return (
    <Badge variant="dot" color={MATTER_STATUS_COLORS[status]}>
      {MATTER_STATUS_LABELS[status]}
    </Badge>
  );
}

/** An empty cell or field: a dash to the eye, "none" to a screen reader. */
export function Dash() {
  return (
    <>
      <Text span c="dimmed" aria-hidden>
        —
      </Text>
      <VisuallyHidden>none</VisuallyHidden>
    </>
  );
}
