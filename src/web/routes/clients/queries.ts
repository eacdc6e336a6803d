import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/**
 * Query keys for everything about clients. Sub-resources sit under the client's detail key, so
 * invalidating a client refreshes its contacts, matters and team too, and invalidating
 * `clientKeys.all` refreshes every list.
 */
export const clientKeys = {
  all: ['clients'] as const,
  lists: () => [...clientKeys.all, 'list'] as const,
  detail: (id: string) => [...clientKeys.all, 'detail', id] as const,
  contacts: (id: string) => [...clientKeys.detail(id), 'contacts'] as const,
  matters: (id: string) => [...clientKeys.detail(id), 'matters'] as const,
};

export function useClient(id: string) {
  return useQuery({
    queryKey: clientKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}', { params: { path: { id } } })),
  });
}

export function useContacts(clientId: string) {
  return useQuery({
    queryKey: clientKeys.contacts(clientId),
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients/{id}/contacts', { params: { path: { id: clientId } } }))).items,
  });
}

export function useMatters(clientId: string) {
  return useQuery({
    queryKey: clientKeys.matters(clientId),
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients/{id}/matters', { params: { path: { id: clientId } } }))).items,
  });
}
