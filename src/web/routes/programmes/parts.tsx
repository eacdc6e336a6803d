import { Badge } from '@mantine/core';
import {
  NOMINATION_STATUS_COLORS,
  NOMINATION_STATUS_LABELS,
  type NominationStatus,
  PROGRAMME_STATUS_COLORS,
  PROGRAMME_STATUS_LABELS,
  type ProgrammeStatus,
} from './labels';

export function ProgrammeStatusBadge({ status }: { status: ProgrammeStatus }) {
  return (
    <Badge variant="dot" color={PROGRAMME_STATUS_COLORS[status]}>
      {PROGRAMME_STATUS_LABELS[status]}
    </Badge>
  );
}

export function NominationStatusBadge({ status }: { status: NominationStatus }) {
  return (
    <Badge variant="dot" color={NOMINATION_STATUS_COLORS[status]} tt="none">
      {NOMINATION_STATUS_LABELS[status]}
    </Badge>
  );
}
