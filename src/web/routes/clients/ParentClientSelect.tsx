import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { clientKeys } from './queries';

interface ParentClientSelectProps {
  value: string | null;
  /** The parent's name, so the current choice shows before any search has run. */
  initialParent: { id: string; name: string } | null;
  onChange: (id: string | null) => void;
  /** The client being edited: it cannot be its own parent. */
  excludeId?: string;
  error?: React.ReactNode;
}

/** Picks the parent company among the clients one may see, searching the server by name. */
export function ParentClientSelect({ value, initialParent, onChange, excludeId, error }: ParentClientSelectProps) {
  const [chosen, setChosen] = useState(initialParent);
  const [search, setSearch] = useState(initialParent?.name ?? '');
  // While the box shows the chosen name, list every client rather than only that one.
  const query = chosen && search === chosen.name ? '' : search.trim();
  const [debounced] = useDebouncedValue(query, 250);
  const candidates = useQuery({
    queryKey: [...clientKeys.lists(), 'parent-options', debounced],
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients', { params: { query: { q: debounced || undefined, limit: 20 } } }))).items,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const options = (candidates.data ?? []).filter((c) => c.id !== excludeId).map((c) => ({ value: c.id, label: c.name }));
  if (chosen && value === chosen.id && !options.some((o) => o.value === chosen.id)) {
    options.unshift({ value: chosen.id, label: chosen.name });
  }
  return (
    <Select
      label="Parent company"
      description="The group it belongs to, if that is a client too"
      placeholder="Search clients"
      searchable
      clearable
      clearButtonProps={{ 'aria-label': 'No parent company' }}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already matched the search; filtering again here would only hide results.
      filter={({ options: all }) => all}
      data={options}
      nothingFoundMessage={candidates.isFetching ? 'Searching…' : 'No client by that name'}
      error={error}
      onChange={(id, option) => {
        setChosen(id && option ? { id, name: option.label } : null);
        onChange(id);
      }}
    />
  );
}
