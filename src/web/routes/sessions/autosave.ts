import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Schemas } from '../../api/client';
import {
  type AnswerEvent,
  type AnswerState,
  answerReducer,
  type DraftStorage,
  initialAnswerState,
  loadAnswerDraft,
  needsSave,
  retryDelay,
  type SaveOutcome,
  saveOutcome,
  storeAnswerState,
} from './drafts';
import type { SessionDetail } from './labels';
import { sessionKeys } from './queries';

type Answer = Schemas['SessionAnswer'];

/** How long typing must pause before the notes are sent. */
export const SAVE_DEBOUNCE_MS = 800;

/** localStorage when the browser lets the page use it; otherwise a memory stand-in (drafts then last until the tab closes). */
export function browserStorage(): DraftStorage {
  try {
    const probe = '__hearken_probe__';
    window.localStorage.setItem(probe, '1');
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    const map = new Map<string, string>();
    return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
  }
}

/** Sends a request and classifies what came back; a request that never got an answer is 'offline'. */
export async function send<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<SaveOutcome<T>> {
  try {
    const { data, error, response } = await request;
    return saveOutcome(response.status, data, error);
  } catch {
    return { kind: 'offline' };
  }
}

/** A 401 on an autosave signs the user out the way every other request does; the drafts stay on the device. */
export function onSignedOut(queryClient: QueryClient, outcome: SaveOutcome<unknown>) {
  if (outcome.kind === 'failed' && outcome.status === 401) {
    queryClient.setQueryData(['me'], null);
  }
}

/** Keeps the cached session in step with what was saved, so other views (and a later visit) show it. */
export function updateCachedSession(queryClient: QueryClient, sessionId: string, change: (session: SessionDetail) => SessionDetail) {
  queryClient.setQueryData<SessionDetail>(sessionKeys.detail(sessionId), (old) => (old ? change(old) : old));
}

interface AnswerAutosaveOptions {
  sessionId: string;
  questionKey: string;
  /** The notes the server holds, from the session. */
  server: Answer | undefined;
  storage: DraftStorage;
  /** False while capture is closed (the notes are then read-only). */
  enabled: boolean;
}

/**
 * Autosave for one question's notes. Every change is kept on the device at once; after a pause
 * in typing (and on blur, on leaving the page, on hiding the tab) the notes are sent with the
 * version they were based on. A save that cannot reach the server is retried with back-off and
 * as soon as the browser is back online; an edit conflict is held until the writer chooses.
 */
export function useAnswerAutosave({ sessionId, questionKey, server, storage, enabled }: AnswerAutosaveOptions) {
  const queryClient = useQueryClient();
  const stateRef = useRef<AnswerState>(undefined as unknown as AnswerState);
  const [state, setState] = useState<AnswerState>(() => {
    const initial = initialAnswerState(server, loadAnswerDraft(storage, sessionId, questionKey));
    stateRef.current = initial;
    return initial;
  });
  const [keptOnDevice, setKeptOnDevice] = useState(true);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const attempts = useRef(0);
  const saveRef = useRef<(keepalive?: boolean) => Promise<void>>(async () => undefined);

  const dispatch = useCallback(
    (event: AnswerEvent) => {
      const next = answerReducer(stateRef.current, event);
      if (next === stateRef.current) {
        return;
      }
      stateRef.current = next;
      // Written synchronously, before React renders: a tab closed right after a keystroke keeps it.
      setKeptOnDevice(storeAnswerState(storage, sessionId, questionKey, next));
      setState(next);
    },
    [storage, sessionId, questionKey],
  );

  const schedule = useCallback((ms: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveRef.current(), ms);
  }, []);

  saveRef.current = async (keepalive = false) => {
    clearTimeout(timer.current);
    const current = stateRef.current;
    if (!enabled || !needsSave(current)) {
      return;
    }
    dispatch({ type: 'send' });
    const outcome = await send(
      api.PUT('/api/v1/sessions/{id}/answers/{questionKey}', {
        params: { path: { id: sessionId, questionKey } },
        body: { notes: current.notes, baseVersion: current.version },
        // Lets a save started as the page goes away finish after it has gone.
        keepalive,
      }),
    );
    switch (outcome.kind) {
      case 'saved': {
        attempts.current = 0;
        const answer = outcome.value;
        dispatch({ type: 'saved', answer });
        updateCachedSession(queryClient, sessionId, (s) => ({ ...s, answers: [...s.answers.filter((a) => a.questionKey !== questionKey), answer] }));
        if (needsSave(stateRef.current)) {
          schedule(SAVE_DEBOUNCE_MS);
        }
        return;
      }
      case 'offline':
        dispatch({ type: 'offline' });
        schedule(retryDelay(attempts.current++));
        return;
      case 'conflict': {
        const c = outcome.current;
        dispatch({ type: 'conflict', current: { notes: c.notes ?? '', version: c.version, updatedBy: c.updatedBy ?? null, updatedAt: c.updatedAt } });
        return;
      }
      case 'failed':
        dispatch({ type: 'failed', message: outcome.message });
        onSignedOut(queryClient, outcome);
        return;
    }
  };

  // On load: drop drafts the server already holds, and sync those newer than the server.
  useEffect(() => {
    setKeptOnDevice(storeAnswerState(storage, sessionId, questionKey, stateRef.current));
    if (needsSave(stateRef.current)) {
      schedule(0);
    }
  }, [storage, sessionId, questionKey, schedule]);

  // The session was loaded again: follow a newer server version when nothing here is unsaved.
  const serverVersion = server?.version;
  useEffect(() => {
    if (server && serverVersion !== undefined) {
      dispatch({ type: 'remote', answer: server });
    }
  }, [serverVersion, server, dispatch]);

  useEffect(() => {
    const flush = () => void saveRef.current(true);
    const onVisibility = () => document.visibilityState === 'hidden' && flush();
    const onOnline = () => {
      attempts.current = 0;
      void saveRef.current();
    };
    window.addEventListener('pagehide', flush);
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisibility);
      clearTimeout(timer.current);
      // Leaving the page within the app: send what is pending (the draft stays until it lands).
      void saveRef.current();
    };
  }, []);

  return {
    state,
    keptOnDevice,
    edit: (notes: string) => {
      dispatch({ type: 'edit', notes });
      if (enabled) {
        schedule(SAVE_DEBOUNCE_MS);
      }
    },
    flush: () => void saveRef.current(),
    keepMine: () => {
      dispatch({ type: 'keepMine' });
      void saveRef.current();
    },
    takeTheirs: () => dispatch({ type: 'takeTheirs' }),
  };
}
