import { Anchor, Badge, Button, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { notifyFailed, notifySaved } from '../../forms';
import { formatDate } from '../actions/labels';
import { CATEGORY_COLORS, CATEGORY_LABELS, preferenceKeys, ruleSummary } from './labels';

/** /preferences/ask-again: preferences nobody has confirmed for a long time, oldest first. */
export function AskAgainPage() {
  const queryClient = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: [...preferenceKeys.all, 'stale'],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/preferences', { params: { query: { stale: 'true', limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const act = useMutation({
    mutationFn: ({ id, what }: { id: string; what: 'confirm' | 'archive' }) =>
      unwrap(
        what === 'confirm'
          ? api.POST('/api/v1/preferences/{id}/confirm', { params: { path: { id } } })
          : api.POST('/api/v1/preferences/{id}/archive', { params: { path: { id } } }),
      ),
    onSuccess: async (_p, { what }) => {
      await queryClient.invalidateQueries({ queryKey: preferenceKeys.all });
      notifySaved(what === 'confirm' ? 'Confirmed as still true' : 'Archived: no longer true');
    },
    onError: (err) => notifyFailed('Not saved', err),
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Ask again"
        description="Preferences not confirmed for a long time. Next time you speak to them, ask whether each still holds, then mark it."
      />
      {list.isLoading ? (
        <Group role="status" aria-label="Loading">
          <Loader size="sm" />
        </Group>
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="Nothing to ask again">Every preference you can see was confirmed recently.</EmptyState>
      ) : (
        <Stack gap="xs">
          {items.map((p) => (
            <Paper key={p.id} withBorder p="sm">
              <Group justify="space-between" align="flex-start">
                <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                  <Group gap="xs">
                    <Anchor component={Link} to={`/clients/${p.client.id}/preferences`} fw={600}>
                      {p.client.name}
                    </Anchor>
                    {p.contact && <Text size="sm">{p.contact.name}</Text>}
                    <Badge variant="dot" color={CATEGORY_COLORS[p.category]}>
                      {CATEGORY_LABELS[p.category]}
                    </Badge>
                  </Group>
                  <Text>“{p.statement}”</Text>
                  {p.rule && (
                    <Text size="sm" c="dimmed">
                      {ruleSummary(p.rule)}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed">
                    Last confirmed {formatDate(p.lastConfirmedOn)}
                  </Text>
                </Stack>
                {p.abilities.update && (
                  <Group gap="xs">
                    <Button variant="default" onClick={() => act.mutate({ id: p.id, what: 'confirm' })}>
                      Still true
                    </Button>
                    <Button variant="default" onClick={() => act.mutate({ id: p.id, what: 'archive' })}>
                      No longer true
                    </Button>
                  </Group>
                )}
              </Group>
            </Paper>
          ))}
          <LoadMore
            shown={items.length}
            total={undefined}
            hasMore={!!list.hasNextPage}
            loading={list.isFetchingNextPage}
            onLoadMore={() => list.fetchNextPage()}
          />
        </Stack>
      )}
    </>
  );
}
