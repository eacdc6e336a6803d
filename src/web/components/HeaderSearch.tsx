import { Kbd, TextInput } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';

/** The search box in the header: Enter opens /search with the words; "/" anywhere focuses it. */
export function HeaderSearch() {
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  // useHotkeys ignores keys typed into inputs, so "/" in a form field stays a slash. A page with
  // its own "/" filter (the client list) registers after the layout, so its filter wins there.
  useHotkeys([['slash', () => ref.current?.focus(), { preventDefault: true }]]);
  return (
    <search aria-label="Search everything">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const words = q.trim();
          if (words) {
            void navigate(`/search?q=${encodeURIComponent(words)}`);
            setQ('');
            ref.current?.blur();
          }
        }}
      >
        <TextInput
          ref={ref}
          aria-label="Search insights, notes, check-ins, problems and actions"
          placeholder="Search"
          aria-keyshortcuts="/"
          leftSection={<IconSearch size={16} aria-hidden />}
          rightSection={<Kbd size="xs">/</Kbd>}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={{ base: 160, sm: 320 }}
          size="sm"
        />
      </form>
    </search>
  );
}
