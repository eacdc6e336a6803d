import { Button, Group, Paper, SegmentedControl, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api } from '../../api/client';
import { onSignedOut, send, updateCachedSession } from './autosave';
import {
  applyScores,
  type DraftStorage,
  isEmptyScores,
  loadScoresDraft,
  mergeScores,
  retryDelay,
  type ScoresDraft,
  scoresLeftAfter,
  storeScoresDraft,
} from './drafts';
import type { SessionDetail } from './labels';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/**
 * NPS (0–10), overall satisfaction (1–10) and dimension scores (1–5), one tap each. A pick is
 * kept on the device at once and sent straight away; picks made while offline are sent once the
 * browser is back online.
 */
export function ScoresPanel({ session, storage, enabled }: { session: SessionDetail; storage: DraftStorage; enabled: boolean }) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<ScoresDraft>(() => loadScoresDraft(storage, session.id));
  const pendingRef = useRef(pending);
  const sending = useRef(false);
  const [status, setStatus] = useState<'idle' | 'saving' | 'offline' | 'failed'>('idle');
  const [error, setError] = useState<string | null>(null);
  const attempts = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const keep = useCallback(
    (next: ScoresDraft) => {
      pendingRef.current = next;
      storeScoresDraft(storage, session.id, next);
      setPending(next);
    },
    [storage, session.id],
  );

  const sync = useCallback(async () => {
    clearTimeout(timer.current);
    const sent = pendingRef.current;
    if (!enabled || sending.current || isEmptyScores(sent)) {
      return;
    }
    sending.current = true;
    setStatus('saving');
    const outcome = await send(api.PUT('/api/v1/sessions/{id}/scores', { params: { path: { id: session.id } }, body: sent }));
    sending.current = false;
    switch (outcome.kind) {
      case 'saved': {
        attempts.current = 0;
        const scores = outcome.value;
        updateCachedSession(queryClient, session.id, (s) => ({ ...s, scores }));
        keep(scoresLeftAfter(pendingRef.current, sent));
        setStatus('idle');
        setError(null);
        if (!isEmptyScores(pendingRef.current)) {
          void sync();
        }
        return;
      }
      case 'offline':
        setStatus('offline');
        timer.current = setTimeout(() => void sync(), retryDelay(attempts.current++));
        return;
      case 'conflict':
      case 'failed':
        setStatus('failed');
        setError(outcome.kind === 'failed' ? outcome.message : 'The scores changed meanwhile');
        onSignedOut(queryClient, outcome);
        return;
    }
  }, [enabled, session.id, queryClient, keep]);

  useEffect(() => {
    void sync();
    const onOnline = () => {
      attempts.current = 0;
      void sync();
    };
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      clearTimeout(timer.current);
    };
  }, [sync]);

  const pick = (change: ScoresDraft) => {
    keep(mergeScores(pendingRef.current, change));
    setError(null);
    void sync();
  };

  const shown = applyScores(session.scores, pending);
  const statusText =
    status === 'saving'
      ? 'Saving…'
      : status === 'failed'
        ? `Not saved: ${error}`
        : !isEmptyScores(pending)
          ? 'Saved on this device'
          : shown.nps !== null || shown.satisfaction !== null || shown.dimensions.some((d) => d.score !== null)
            ? 'Saved'
            : '';

  return (
    <Paper withBorder p="lg" radius="md">
      <Group justify="space-between" mb="md">
        <Title order={3} size="h4">
          Scores
        </Title>
        <Text size="xs" c={status === 'failed' ? 'red.9' : 'dimmed'}>
          {statusText}
        </Text>
      </Group>
      <Stack gap="md">
        <ScorePicker
          label="Likelihood to recommend (NPS)"
          help="0 = not at all likely, 10 = extremely likely"
          values={range(0, 10)}
          value={shown.nps}
          onChange={(nps) => pick({ nps })}
          disabled={!enabled}
        />
        <ScorePicker
          label="Overall satisfaction"
          help="1 = very dissatisfied, 10 = very satisfied"
          values={range(1, 10)}
          value={shown.satisfaction}
          onChange={(satisfaction) => pick({ satisfaction })}
          disabled={!enabled}
        />
        {shown.dimensions.map((d) => (
          <ScorePicker
            key={d.key}
            label={d.label}
            help={d.active ? '1 = poor, 5 = excellent' : 'No longer in use: kept as scored'}
            values={range(1, 5)}
            value={d.score}
            onChange={(score) => pick({ dimensions: { [d.key]: score } })}
            disabled={!enabled || !d.active}
          />
        ))}
        {status === 'failed' && (
          <Group gap="xs">
            <Button size="xs" variant="light" onClick={() => void sync()}>
              Try again
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color="gray"
              onClick={() => {
                keep({});
                setStatus('idle');
                setError(null);
              }}
            >
              Discard unsaved scores
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function ScorePicker({
  label,
  help,
  values,
  value,
  onChange,
  disabled,
}: {
  label: string;
  help: string;
  values: string[];
  value: number | null;
  onChange: (score: number | null) => void;
  disabled: boolean;
}) {
  const labelId = useId();
  const helpId = useId();
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Text component="span" id={labelId} size="sm" fw={500}>
          {label}
        </Text>
        <Text id={helpId} size="xs" c="dimmed">
          {help}
        </Text>
      </Group>
      <SegmentedControl
        aria-labelledby={labelId}
        aria-describedby={helpId}
        fullWidth
        size="xs"
        disabled={disabled}
        value={value === null ? '' : String(value)}
        onChange={(v) => onChange(v === '' ? null : Number(v))}
        data={[
          {
            value: '',
            label: (
              <>
                <span aria-hidden>–</span>
                <VisuallyHidden>Not scored</VisuallyHidden>
              </>
            ),
          },
          ...values.map((v) => ({ value: v, label: v })),
        ]}
      />
    </Stack>
  );
}
