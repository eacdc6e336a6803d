import { type ComboboxParsedItem, MultiSelect, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, type Schemas, unwrap } from '../../api/client';
import { CLIENT_STATUS_LABELS } from '../clients/labels';
import { clientKeys } from '../clients/queries';

type Client = Schemas['Client'];

interface ClientMultiSelectProps {
  label: string;
  description?: string;
  value: string[];
  onChange: (ids: string[], clients: Client[]) => void;
  /** Only clients for which this user is a relationship partner (for volunteering one's own). */
  partnerId?: string;
  error?: React.ReactNode;
  withAsterisk?: boolean;
}

/**
 * Picks several clients by typing part of a name, searching the server (a firm has thousands);
 * each option shows the client's status and relationship partners, who will be asked.
 */
export function ClientMultiSelect({ label, description, value, onChange, partnerId, error, withAsterisk }: ClientMultiSelectProps) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const results = useQuery({
    queryKey: [...clientKeys.lists(), 'pick', q, partnerId ?? 'all'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients', { params: { query: { q: q || undefined, partnerId, limit: 20 } } }))).items,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  // Every client picked from a search, so their pills keep a name when the search changes.
  const [picked, setPicked] = useState<Record<string, Client>>({});
  const found = results.data ?? [];
  const byId = useMemo(() => {
    const map = new Map<string, Client>(Object.entries(picked));
    for (const c of found) {
      map.set(c.id, c);
    }
    return map;
  }, [picked, found]);
  const foundIds = new Set(found.map((c) => c.id));
  const data = [...new Set([...value, ...found.map((c) => c.id)])].map((id) => ({ value: id, label: byId.get(id)?.name ?? 'Client' }));

  return (
    <MultiSelect
      label={label}
      description={description}
      withAsterisk={withAsterisk}
      placeholder={value.length === 0 ? 'Type a client’s name' : undefined}
      data={data}
      value={value}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server already matched the search; keep its results only (not every picked client).
      filter={({ options }) => options.filter((o: ComboboxParsedItem) => 'value' in o && foundIds.has(o.value))}
      nothingFoundMessage={results.isFetching ? 'Searching…' : partnerId ? 'None of your clients matches' : 'No client matches'}
      renderOption={({ option }) => {
        const c = byId.get(option.value);
        return (
          <Stack gap={0}>
            <Text size="sm">{option.label}</Text>
            {c && (
              <Text size="xs" c="dimmed">
                {CLIENT_STATUS_LABELS[c.status]} ·{' '}
                {c.relationshipPartners.length ? c.relationshipPartners.map((p) => p.name).join(', ') : 'no relationship partner'}
              </Text>
            )}
          </Stack>
        );
      }}
      onChange={(ids) => {
        const added = found.filter((c) => ids.includes(c.id));
        const next = { ...picked, ...Object.fromEntries(added.map((c) => [c.id, c])) };
        if (added.length > 0) {
          setPicked(next);
        }
        onChange(
          ids,
          ids.map((id) => next[id] ?? byId.get(id)).filter((c): c is Client => c !== undefined),
        );
      }}
      maxDropdownHeight={280}
      error={error}
      clearable
      clearButtonProps={{ 'aria-label': `Clear ${label.toLowerCase()}` }}
    />
  );
}
