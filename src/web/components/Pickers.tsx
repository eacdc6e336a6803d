import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useUserSearch } from './UserPicker';

export interface PickerProps {
  value?: string | null;
  onChange: (id: string | null) => void;
  error?: ReactNode;
}

type Named = { id: string; name: string };

/**
 * Pickers for the forms that point at a client, one of its contacts, or an owner inside the firm:
 * each searches the server (a firm has thousands of each) and keeps the chosen one shown.
 */

/** Picks a client among those one may see, searching the server by name. */
export function ClientPicker({
  value,
  onChange,
  error,
  initial,
  label = 'Client',
  required = true,
  disabled = false,
  autoFocus = false,
}: PickerProps & { initial: Named | null; label?: string; required?: boolean; disabled?: boolean; autoFocus?: boolean }) {
  const [chosen, setChosen] = useState(initial);
  const [search, setSearch] = useState(initial?.name ?? '');
  const query = chosen && search === chosen.name ? '' : search.trim();
  const [debounced] = useDebouncedValue(query, 250);
  const candidates = useQuery({
    queryKey: ['clients', 'list', 'picker-options', debounced],
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients', { params: { query: { q: debounced || undefined, limit: 20 } } }))).items,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled: !disabled,
  });
  const options = (candidates.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (chosen && value === chosen.id && !options.some((o) => o.value === chosen.id)) {
    options.unshift({ value: chosen.id, label: chosen.name });
  }
  return (
    <Select
      label={label}
      withAsterisk={required}
      clearable={!required}
      placeholder="Search clients"
      searchable
      disabled={disabled}
      data-autofocus={autoFocus || undefined}
      value={value ?? null}
      searchValue={search}
      onSearchChange={setSearch}
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

/** One of the client's contacts (optional). */
export function ContactPicker({ clientId, value, onChange, error, label }: PickerProps & { clientId: string; label: string }) {
  const contacts = useQuery({
    queryKey: ['clients', 'detail', clientId, 'contacts'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients/{id}/contacts', { params: { path: { id: clientId } } }))).items,
  });
  return (
    <Select
      label={label}
      placeholder={contacts.isLoading ? 'Loading contacts…' : 'Nobody in particular'}
      clearable
      searchable
      value={value ?? null}
      data={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
      nothingFoundMessage="No contact by that name"
      error={error}
      onChange={onChange}
    />
  );
}

/** An internal user as owner, searched on the server. */
export function OwnerPicker({
  value,
  onChange,
  error,
  initial,
  required = false,
  description = 'They must be able to see the client',
}: PickerProps & { initial: Named | null; required?: boolean; description?: string }) {
  const [chosen, setChosen] = useState(initial);
  const [search, setSearch] = useState(initial?.name ?? '');
  const users = useUserSearch(chosen && search === chosen.name ? '' : search, { activeOnly: true });
  const options = (users.data?.items ?? []).filter((u) => u.role !== 'external').map((u) => ({ value: u.id, label: u.name }));
  if (chosen && value === chosen.id && !options.some((o) => o.value === chosen.id)) {
    options.unshift({ value: chosen.id, label: chosen.name });
  }
  return (
    <Select
      label="Owner"
      description={description}
      withAsterisk={required}
      clearable={!required}
      placeholder="Search people"
      searchable
      value={value ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      data={options}
      nothingFoundMessage={users.isFetching ? 'Searching…' : 'Nobody found'}
      error={error}
      onChange={(id, option) => {
        setChosen(id && option ? { id, name: option.label } : null);
        onChange(id);
      }}
    />
  );
}
