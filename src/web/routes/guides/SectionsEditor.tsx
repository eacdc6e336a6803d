import { ActionIcon, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title, Tooltip } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { randomId } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import type { GuideSection } from './queries';

/**
 * A guide's sections as the editor holds them. `uid` keeps React's identity of a row while it
 * moves; `key` is the server's stable key (absent for new rows), sent back so notes taken
 * against a question still match it in the next version.
 */
export interface EditableQuestion {
  uid: string;
  key?: string;
  text: string;
  help: string;
}
export interface EditableSection {
  uid: string;
  key?: string;
  title: string;
  questions: EditableQuestion[];
}
export interface SectionsFormValues {
  sections: EditableSection[];
}

export function toEditable(sections: GuideSection[]): EditableSection[] {
  return sections.map((s) => ({
    uid: randomId(),
    key: s.key,
    title: s.title,
    questions: s.questions.map((q) => ({ uid: randomId(), key: q.key, text: q.text, help: q.help ?? '' })),
  }));
}

/** What the API takes: keys only where they exist, blank help as null. */
export function toSectionsBody(sections: EditableSection[]) {
  return sections.map((s) => ({
    ...(s.key ? { key: s.key } : {}),
    title: s.title,
    questions: s.questions.map((q) => ({ ...(q.key ? { key: q.key } : {}), text: q.text, help: q.help.trim() || null })),
  }));
}

export const newQuestion = (): EditableQuestion => ({ uid: randomId(), text: '', help: '' });
export const newSection = (): EditableSection => ({ uid: randomId(), title: '', questions: [newQuestion()] });

/** Up, down and remove for one row of a list, as labelled buttons (usable from the keyboard). */
function RowButtons({
  what,
  index,
  count,
  onMove,
  onRemove,
  removeDisabledReason,
}: {
  what: string;
  index: number;
  count: number;
  onMove: (to: number) => void;
  onRemove: () => void;
  removeDisabledReason: string | undefined;
}) {
  return (
    <Group gap={2} wrap="nowrap">
      <Tooltip label="Move up">
        <ActionIcon variant="subtle" color="gray" aria-label={`Move ${what} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>
          <IconArrowUp size={16} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Move down">
        <ActionIcon variant="subtle" color="gray" aria-label={`Move ${what} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
          <IconArrowDown size={16} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <Tooltip label={removeDisabledReason ?? 'Remove'}>
        <ActionIcon variant="subtle" color="red.9" aria-label={`Remove ${what}`} disabled={removeDisabledReason !== undefined} onClick={onRemove}>
          <IconTrash size={16} aria-hidden />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

/**
 * Edits sections and their questions: add, remove, reorder with buttons. Field errors from the
 * API (sections.1.questions.0.text) land on the matching input because the form's paths are the
 * API's paths.
 */
export function SectionsEditor({ form, readOnly = false }: { form: UseFormReturnType<SectionsFormValues>; readOnly?: boolean }) {
  const sections = form.values.sections;
  const sectionError = form.errors.sections;
  return (
    <Stack gap="md">
      {sectionError ? (
        <Text c="red.9" size="sm" role="alert">
          {sectionError}
        </Text>
      ) : null}
      {sections.map((section, si) => {
        const sectionName = `section ${si + 1}${section.title ? ` (${section.title})` : ''}`;
        const questionsError = form.errors[`sections.${si}.questions`];
        return (
          <Paper key={section.uid} withBorder p="md" radius="md" component="section" aria-label={`Section ${si + 1}`}>
            <Stack gap="sm">
              <Group align="flex-end" wrap="nowrap">
                <TextInput label={`Section ${si + 1} title`} required style={{ flex: 1 }} readOnly={readOnly} {...form.getInputProps(`sections.${si}.title`)} />
                {!readOnly && (
                  <RowButtons
                    what={sectionName}
                    index={si}
                    count={sections.length}
                    onMove={(to) => form.reorderListItem('sections', { from: si, to })}
                    onRemove={() => form.removeListItem('sections', si)}
                    removeDisabledReason={sections.length === 1 ? 'A guide needs at least one section' : undefined}
                  />
                )}
              </Group>
              <Title order={4} size="h6" c="dimmed">
                Questions
              </Title>
              {questionsError && (
                <Text c="red.9" size="sm" role="alert">
                  {questionsError}
                </Text>
              )}
              <Stack gap="sm" pl={{ base: 0, sm: 'md' }}>
                {section.questions.map((question, qi) => (
                  <Group key={question.uid} align="flex-start" wrap="nowrap" gap="sm">
                    <Text fw={600} size="sm" mt={30} w={24} ta="right" aria-hidden>
                      {qi + 1}.
                    </Text>
                    <Stack gap={6} style={{ flex: 1 }}>
                      <Textarea
                        label={`Question ${qi + 1}`}
                        required
                        autosize
                        minRows={1}
                        maxRows={6}
                        readOnly={readOnly}
                        {...form.getInputProps(`sections.${si}.questions.${qi}.text`)}
                      />
                      <TextInput
                        label={`Prompt for the interviewer (question ${qi + 1})`}
                        description="Not read out; helps the interviewer probe"
                        readOnly={readOnly}
                        {...form.getInputProps(`sections.${si}.questions.${qi}.help`)}
                      />
                    </Stack>
                    {!readOnly && (
                      <Stack mt={26}>
                        <RowButtons
                          what={`question ${qi + 1} of ${sectionName}`}
                          index={qi}
                          count={section.questions.length}
                          onMove={(to) => form.reorderListItem(`sections.${si}.questions`, { from: qi, to })}
                          onRemove={() => form.removeListItem(`sections.${si}.questions`, qi)}
                          removeDisabledReason={section.questions.length === 1 ? 'A section needs at least one question' : undefined}
                        />
                      </Stack>
                    )}
                  </Group>
                ))}
              </Stack>
              {!readOnly && (
                <Group>
                  <Button
                    variant="subtle"
                    size="xs"
                    leftSection={<IconPlus size={14} aria-hidden />}
                    onClick={() => form.insertListItem(`sections.${si}.questions`, newQuestion())}
                  >
                    Add a question to {section.title || `section ${si + 1}`}
                  </Button>
                </Group>
              )}
            </Stack>
          </Paper>
        );
      })}
      {!readOnly && (
        <Group>
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => form.insertListItem('sections', newSection())}>
            Add a section
          </Button>
        </Group>
      )}
    </Stack>
  );
}
