import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';

export type ActionListQuery = NonNullable<paths['/api/v1/actions']['get']['parameters']['query']>;

/** Query keys for actions: invalidating `actionKeys.all` refreshes every list, view and detail. */
export const actionKeys = {
  all: ['actions'] as const,
  lists: () => [...actionKeys.all, 'list'] as const,
  unactioned: () => [...actionKeys.all, 'unactioned'] as const,
  detail: (id: string) => [...actionKeys.all, 'detail', id] as const,
  comments: (id: string) => [...actionKeys.detail(id), 'comments'] as const,
  settings: ['settings', 'loop'] as const,
};

const PAGE_SIZE = 50;

export function useActionList(filters: Omit<ActionListQuery, 'cursor' | 'limit' | 'total'>, enabled = true) {
  return useInfiniteQuery({
    queryKey: [...actionKeys.lists(), filters],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/actions', { params: { query: { ...filters, cursor: pageParam, limit: PAGE_SIZE, total: pageParam ? undefined : 'true' } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useUnactioned(enabled = true) {
  return useQuery({
    queryKey: actionKeys.unactioned(),
    queryFn: () => unwrap(api.GET('/api/v1/actions/unactioned')),
    enabled,
  });
}

export function useAction(id: string | null) {
  return useQuery({
    queryKey: actionKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/actions/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
  });
}

export function useComments(id: string | null) {
  return useQuery({
    queryKey: actionKeys.comments(id ?? ''),
    queryFn: async () => (await unwrap(api.GET('/api/v1/actions/{id}/comments', { params: { path: { id: id ?? '' } } }))).items,
    enabled: id !== null,
  });
}
