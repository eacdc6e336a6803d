import { useQuery } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../../api/client';

export type Guide = Schemas['Guide'];
export type GuideDetail = Schemas['GuideDetail'];
export type GuideSection = Schemas['GuideSection'];
export type ScoreDimension = Schemas['ScoreDimension'];

/** Query keys for guides and score dimensions: invalidating `guideKeys.all` refreshes every guide view. */
export const guideKeys = {
  all: ['guides'] as const,
  list: () => [...guideKeys.all, 'list'] as const,
  detail: (id: string) => [...guideKeys.all, 'detail', id] as const,
  version: (id: string, version: number) => [...guideKeys.all, 'detail', id, 'version', version] as const,
  dimensions: ['score-dimensions'] as const,
};

export function useGuides() {
  return useQuery({ queryKey: guideKeys.list(), queryFn: async () => (await unwrap(api.GET('/api/v1/guides'))).items });
}

export function useGuide(id: string) {
  return useQuery({ queryKey: guideKeys.detail(id), queryFn: () => unwrap(api.GET('/api/v1/guides/{id}', { params: { path: { id } } })) });
}

export function useGuideVersion(id: string, version: number | undefined) {
  return useQuery({
    queryKey: guideKeys.version(id, version ?? 0),
    queryFn: () => unwrap(api.GET('/api/v1/guides/{id}/versions/{version}', { params: { path: { id, version: version ?? 1 } } })),
    enabled: version !== undefined,
  });
}

export function useScoreDimensions() {
  return useQuery({ queryKey: guideKeys.dimensions, queryFn: async () => (await unwrap(api.GET('/api/v1/score-dimensions'))).items });
}
