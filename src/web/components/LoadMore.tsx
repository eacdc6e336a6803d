import { Button, Group, Text } from '@mantine/core';

/** The foot of a paged list: how much is shown out of how much, and the button that fetches the next page. */
export function LoadMore({
  shown,
  total,
  hasMore,
  loading,
  onLoadMore,
}: {
  shown: number;
  total: number | null | undefined;
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}) {
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed">
        Showing {shown} of {total ?? shown}
      </Text>
      {hasMore && (
        <Button variant="default" onClick={onLoadMore} loading={loading}>
          Load more
        </Button>
      )}
    </Group>
  );
}
