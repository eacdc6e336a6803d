import { type ComboboxItem, type ComboboxParsedItem, MultiSelect, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, unwrap } from '../api/client';

export interface PickedUser {
  id: string;
  name: string;
  email: string;
  active?: boolean;
}

/**
 * Users matching what was typed, searched on the server (a firm may have thousands), the first
 * 20 by name; every user picker in the app goes through this one query.
 */
export function useUserSearch(search: string, opts: { activeOnly?: boolean } = {}) {
  const [q] = useDebouncedValue(search.trim(), 250);
  const active = opts.activeOnly ? ('true' as const) : undefined;
  return useQuery({
    queryKey: ['users', 'search', q, active ?? 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { ...(q ? { q } : {}), ...(active ? { active } : {}), limit: 20 } } })),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

function UserOption({ user }: { user: PickedUser | undefined }) {
  if (!user) {
    return null;
  }
  return (
    <Stack gap={0}>
      <Text size="sm">{user.name}</Text>
      <Text size="xs" c="dimmed">
        {user.email}
        {user.active === false ? ' · inactive' : ''}
      </Text>
    </Stack>
  );
}

/** The server already filtered by the search; keep only its results (not every picked user). */
function onlyFound(foundIds: Set<string>) {
  return ({ options }: { options: ComboboxParsedItem[] }) => options.filter((o) => 'value' in o && foundIds.has(o.value));
}

interface UserMultiSelectProps {
  label: string;
  description?: string;
  value: string[];
  onChange: (ids: string[]) => void;
  /** The users already picked, so their names show before any search. */
  initialUsers?: PickedUser[];
  error?: React.ReactNode;
  placeholder?: string;
}

/** Picks several users by typing part of a name or email. */
export function UserMultiSelect({ label, description, value, onChange, initialUsers = [], error, placeholder = 'Type a name or email' }: UserMultiSelectProps) {
  const [search, setSearch] = useState('');
  const results = useUserSearch(search);
  // Remembers every user picked from a search, so their pills keep a name when the search changes.
  const [picked, setPicked] = useState<Record<string, PickedUser>>({});
  const found = results.data?.items ?? [];

  const byId = useMemo(() => {
    const map = new Map<string, PickedUser>();
    for (const u of [...initialUsers, ...Object.values(picked), ...found]) {
      map.set(u.id, u);
    }
    return map;
  }, [initialUsers, picked, found]);

  const data: ComboboxItem[] = useMemo(() => {
    const ids = [...new Set([...value, ...found.map((u) => u.id)])];
    return ids.map((id) => ({ value: id, label: byId.get(id)?.name ?? 'Unknown user' }));
  }, [value, found, byId]);

  return (
    <MultiSelect
      label={label}
      description={description}
      placeholder={value.length === 0 ? placeholder : undefined}
      data={data}
      value={value}
      onChange={(ids) => {
        const added = found.filter((u) => ids.includes(u.id));
        if (added.length > 0) {
          setPicked((prev) => ({ ...prev, ...Object.fromEntries(added.map((u) => [u.id, u])) }));
        }
        onChange(ids);
      }}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={onlyFound(new Set(found.map((u) => u.id)))}
      nothingFoundMessage={results.isFetching ? 'Searching…' : 'No users match'}
      renderOption={({ option }) => <UserOption user={byId.get(option.value)} />}
      maxDropdownHeight={260}
      error={error}
      clearable
    />
  );
}

interface UserFilterSelectProps {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  placeholder?: string;
}

/** Picks one user by typing part of a name or email (used as a filter). */
export function UserFilterSelect({ label, value, onChange, placeholder = 'Anyone' }: UserFilterSelectProps) {
  const [search, setSearch] = useState('');
  const results = useUserSearch(search);
  // A user chosen earlier (or named in the URL) may not be among the current results.
  const chosen = useQuery({
    queryKey: ['users', 'detail', value],
    queryFn: () => unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id: value as string } } })),
    enabled: !!value,
    staleTime: 60_000,
  });
  const found = results.data?.items ?? [];
  const byId = useMemo(() => {
    const map = new Map<string, PickedUser>();
    for (const u of [...(chosen.data ? [chosen.data] : []), ...found]) {
      map.set(u.id, u);
    }
    return map;
  }, [chosen.data, found]);
  const data = [...byId.values()].map((u) => ({ value: u.id, label: u.name }));

  return (
    <Select
      label={label}
      placeholder={placeholder}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? 'Searching…' : 'No users match'}
      renderOption={({ option }) => <UserOption user={byId.get(option.value)} />}
      // A filter box is narrow; names and emails need more room than it has.
      comboboxProps={{ width: 320, position: 'bottom-start' }}
      clearable
    />
  );
}
