import { Badge, Button, Group, Modal, MultiSelect, Select, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBulb } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../../api/client';
import { useAuth } from '../../auth';
import { notifySaved, showApiErrors } from '../../forms';
import { CONFIDENTIALITY_LABELS } from '../sessions/labels';
import { type InsightType, type Severity, severityOptions, themeGroups, typeOptions } from './labels';
import { insightKeys, useSessionInsights, useThemes } from './queries';

type Remark = Schemas['SessionRemark'];

/**
 * What a session's remarks offer about insights: "Make insight" on each remark the caller may
 * promote, or a link to the insight a remark already became. Returns a renderer for RemarkItem's
 * `actions` slot.
 */
export function useRemarkInsightActions(sessionId: string, clientId: string) {
  const { abilities } = useAuth();
  const insights = useSessionInsights(sessionId, !!abilities?.readInsights);
  const [promoting, setPromoting] = useState<Remark | undefined>();
  const promotedBy = new Map((insights.data?.items ?? []).filter((i) => i.remarkId).map((i) => [i.remarkId as string, i]));
  const render = (remark: Remark) => {
    const insight = promotedBy.get(remark.id);
    if (insight) {
      return (
        <Badge component={Link} to={`/clients/${clientId}/knowledge`} variant="dot" color="teal" tt="none" style={{ cursor: 'pointer', flexShrink: 0 }}>
          Insight recorded
        </Badge>
      );
    }
    if (!insights.data?.canPromote) {
      return null;
    }
    return (
      <Button
        size="compact-sm"
        variant="subtle"
        leftSection={<IconBulb size={14} aria-hidden />}
        onClick={() => setPromoting(remark)}
        style={{ flexShrink: 0 }}
      >
        Make insight
      </Button>
    );
  };
  const modal = (
    <Modal opened={promoting !== undefined} onClose={() => setPromoting(undefined)} title="Make an insight of this remark" size="lg">
      {promoting && <PromoteForm sessionId={sessionId} remark={promoting} onDone={() => setPromoting(undefined)} />}
    </Modal>
  );
  return { render, modal };
}

interface Values {
  type: InsightType | null;
  severity: Severity;
  summary: string;
  themeIds: string[];
}

function PromoteForm({ sessionId, remark, onDone }: { sessionId: string; remark: Remark; onDone: () => void }) {
  const queryClient = useQueryClient();
  const themes = useThemes(true);
  const form = useForm<Values>({
    initialValues: { type: null, severity: 'medium', summary: '', themeIds: [] },
    validate: {
      type: (v) => (v ? null : 'Choose what kind of insight it is'),
      summary: (v) => (v.trim().length > 2000 ? 'Use at most 2000 characters' : null),
      themeIds: (v) => (v.length === 0 ? 'Choose at least one theme' : null),
    },
  });
  const promote = useMutation({
    mutationFn: (values: Values) =>
      unwrap(
        api.POST('/api/v1/sessions/{id}/remarks/{remarkId}/insight', {
          params: { path: { id: sessionId, remarkId: remark.id } },
          body: {
            type: values.type as InsightType,
            severity: values.severity,
            themeIds: values.themeIds,
            ...(values.summary.trim() ? { summary: values.summary.trim() } : {}),
          },
        }),
      ),
  });
  const submit = async (values: Values) => {
    try {
      await promote.mutateAsync(values);
      await queryClient.invalidateQueries({ queryKey: insightKeys.all });
      notifySaved('Insight recorded on the client’s knowledge page');
      onDone();
    } catch (err) {
      showApiErrors(form, err, { remarkId: 'summary' });
    }
  };
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          “{remark.text}”
        </Text>
        <Text size="xs" c="dimmed">
          The remark becomes the quote{remark.speaker ? `, ${remark.speaker.name} the contact` : ''}, heard on the session’s date. The insight keeps the
          remark’s confidentiality: {CONFIDENTIALITY_LABELS[remark.confidentiality]}.
        </Text>
        <Group grow>
          <Select label="Type" withAsterisk data={typeOptions} data-autofocus {...form.getInputProps('type')} />
          <Select label="Severity" withAsterisk data={severityOptions} allowDeselect={false} {...form.getInputProps('severity')} />
        </Group>
        <MultiSelect
          label="Themes"
          withAsterisk
          data={themeGroups(themes.data ?? [])}
          searchable
          placeholder={themes.isPending ? 'Loading themes…' : 'Choose themes'}
          {...form.getInputProps('themeIds')}
        />
        <Textarea label="Summary" description="Empty: the remark’s words" autosize minRows={2} {...form.getInputProps('summary')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={promote.isPending}>
            Make insight
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
