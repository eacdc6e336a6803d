import { Anchor, Badge, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { api, unwrap } from '../../api/client';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { formatFees } from '../clients/labels';
import { FilterBar, useQueryState } from './filters';
import { BAND_COLORS, BAND_LABELS, BAND_ORDER, type HealthBand, type HealthListItem, reasonLine } from './health-labels';
import { FigureTable, Loaded, PrintButton, ReportPdfButton, Stat } from './ui';

const PAGE_SIZE = 50;
/** How many reasons the list shows per client; the detail view has them all. */
const TOP_REASONS = 3;

/** A client's band: the colour is a dot, the word carries the meaning (AA contrast, and not by colour alone). */
export function BandBadge({ band }: { band: HealthBand }) {
  return (
    <Badge variant="dot" color={BAND_COLORS[band]} style={{ minWidth: 'max-content' }}>
      {BAND_LABELS[band]}
    </Badge>
  );
}

const isBand = (v: string | null): v is HealthBand => v !== null && (BAND_ORDER as readonly string[]).includes(v);

/** /analytics/health: the early-warning list, riskiest first, with the fees at stake. */
export function HealthPage() {
  const { params, filters, set } = useQueryState();
  const location = useLocation();
  const rawBand = params.get('band');
  const band = isBand(rawBand) ? rawBand : undefined;
  // Health is today's: the shared filters without the period.
  const { from: _from, to: _to, ...clientFilters } = filters;

  // The headline counts each band under the same filters, whatever band the list shows.
  const headline = (b: HealthBand) => ({
    queryKey: ['analytics', 'health', 'headline', b, clientFilters],
    queryFn: () => unwrap(api.GET('/api/v1/analytics/health', { params: { query: { ...clientFilters, band: b, limit: 1 } } })),
  });
  const atRisk = useQuery(headline('at_risk'));
  const watch = useQuery(headline('watch'));
  const list = useInfiniteQuery({
    queryKey: ['analytics', 'health', 'list', clientFilters, band],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/v1/analytics/health', { params: { query: { ...clientFilters, ...(band ? { band } : {}), limit: PAGE_SIZE, offset: pageParam } } })),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextOffset ?? undefined,
  });
  const first = list.data?.pages[0];
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="Client health"
        description="Which clients are at risk, why, and how much fee income is at stake. Only what you may see is counted."
        actions={
          <>
            <ReportPdfButton filters={clientFilters} />
            <PrintButton />
          </>
        }
      />
      <FilterBar withPeriod={false} />
      <Stack gap="md">
        <Group align="stretch" wrap="wrap">
          <Stat label="Clients at risk" value={atRisk.data?.total ?? '—'} hint={`Score below ${first?.bandFloors.watch ?? 40}`} />
          <Stat
            label="Clients on watch"
            value={watch.data?.total ?? '—'}
            hint={`Score ${first?.bandFloors.watch ?? 40} to ${(first?.bandFloors.healthy ?? 70) - 1}`}
          />
          <Stat
            label="Fees at stake: at risk"
            value={atRisk.data ? formatFees(atRisk.data.feesAtStake.atRisk) : '—'}
            hint="Annual fees of the clients at risk"
          />
          <Stat
            label="Fees at stake: on watch"
            value={watch.data ? formatFees(watch.data.feesAtStake.watch) : '—'}
            hint="Annual fees of the clients on watch"
          />
        </Group>
        <Group className="hearken-no-print">
          <div>
            <Text size="sm" fw={500} id="health-band">
              Band
            </Text>
            <SegmentedControl
              aria-labelledby="health-band"
              value={band ?? 'all'}
              onChange={(v) => set({ band: v === 'all' ? null : v })}
              data={[{ value: 'all', label: 'All' }, ...BAND_ORDER.map((b) => ({ value: b, label: BAND_LABELS[b] }))]}
            />
          </div>
        </Group>
        <Loaded
          query={list}
          empty={!!first && first.total === 0}
          emptyTitle="No clients to show"
          emptyText={
            band
              ? `No active client you may see is in the “${BAND_LABELS[band]}” band under these filters.`
              : 'No active client you may see matches these filters. Clear the filters, or add clients.'
          }
        >
          {first && (
            <Stack gap="xs">
              <FigureTable<HealthListItem>
                title="Early-warning list"
                description="Lowest score first, then the most fees at stake. Open a client to see every reason and the records behind it."
                fileName={band ? `client-health-${band}` : 'client-health'}
                rows={items}
                rowKey={(r) => r.client.id}
                columns={[
                  {
                    label: 'Client',
                    csv: (r) => r.client.name,
                    render: (r) => (
                      // The detail page's back link returns to this view, band and filters included.
                      <Anchor component={Link} to={`/analytics/health/clients/${r.client.id}`} state={{ back: location.search }}>
                        {r.client.name}
                      </Anchor>
                    ),
                  },
                  { label: 'Band', csv: (r) => BAND_LABELS[r.band], render: (r) => <BandBadge band={r.band} /> },
                  { label: 'Score', numeric: true, csv: (r) => r.score },
                  { label: 'Fees at stake', numeric: true, csv: (r) => r.annualFees, render: (r) => formatFees(r.annualFees) },
                  {
                    label: 'Top reasons',
                    csv: (r) => r.reasons.map(reasonLine).join('; '),
                    render: (r) =>
                      r.reasons.length === 0 ? (
                        <Text size="sm">No warning signs</Text>
                      ) : (
                        <Stack gap={2}>
                          {r.reasons.slice(0, TOP_REASONS).map((x) => (
                            <Text size="sm" key={x.kind}>
                              {reasonLine(x)}
                            </Text>
                          ))}
                          {r.reasons.length > TOP_REASONS && (
                            <Text size="sm" c="dimmed">
                              and {r.reasons.length - TOP_REASONS} more
                            </Text>
                          )}
                        </Stack>
                      ),
                  },
                  {
                    label: 'Single-threaded',
                    csv: (r) => r.warnings.map((w) => w.text).join('; '),
                    render: (r) =>
                      r.warnings.length === 0 ? (
                        '—'
                      ) : (
                        <Stack gap={2}>
                          {r.warnings.map((w) => (
                            <Text size="sm" key={w.kind}>
                              {w.text}
                            </Text>
                          ))}
                        </Stack>
                      ),
                  },
                ]}
              />
              <LoadMore
                shown={items.length}
                total={first.total}
                hasMore={!!list.hasNextPage}
                loading={list.isFetchingNextPage}
                onLoadMore={() => list.fetchNextPage()}
              />
              <Text size="sm" c="dimmed">
                How the score works: {first.rules}
              </Text>
            </Stack>
          )}
        </Loaded>
      </Stack>
    </>
  );
}
