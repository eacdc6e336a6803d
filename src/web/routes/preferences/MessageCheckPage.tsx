import { Alert, Autocomplete, Button, Group, MultiSelect, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiProblem, api, type Schemas, unwrap } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { ClientPicker } from '../../components/Pickers';
import { Highlighted, MESSAGE_KIND_LABELS, PrintButton, PrintStyle, SeverityBadge, SourceQuote } from './checks-ui';

type Body = Schemas['MessageCheckBody'];
type Result = Schemas['MessageCheckResult'];
type Channel = NonNullable<Body['channel']>;

const CHANNELS: { value: Channel; label: string }[] = [
  { value: 'email', label: 'E-mail' },
  { value: 'phone', label: 'Phone call' },
  { value: 'video', label: 'Video call' },
  { value: 'in_person', label: 'In person' },
  { value: 'text_message', label: 'Text message' },
  { value: 'letter', label: 'Letter' },
  { value: 'chat', label: 'Chat' },
];
const PLATFORMS = ['Microsoft Teams', 'Zoom', 'Google Meet', 'Webex', 'Skype', 'GoToMeeting', 'BlueJeans', 'FaceTime', 'WhatsApp', 'Slack'];

type Sent = { salutation: string; subject: string; body: string };

function MessagePreview({ sent, result }: { sent: Sent; result: Result }) {
  const spansOf = (field: 'salutation' | 'subject' | 'body') =>
    result.findings.filter((f) => f.field === field && f.span).map((f) => f.span as { start: number; end: number });
  const rows: { label: string; field: 'salutation' | 'subject' | 'body' }[] = [
    { label: 'Salutation', field: 'salutation' },
    { label: 'Subject', field: 'subject' },
    { label: 'Body', field: 'body' },
  ];
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="xs">
        Your message, with the problems marked
      </Title>
      <Stack gap="xs">
        {rows
          .filter((r) => sent[r.field].trim() !== '')
          .map((r) => (
            <div key={r.field}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {r.label}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                <Highlighted text={sent[r.field]} spans={spansOf(r.field)} />
              </Text>
            </div>
          ))}
      </Stack>
    </Paper>
  );
}

/** /checks/message: a message, invitation or call checked against the client's names, channels and platforms. */
export function MessageCheckPage() {
  const [params] = useSearchParams();
  const initialId = params.get('clientId');
  const initialName = params.get('clientName');
  const [clientId, setClientId] = useState<string | null>(initialId);
  const [recipients, setRecipients] = useState<string[]>([]);
  const [salutation, setSalutation] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [channel, setChannel] = useState<Channel | null>('email');
  const [platform, setPlatform] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const [sent, setSent] = useState<Sent | null>(null);

  const contacts = useQuery({
    queryKey: ['clients', 'detail', clientId, 'contacts'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/clients/{id}/contacts', { params: { path: { id: clientId ?? '' } } }))).items,
    enabled: clientId !== null,
  });
  const check = useMutation({ mutationFn: (b: Body) => unwrap(api.POST('/api/v1/checks/message', { body: b })) });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!clientId) {
      setClientError('Choose the client the message is for');
      return;
    }
    setClientError(undefined);
    setSent({ salutation, subject, body });
    check.mutate({
      clientId,
      recipients: recipients.map((contactId) => ({ contactId })),
      salutation: salutation || null,
      subject: subject || null,
      body,
      channel,
      meetingPlatform: platform.trim() || null,
    });
  };
  const fieldErrors = check.error instanceof ApiProblem ? check.error.fieldErrors : {};

  return (
    <>
      <PrintStyle />
      <PageHeader
        title="Message check"
        description="Before an e-mail, invitation or call goes out: the names the recipients go by, the channels and meeting platforms the client uses, reports it did not ask for and brands it avoids. Nothing is stored."
      />
      <Paper withBorder p="md" mb="lg" className="no-print">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm" maw={720}>
            <ClientPicker
              value={clientId}
              initial={initialId && initialName ? { id: initialId, name: initialName } : null}
              onChange={(id) => {
                setClientId(id);
                setRecipients([]);
              }}
              error={clientError}
            />
            <MultiSelect
              label="Recipients"
              description="The client’s contacts the message goes to"
              placeholder={clientId ? (contacts.isLoading ? 'Loading contacts…' : 'Choose contacts') : 'Choose a client first'}
              disabled={!clientId}
              searchable
              clearable
              data={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={recipients}
              onChange={setRecipients}
              nothingFoundMessage="No contact by that name"
              error={fieldErrors.recipients}
            />
            <Group grow align="flex-start">
              <Select label="Channel" data={CHANNELS} value={channel} onChange={(v) => setChannel(v as Channel | null)} clearable error={fieldErrors.channel} />
              <Autocomplete
                label="Meeting platform"
                description="For an invitation or a call"
                data={PLATFORMS}
                value={platform}
                onChange={setPlatform}
                error={fieldErrors.meetingPlatform}
              />
            </Group>
            <TextInput
              label="Salutation"
              placeholder="Dear Megge,"
              value={salutation}
              onChange={(e) => setSalutation(e.currentTarget.value)}
              error={fieldErrors.salutation}
            />
            <TextInput label="Subject" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} error={fieldErrors.subject} />
            <Textarea label="Body" autosize minRows={5} maxRows={20} value={body} onChange={(e) => setBody(e.currentTarget.value)} error={fieldErrors.body} />
            <Group>
              <Button type="submit" loading={check.isPending}>
                Check message
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
      {check.data && sent && (
        <Stack gap="md" aria-live="polite">
          <Group justify="space-between">
            <Title order={3}>
              {check.data.findings.length === 0 ? 'No problems found' : `${check.data.findings.length} finding${check.data.findings.length === 1 ? '' : 's'}`}
            </Title>
            <PrintButton />
          </Group>
          <MessagePreview sent={sent} result={check.data} />
          {check.data.findings.length > 0 && (
            <Table.ScrollContainer minWidth={800}>
              <Table striped aria-label="Findings">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Rule</Table.Th>
                    <Table.Th>Where</Table.Th>
                    <Table.Th>What is wrong</Table.Th>
                    <Table.Th>Preference</Table.Th>
                    <Table.Th>Suggested fix</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {check.data.findings.map((f) => (
                    <Table.Tr key={`${f.kind}|${f.field}|${f.span?.start}|${f.contactId}|${f.source?.preferenceId}|${f.message}`}>
                      <Table.Td>
                        <Stack gap={4}>
                          <SeverityBadge severity={f.severity} />
                          <Text size="sm">{MESSAGE_KIND_LABELS[f.kind] ?? f.kind}</Text>
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{f.field === 'meetingPlatform' ? 'Meeting platform' : f.field[0]?.toUpperCase() + f.field.slice(1)}</Text>
                        {f.text && (
                          <Text size="sm">
                            <mark>{f.text}</mark>
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{f.message}</Text>
                      </Table.Td>
                      <Table.Td>
                        <SourceQuote source={f.source} none="The contact’s recorded preferred name" />
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
        <EmptyState title="No message checked yet">Choose a client, write or paste the message, then check it.</EmptyState>
      )}
    </>
  );
}
