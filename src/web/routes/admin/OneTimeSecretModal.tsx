import { ActionIcon, Alert, Button, CopyButton, Group, Modal, Stack, TextInput, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/** Mantine's orange and yellow alert titles fall short of AA contrast on their tint. */
export const DARK_TITLE = { title: { color: 'var(--mantine-color-text)' } };

/** A copy-to-clipboard button for a field, with a label that says what it copies. */
export function CopyField({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
          <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={copied ? `${label} copied` : `Copy ${label.toLowerCase()}`}>
            {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

interface OneTimeSecretModalProps {
  opened: boolean;
  title: string;
  /** What the secret is, e.g. "Temporary password"; the field's label. */
  label: string;
  secret: string;
  /** Who the secret is for and what to do with it. */
  children?: ReactNode;
  onClose: () => void;
}

/**
 * Shows a secret the server returns only once (a generated password, an API token). It does
 * not close on a stray click outside, so the secret is not lost before it has been copied.
 */
export function OneTimeSecretModal({ opened, title, label, secret, children, onClose }: OneTimeSecretModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered size="lg" closeOnClickOutside={false}>
      <Stack>
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title="Shown only once" styles={DARK_TITLE}>
          Copy it now. Hearken stores only a one-way hash, so it cannot show it again.
        </Alert>
        <TextInput
          label={label}
          value={secret}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          rightSection={<CopyField value={secret} label={label} />}
        />
        {children}
        <Group justify="flex-end">
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
