import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/**
 * Query keys for listening sessions. A session's capture and summary views share its detail
 * key, so invalidating a session refreshes every view of it, and `sessionKeys.lists()` every list.
 */
export const sessionKeys = {
  all: ['sessions'] as const,
  lists: () => [...sessionKeys.all, 'list'] as const,
  detail: (id: string) => [...sessionKeys.all, 'detail', id] as const,
};

export function useSession(id: string) {
  return useQuery({
    queryKey: sessionKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/v1/sessions/{id}', { params: { path: { id } } })),
  });
}

/** Interview guides to choose from (same key as the guides pages, so they share the cache). */
export function useGuideOptions(enabled = true) {
  return useQuery({
    queryKey: ['guides', 'list'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/guides'))).items,
    enabled,
    staleTime: 60_000,
  });
}

/** Programmes to file sessions under, newest first; only for those who may read programmes. */
export function useProgrammeOptions(enabled: boolean) {
  return useQuery({
    queryKey: ['programmes', 'list', 'options'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/programmes', { params: { query: { limit: 200, order: 'desc' } } }))).items,
    enabled,
    staleTime: 60_000,
  });
}

/** A client's contacts, for choosing the stakeholders of a session. */
export function useClientContacts(clientId: string | null) {
  return useQuery({
    queryKey: ['clients', 'detail', clientId, 'contacts'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients/{id}/contacts', { params: { path: { id: clientId as string } } }))).items,
    enabled: !!clientId,
  });
}
