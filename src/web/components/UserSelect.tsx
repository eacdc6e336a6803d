import { Select, type SelectProps } from '@mantine/core';
import { useState } from 'react';
import type { Schemas } from '../api/client';
import { useUserSearch } from './UserPicker';

type User = Schemas['User'];

interface UserSelectProps extends Pick<SelectProps, 'label' | 'description' | 'placeholder' | 'error' | 'w' | 'flex'> {
  /** Called with the person chosen; the box then empties, ready for the next one. */
  onPick: (user: User) => void;
  /** People not to offer, e.g. those already listed. */
  excludeIds?: readonly string[];
  /** Leaves out users who must not be offered (e.g. external users on an internal team). */
  include?: (user: User) => boolean;
}

/**
 * Finds an active user by name or email, searching the server as one types, for adding people
 * to lists (relationship teams, walls). A firm may have thousands of users, so it asks the
 * server for the first 20 matches rather than loading everyone.
 */
export function UserSelect({ onPick, excludeIds = [], include = () => true, ...props }: UserSelectProps) {
  const [search, setSearch] = useState('');
  const users = useUserSearch(search, { activeOnly: true });
  const offered = (users.data?.items ?? []).filter((u) => !excludeIds.includes(u.id) && include(u));
  return (
    <Select
      {...props}
      searchable
      value={null}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already matched the search on name and email; filtering again by label would hide email matches.
      filter={({ options }) => options}
      data={offered.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))}
      nothingFoundMessage={users.isFetching ? 'Searching…' : 'Nobody found'}
      onChange={(id) => {
        const user = offered.find((u) => u.id === id);
        if (user) {
          onPick(user);
          setSearch('');
        }
      }}
    />
  );
}
