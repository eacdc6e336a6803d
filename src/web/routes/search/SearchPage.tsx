import { Anchor, Badge, Button, Group, Loader, Mark, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { EmptyState } from '../../components/EmptyState';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { QueryError } from '../../components/QueryError';
import { formatDate } from '../actions/labels';
import { INSIGHT_TYPE_LABELS, INSIGHT_TYPES, themeGroups } from '../insights/labels';
import { useThemes } from '../insights/queries';
import { ClientSelect } from '../sessions/ClientSelect';

type Hit = Schemas['SearchHit'];
type Kind = Hit['kind'];
type InsightType = NonNullable<Hit['insightType']>;

const PAGE_SIZE = 20;

const KIND_LABELS: Record<Kind, string> = {
  insight: 'Insight',
  session_note: 'Session note',
  remark: 'Session remark',
  check_in: 'Check-in',
  problem: 'Problem',
  action: 'Action',
};
const KIND_COLORS: Record<Kind, string> = {
  insight: 'violet',
  session_note: 'blue',
  remark: 'cyan',
  check_in: 'teal',
  problem: 'red',
  action: 'orange',
};
const KINDS = Object.keys(KIND_LABELS) as Kind[];

/** Where a result opens: the record itself, or the page that shows it. */
function linkTo(hit: Hit): string {
  switch (hit.kind) {
    case 'insight':
      return `/clients/${hit.clientId}/knowledge`;
    case 'session_note':
    case 'remark':
      return `/sessions/${hit.sessionId}`;
    case 'check_in':
      return `/check-ins?tab=recent`;
    case 'problem':
      return `/problems?problem=${hit.id}`;
    case 'action':
      return `/actions?action=${hit.id}`;
  }
}

/** Text with its matches marked, from the API's segments (plain text, never HTML). */
function Marked({ segments }: { segments: Schemas['SearchSegment'][] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their place
          <Mark key={i} color="yellow.2" c="dark.9">
            {s.text}
          </Mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their place
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

function toIsoDate(value: string | Date | null): string | undefined {
  if (!value) {
    return undefined;
  }
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

/**
 * /search?q=…: everything the firm heard and did that the reader may see, best match first. The
 * words and filters live in the URL, so a search can be shared and the back button works.
 */
export function SearchPage() {
  const { abilities } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = (KINDS as string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as Kind) : undefined;
  const insightType = (INSIGHT_TYPES as string[]).includes(params.get('insightType') ?? '') ? (params.get('insightType') as InsightType) : undefined;
  const themeId = params.get('themeId') || undefined;
  const clientId = params.get('clientId') || undefined;
  const from = params.get('from') || undefined;
  const to = params.get('to') || undefined;
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) {
        next.set(key, value);
      } else {
        next.delete(key);
      }
    }
    setParams(next);
  };

  const themes = useThemes(false);
  const themesAllowed = !!abilities?.readInsights;
  const client = useQuery({
    queryKey: ['clients', 'detail', clientId],
    queryFn: () => unwrap(api.GET('/api/v1/clients/{id}', { params: { path: { id: clientId as string } } })),
    enabled: !!clientId,
  });
  const filters = { q, kind, insightType, themeId, clientId, from, to };
  const results = useInfiniteQuery({
    queryKey: ['search', filters],
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/search', { params: { query: { ...filters, cursor: pageParam, limit: PAGE_SIZE } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: q.trim() !== '',
  });
  const items = results.data?.pages.flatMap((p) => p.items) ?? [];
  const total = results.data?.pages[0]?.total;
  const filtering = !!(kind || insightType || themeId || clientId || from || to);

  return (
    <Stack>
      <PageHeader title="Search" description="Insights, session notes and remarks, check-ins, problems and actions you may see, best match first" />
      <search aria-label="Search">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            update({ q: draft.trim() || undefined });
          }}
        >
          <Group align="flex-end">
            <TextInput
              label="Words to find"
              description="Every word must appear; punctuation and search operators count as spaces"
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              leftSection={<IconSearch size={16} aria-hidden />}
              maxLength={2000}
              style={{ flex: 1 }}
              data-autofocus
            />
            <Button type="submit">Search</Button>
          </Group>
        </form>
      </search>
      <Group align="flex-end" wrap="wrap">
        <Select
          label="Kind of record"
          placeholder="Any"
          clearable
          data={KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
          value={kind ?? null}
          onChange={(v) => update({ kind: v ?? undefined })}
          w={180}
        />
        <Select
          label="Insight type"
          placeholder="Any"
          clearable
          data={INSIGHT_TYPES.map((t) => ({ value: t, label: INSIGHT_TYPE_LABELS[t] }))}
          value={insightType ?? null}
          onChange={(v) => update({ insightType: v ?? undefined })}
          w={160}
        />
        {themesAllowed && (
          <Select
            label="Theme"
            placeholder="Any"
            clearable
            searchable
            data={themeGroups(themes.data ?? [])}
            value={themeId ?? null}
            onChange={(v) => update({ themeId: v ?? undefined })}
            w={240}
          />
        )}
        <ClientSelect
          label="Client"
          placeholder="Any client"
          clearable
          value={clientId ?? null}
          initial={client.data ? { id: client.data.id, name: client.data.name } : null}
          onChange={(c) => update({ clientId: c?.id })}
          w={240}
        />
        <DateInput
          label="From"
          placeholder="Any"
          clearable
          valueFormat="YYYY-MM-DD"
          value={from ?? null}
          onChange={(v) => update({ from: toIsoDate(v) })}
          w={150}
        />
        <DateInput label="To" placeholder="Any" clearable valueFormat="YYYY-MM-DD" value={to ?? null} onChange={(v) => update({ to: toIsoDate(v) })} w={150} />
        {filtering && (
          <Button
            variant="subtle"
            onClick={() => update({ kind: undefined, insightType: undefined, themeId: undefined, clientId: undefined, from: undefined, to: undefined })}
          >
            Clear filters
          </Button>
        )}
      </Group>
      {q.trim() === '' ? (
        <EmptyState title="Search what the firm heard and did">
          Searches the insights, listening-session notes and remarks, check-ins (what they like, the one thing to do better, notes), problems and their
          resolutions, and actions with their closure notes and comments — only what you are allowed to see. Press / anywhere to search.
        </EmptyState>
      ) : results.isLoading ? (
        <Group role="status" aria-label="Searching">
          <Loader size="sm" />
        </Group>
      ) : results.isError ? (
        <QueryError error={results.error} onRetry={() => results.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="Nothing found">
          Nothing you may see matches {filtering ? 'these words and filters' : 'these words'}. Try fewer or other words
          {filtering ? ', or clear the filters' : ''}.
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <Text size="sm" c="dimmed" aria-live="polite">
            {total === 1 ? '1 result' : `${total} results`}
          </Text>
          <Stack gap="sm" aria-label="Search results" role="list">
            {items.map((hit) => (
              <Paper key={`${hit.kind}:${hit.id}`} withBorder p="md" radius="md" role="listitem">
                <Group gap="xs" mb={4} wrap="wrap">
                  <Badge variant="dot" color={KIND_COLORS[hit.kind]}>
                    {KIND_LABELS[hit.kind]}
                  </Badge>
                  {hit.insightType && (
                    <Badge variant="outline" color="gray.9">
                      {INSIGHT_TYPE_LABELS[hit.insightType]}
                    </Badge>
                  )}
                  <Anchor component={Link} to={`/clients/${hit.clientId}`} size="sm">
                    {hit.clientName}
                  </Anchor>
                  <Text size="sm" c="dimmed">
                    {formatDate(hit.date)}
                  </Text>
                </Group>
                <Anchor component={Link} to={linkTo(hit)} fw={600}>
                  {hit.title.length > 0 ? <Marked segments={hit.title} /> : (hit.heading ?? KIND_LABELS[hit.kind])}
                </Anchor>
                {hit.snippet.length > 0 && (
                  <Text size="sm" mt={4}>
                    <Marked segments={hit.snippet} />
                  </Text>
                )}
              </Paper>
            ))}
          </Stack>
          <LoadMore
            shown={items.length}
            total={total}
            hasMore={!!results.hasNextPage}
            loading={results.isFetchingNextPage}
            onLoadMore={() => results.fetchNextPage()}
          />
        </Stack>
      )}
    </Stack>
  );
}
