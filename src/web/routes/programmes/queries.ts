import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/**
 * Query keys for programmes and nominations. Everything about one programme sits under its
 * detail key, so invalidating the programme refreshes its board, participation and progress.
 */
export const programmeKeys = {
  all: ['programmes'] as const,
  lists: () => [...programmeKeys.all, 'list'] as const,
  detail: (id: string) => [...programmeKeys.all, 'detail', id] as const,
  nominations: (id: string) => [...programmeKeys.detail(id), 'nominations'] as const,
  participation: (id: string) => [...programmeKeys.detail(id), 'participation'] as const,
  inbox: () => ['nominations', 'inbox'] as const,
  answered: () => ['nominations', 'answered'] as const,
};

export function useProgramme(id: string) {
  return useQuery({
    queryKey: programmeKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{id}', { params: { path: { id } } })),
  });
}

export function useProgrammeNominations(id: string, enabled = true) {
  return useQuery({
    queryKey: programmeKeys.nominations(id),
    queryFn: async () => (await unwrap(api.GET('/api/v1/programmes/{id}/nominations', { params: { path: { id } } }))).items,
    enabled,
  });
}

export function useParticipation(id: string, enabled = true) {
  return useQuery({
    queryKey: programmeKeys.participation(id),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{id}/participation', { params: { path: { id } } })),
    enabled,
  });
}
