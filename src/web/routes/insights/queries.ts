import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Query keys for themes and insights; invalidating `insightKeys.all` refreshes every insight view. */
export const insightKeys = {
  all: ['insights'] as const,
  knowledge: (clientId: string) => [...insightKeys.all, 'knowledge', clientId] as const,
  session: (sessionId: string) => [...insightKeys.all, 'session', sessionId] as const,
  themes: (active: boolean) => ['themes', active ? 'active' : 'all'] as const,
};

export function useThemes(active: boolean) {
  return useQuery({
    queryKey: insightKeys.themes(active),
    queryFn: async () => (await unwrap(api.GET('/api/v1/themes', { params: { query: active ? { active: 'true' } : {} } }))).items,
  });
}

export function useKnowledge(clientId: string, filters: { type?: string | undefined; themeId?: string | undefined }) {
  return useQuery({
    queryKey: [...insightKeys.knowledge(clientId), filters],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/clients/{id}/knowledge', {
          params: { path: { id: clientId }, query: filters as { type?: 'praise'; themeId?: string } },
        }),
      ),
  });
}

export function useSessionInsights(sessionId: string, enabled: boolean) {
  return useQuery({
    queryKey: insightKeys.session(sessionId),
    queryFn: () => unwrap(api.GET('/api/v1/sessions/{id}/insights', { params: { path: { id: sessionId } } })),
    enabled,
  });
}
