import { Button, Group, Paper, Select, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useUserSearch } from '../../components/UserPicker';
import { DATE_INPUT_FORMAT } from '../clients/labels';
import { CALENDAR_LABELS } from '../programmes/labels';

/** The filters every dashboard shares, as kept in the URL's query string (so a view can be linked to). */
export interface AnalyticsFilters {
  from?: string;
  to?: string;
  practice?: string;
  partner?: string;
  office?: string;
  industry?: string;
}

const FILTER_KEYS = ['from', 'to', 'practice', 'partner', 'office', 'industry'] as const;

/** Reads and writes the URL's query string: the shared filters plus each page's own keys. */
export function useQueryState() {
  const [params, setParams] = useSearchParams();
  const filters: AnalyticsFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) {
      filters[key] = value;
    }
  }
  const set = (patch: Record<string, string | null | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(patch)) {
          if (value) {
            next.set(key, value);
          } else {
            next.delete(key);
          }
        }
        return next;
      },
      { replace: true },
    );
  return { params, filters, set };
}

/** A free-text filter that updates the URL when the field is left or Enter is pressed. */
function TextFilter({ label, value, onChange }: { label: string; value: string | undefined; onChange: (v: string | null) => void }) {
  const [text, setText] = useState(value ?? '');
  const commit = () => {
    if (text.trim() !== (value ?? '')) {
      onChange(text.trim() || null);
    }
  };
  return (
    <TextInput
      label={label}
      placeholder="Any"
      value={text}
      w={160}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit();
        }
      }}
    />
  );
}

function PartnerFilter({ value, onChange }: { value: string | undefined; onChange: (v: string | null) => void }) {
  const [search, setSearch] = useState('');
  const users = useUserSearch(search, { activeOnly: false });
  const picked = useQuery({
    queryKey: ['users', 'detail', value],
    queryFn: () => unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id: value ?? '' } } })),
    enabled: !!value,
  });
  const options = (users.data?.items ?? []).filter((u) => u.role !== 'external').map((u) => ({ value: u.id, label: u.name }));
  if (value && picked.data && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: picked.data.name });
  }
  return (
    <Select
      label="Partner"
      placeholder="Any partner"
      searchable
      clearable
      w={200}
      data={options}
      value={value ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage="No one found"
      onChange={(id) => onChange(id)}
    />
  );
}

/** The shared filter bar: period, practice, partner, office, industry. */
export function FilterBar({ withPeriod = true }: { withPeriod?: boolean }) {
  const { filters, set } = useQueryState();
  const teams = useQuery({ queryKey: ['teams', 'list'], queryFn: () => unwrap(api.GET('/api/v1/teams')) });
  const teamOptions = (teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name }));
  const any = FILTER_KEYS.some((k) => filters[k]);
  return (
    <Paper withBorder p="sm" mb="md" className="hearken-no-print" component="section" aria-label="Filters">
      <Group align="flex-end" gap="sm" wrap="wrap">
        {withPeriod && (
          <>
            <DatePickerInput
              label="From"
              clearable
              w={150}
              valueFormat={DATE_INPUT_FORMAT}
              ariaLabels={CALENDAR_LABELS}
              clearButtonProps={{ 'aria-label': 'Clear the start date' }}
              value={filters.from ?? null}
              onChange={(v) => set({ from: v })}
            />
            <DatePickerInput
              label="To"
              clearable
              w={150}
              valueFormat={DATE_INPUT_FORMAT}
              ariaLabels={CALENDAR_LABELS}
              clearButtonProps={{ 'aria-label': 'Clear the end date' }}
              value={filters.to ?? null}
              onChange={(v) => set({ to: v })}
            />
          </>
        )}
        <Select
          label="Practice or team"
          placeholder="Any team"
          clearable
          searchable
          w={200}
          data={teamOptions}
          value={filters.practice ?? null}
          onChange={(v) => set({ practice: v })}
        />
        <PartnerFilter value={filters.partner} onChange={(v) => set({ partner: v })} />
        <TextFilter key={`industry-${filters.industry ?? ''}`} label="Industry" value={filters.industry} onChange={(v) => set({ industry: v })} />
        <TextFilter key={`office-${filters.office ?? ''}`} label="Office" value={filters.office} onChange={(v) => set({ office: v })} />
        {any && (
          <Button variant="default" onClick={() => set(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))}>
            Clear filters
          </Button>
        )}
      </Group>
    </Paper>
  );
}
