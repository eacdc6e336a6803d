import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { ApiProblem, api, type Schemas, setCsrfToken, unwrap } from './api/client';

export type User = Schemas['User'];
export type FirmAbilities = Schemas['FirmAbilities'];

interface Me {
  user: User;
  abilities: FirmAbilities;
}

interface AuthState {
  user: User | undefined;
  /** What the user may do firm-wide, as the server's policy says (shapes navigation and buttons). */
  abilities: FirmAbilities | undefined;
  loading: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

/**
 * Drops cached data when the signed-in user changes, so nobody sees the previous user's pages.
 * The `me` query stays: the provider observes it, and removing it would orphan that observer.
 */
function forgetEverythingBut(queryClient: QueryClient, key: string) {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== key });
}

const AuthContext = createContext<AuthState | undefined>(undefined);

/** Who is signed in, from /api/v1/me; a 401 means nobody. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        const result = await unwrap(api.GET('/api/v1/me'));
        setCsrfToken(result.csrfToken);
        return { user: result.user, abilities: result.abilities };
      } catch (err) {
        if (err instanceof ApiProblem && err.status === 401) {
          return null;
        }
        throw err;
      }
    },
    staleTime: 60_000,
    retry: false,
  });

  const state: AuthState = {
    user: me.data?.user,
    abilities: me.data?.abilities,
    loading: me.isPending,
    async signIn(email, password) {
      const result = await unwrap(api.POST('/api/v1/auth/login', { body: { email, password } }));
      setCsrfToken(result.csrfToken);
      forgetEverythingBut(queryClient, 'me');
      queryClient.setQueryData(['me'], { user: result.user, abilities: result.abilities } satisfies Me);
    },
    async signOut() {
      await unwrap(api.POST('/api/v1/auth/logout'));
      setCsrfToken(undefined);
      forgetEverythingBut(queryClient, 'me');
      queryClient.setQueryData(['me'], null);
    },
  };
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) {
    throw new Error('useAuth outside AuthProvider');
  }
  return state;
}
