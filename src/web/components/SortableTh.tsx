import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export type SortOrder = 'asc' | 'desc';

interface SortableThProps {
  children: ReactNode;
  /** The order this column is sorted in, or undefined when the table is sorted by another. */
  sorted: SortOrder | undefined;
  onSort: () => void;
  align?: 'left' | 'right';
  w?: number | string;
}

/**
 * A column header that sorts the table when pressed. It says how the table is sorted through
 * aria-sort, so screen readers announce it, and is a real button, so keyboards can use it.
 */
export function SortableTh({ children, sorted, onSort, align = 'left', w }: SortableThProps) {
  const Icon = sorted === 'asc' ? IconChevronUp : sorted === 'desc' ? IconChevronDown : IconSelector;
  return (
    <Table.Th aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'} w={w} style={{ textAlign: align }}>
      <UnstyledButton onClick={onSort} style={{ width: '100%' }}>
        <Group gap={4} wrap="nowrap" justify={align === 'right' ? 'flex-end' : 'flex-start'}>
          <Text fw={700} size="sm" component="span">
            {children}
          </Text>
          <Icon size={14} stroke={1.8} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
