import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A badge whose colour is carried by a dot while the text stays dark: Mantine's light and filled
 * greens, oranges and reds all fall short of WCAG AA contrast for small text.
 */
export function StatusBadge({ color, children }: { color: string; children: ReactNode }) {
  return (
    // max-content: in a crowded table the cell would otherwise squeeze the label to "A…".
    <Badge variant="dot" color={color} style={{ minWidth: 'max-content' }}>
      {children}
    </Badge>
  );
}
