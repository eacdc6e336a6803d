import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';

interface ConfirmDialogProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Runs on confirm; the dialog shows it working until a returned promise settles. */
  onConfirm: () => unknown;
  /** Destructive actions get a red button. */
  danger?: boolean;
}

/**
 * Asks before doing something that cannot be undone. The confirm button is not focused first,
 * so that an Enter pressed by habit cancels rather than deletes.
 */
export function ConfirmDialog({ opened, onClose, title, children, confirmLabel, onConfirm, danger = true }: ConfirmDialogProps) {
  const [working, setWorking] = useState(false);
  const confirm = async () => {
    setWorking(true);
    try {
      await onConfirm();
    } finally {
      setWorking(false);
    }
  };
  return (
    <Modal opened={opened} onClose={working ? () => undefined : onClose} closeOnClickOutside={!working} title={title} centered>
      <Stack>
        {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={working} data-autofocus>
            Cancel
          </Button>
          <Button color={danger ? 'red.9' : undefined} onClick={confirm} loading={working}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
