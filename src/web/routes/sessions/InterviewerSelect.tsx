import { Select, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { type PickedUser, useUserSearch } from '../../components/UserPicker';

interface InterviewerSelectProps {
  value: string | null;
  /** The interviewer already chosen, so their name shows before any search. */
  initial: PickedUser | null;
  onChange: (id: string | null) => void;
  error?: React.ReactNode;
  description?: React.ReactNode;
}

/**
 * Picks the session's interviewer among the firm's active users, searching the server by name or
 * email as one types (the shared user search the other pickers use).
 */
export function InterviewerSelect({ value, initial, onChange, error, description }: InterviewerSelectProps) {
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<PickedUser | null>(initial);
  const results = useUserSearch(search, { activeOnly: true });
  const found = results.data?.items ?? [];
  const byId = useMemo(() => {
    const map = new Map<string, PickedUser>();
    for (const u of [...(picked ? [picked] : []), ...found]) {
      map.set(u.id, u);
    }
    return map;
  }, [picked, found]);
  return (
    <Select
      label="Interviewer"
      description={description}
      withAsterisk
      placeholder="Type a name or email"
      data={[...byId.values()].map((u) => ({ value: u.id, label: u.name }))}
      value={value}
      onChange={(id) => {
        setPicked(id ? (byId.get(id) ?? null) : null);
        onChange(id);
      }}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server already matched the search on name and email; filtering again by label would hide email matches.
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? 'Searching…' : 'Nobody found'}
      renderOption={({ option }) => {
        const user = byId.get(option.value);
        return (
          <Stack gap={0}>
            <Text size="sm">{user?.name}</Text>
            <Text size="xs" c="dimmed">
              {user?.email}
            </Text>
          </Stack>
        );
      }}
      error={error}
    />
  );
}
