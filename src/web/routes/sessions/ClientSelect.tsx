import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';

export interface ClientOption {
  id: string;
  name: string;
}

interface ClientSelectProps {
  label: string;
  value: string | null;
  /** The chosen client's name, so the choice shows before any search has run. */
  initial: ClientOption | null;
  onChange: (client: ClientOption | null) => void;
  description?: string;
  placeholder?: string;
  error?: React.ReactNode;
  withAsterisk?: boolean;
  disabled?: boolean;
  clearable?: boolean;
  w?: number;
}

/** Picks one of the clients the user may see, searching the server by name as one types. */
export function ClientSelect({
  label,
  value,
  initial,
  onChange,
  description,
  placeholder = 'Search clients',
  error,
  withAsterisk,
  disabled,
  clearable,
  w,
}: ClientSelectProps) {
  const [chosen, setChosen] = useState(initial);
  const [search, setSearch] = useState(initial?.name ?? '');
  // While the box shows the chosen name, list every client rather than only that one.
  const query = chosen && search === chosen.name ? '' : search.trim();
  const [debounced] = useDebouncedValue(query, 250);
  const candidates = useQuery({
    queryKey: ['clients', 'list', 'session-options', debounced],
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients', { params: { query: { q: debounced || undefined, limit: 20 } } }))).items,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled: !disabled,
  });
  const options = (candidates.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  const shown = chosen ?? initial;
  if (shown && value === shown.id && !options.some((o) => o.value === shown.id)) {
    options.unshift({ value: shown.id, label: shown.name });
  }
  return (
    <Select
      label={label}
      description={description}
      placeholder={placeholder}
      searchable
      clearable={clearable}
      clearButtonProps={{ 'aria-label': `Clear ${label.toLowerCase()}` }}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already matched the search; filtering again here would only hide results.
      filter={({ options: all }) => all}
      data={options}
      nothingFoundMessage={candidates.isFetching ? 'Searching…' : 'No client by that name'}
      error={error}
      withAsterisk={withAsterisk}
      disabled={disabled}
      w={w}
      comboboxProps={{ width: 320, position: 'bottom-start' }}
      onChange={(id, option) => {
        const next = id && option ? { id, name: option.label } : null;
        setChosen(next);
        onChange(next);
      }}
    />
  );
}
