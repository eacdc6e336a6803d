import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { notifyFailed } from '../../forms';

export const NOTIFICATIONS_KEY = ['notifications'];
const PAGE_SIZE = 20;

/** The latest few and the unread count, for the bell; refreshed every minute. */
export function useLatestNotifications() {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'latest'],
    queryFn: () => unwrap(api.GET('/api/v1/me/notifications', { params: { query: { limit: 8 } } })),
    refetchInterval: 60_000,
  });
}

export function useNotificationPages(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'pages', { unreadOnly }],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/me/notifications', {
          params: { query: { limit: PAGE_SIZE, ...(unreadOnly ? { unread: 'true' as const } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/me/notifications/{id}/read', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
    onError: (err) => notifyFailed('Could not mark it read', err),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/me/notifications/read-all')),
    onSettled: () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
    onError: (err) => notifyFailed('Could not mark them read', err),
  });
}
