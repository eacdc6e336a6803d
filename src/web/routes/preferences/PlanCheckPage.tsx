import { Alert, Button, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiProblem, api, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { ClientPicker } from '../../components/Pickers';
import { Highlighted, PrintButton, PrintStyle, SourceQuote } from './checks-ui';

/** /checks/plan: an event, travel or shipping plan checked for the brands and companies the client avoids. */
export function PlanCheckPage() {
  const [params] = useSearchParams();
  const initialId = params.get('clientId');
  const initialName = params.get('clientName');
  const [clientId, setClientId] = useState<string | null>(initialId);
  const [plan, setPlan] = useState('');
  const [errors, setErrors] = useState<{ client?: string; plan?: string }>({});
  const [sent, setSent] = useState('');
  const check = useMutation({ mutationFn: (v: { clientId: string; plan: string }) => unwrap(api.POST('/api/v1/checks/plan', { body: v })) });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const next: { client?: string; plan?: string } = {};
    if (!clientId) {
      next.client = 'Choose the client the plan is for';
    }
    if (plan.trim() === '') {
      next.plan = 'Write or paste the plan: catering, car hire, courier, venue, gifts';
    }
    setErrors(next);
    if (clientId && !next.plan) {
      setSent(plan);
      check.mutate({ clientId, plan });
    }
  };
  const fieldErrors = check.error instanceof ApiProblem ? check.error.fieldErrors : {};
  const findings = check.data?.findings ?? [];

  return (
    <>
      <PrintStyle />
      <PageHeader
        title="Plan check"
        description="Before booking a dinner, a car or a courier: every competitor brand or company the client avoids, by name or alias. Nothing is stored."
      />
      <Paper withBorder p="md" mb="lg" className="no-print">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm" maw={720}>
            <ClientPicker
              value={clientId}
              initial={initialId && initialName ? { id: initialId, name: initialName } : null}
              onChange={(id) => setClientId(id)}
              error={errors.client}
            />
            <Textarea
              label="Plan"
              description="Free text: the event, travel or shipping plan, one item per line if you like"
              withAsterisk
              autosize
              minRows={6}
              maxRows={24}
              value={plan}
              onChange={(e) => setPlan(e.currentTarget.value)}
              error={errors.plan ?? fieldErrors.plan}
            />
            <Group>
              <Button type="submit" loading={check.isPending}>
                Check plan
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      {check.isError && Object.keys(fieldErrors).length === 0 && (
        <Alert color="red" title="The check did not run" role="alert">
          {check.error instanceof ApiProblem ? check.error.message : 'Could not reach the server.'}
        </Alert>
      )}
      {check.data && (
        <Stack gap="md" aria-live="polite">
          <Group justify="space-between">
            <Title order={3}>
              {findings.length === 0
                ? 'No avoided brand found'
                : `${findings.length} match${findings.length === 1 ? '' : 'es'}: ${check.data.summary.brands.join(', ')}`}
            </Title>
            <PrintButton />
          </Group>
          <Paper withBorder p="md">
            <Title order={4} size="h5" mb="xs">
              The plan, with the brands marked
            </Title>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              <Highlighted text={sent} spans={findings.filter((f) => f.itemIndex === null && f.field === 'text')} />
            </Text>
          </Paper>
          {findings.length > 0 && (
            <Table.ScrollContainer minWidth={700}>
              <Table striped aria-label="Findings">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Found</Table.Th>
                    <Table.Th>Brand</Table.Th>
                    <Table.Th>Preference</Table.Th>
                    <Table.Th>Suggested fix</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {findings.map((f) => (
                    <Table.Tr key={`${f.source.preferenceId}-${f.start}`}>
                      <Table.Td>
                        <mark>{f.text}</mark>
                      </Table.Td>
                      <Table.Td>
                        {f.brand}
                        {f.term !== f.brand && (
                          <Text size="xs" c="dimmed">
                            via “{f.term}”
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <SourceQuote source={f.source} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{f.suggestedFix}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
      {!check.data && !check.isPending && !check.isError && (
        <EmptyState title="No plan checked yet">Choose a client, paste the plan, then check it.</EmptyState>
      )}
    </>
  );
}
