import { ActionIcon, Alert, Autocomplete, Button, Group, Paper, Radio, Select, SimpleGrid, Stack, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPencil, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { onSignedOut, send, updateCachedSession } from './autosave';
import {
  clearRemarkDraft,
  type DraftStorage,
  EMPTY_REMARK,
  isBlankRemark,
  loadRemarkDrafts,
  type RemarkFields,
  remarkFieldsOf,
  restoreRemark,
  retryDelay,
  type ServerVersion,
  storeRemarkDraft,
} from './drafts';
import {
  CONFIDENTIALITIES,
  CONFIDENTIALITY_HELP,
  CONFIDENTIALITY_LABELS,
  type Confidentiality,
  formatDateTime,
  type Remark,
  type SessionDetail,
} from './labels';
import { RemarkItem, WARNING_STYLES } from './parts';

type SyncStatus = 'idle' | 'saving' | 'offline' | 'failed';

/** One remark being written (id null) or edited, with where its save stands. */
interface Editor {
  remarkId: string | null;
  fields: RemarkFields;
  /** The remark as it was when the edit began (what the edit changes), for edits. */
  base: RemarkFields | null;
  baseVersion: number;
  submitted: boolean;
  status: SyncStatus;
  error: string | null;
  /** With an edit conflict: the remark as stored now. */
  conflict: ServerVersion | null;
  /** Restored from an edit of a remark deleted meanwhile. */
  orphaned?: boolean;
  /** For a new remark: the id it is created with, kept across retries so a lost reply cannot make it twice. */
  createId?: string;
}

const newEditor = (fields: RemarkFields = EMPTY_REMARK): Editor => ({
  remarkId: null,
  fields,
  base: null,
  baseVersion: 0,
  submitted: false,
  status: 'idle',
  error: null,
  conflict: null,
});

const NEW = 'new';

/** The editors to open on load, from the drafts left on this device. */
function restoredEditors(storage: DraftStorage, session: SessionDetail): Record<string, Editor> {
  const editors: Record<string, Editor> = { [NEW]: newEditor() };
  for (const draft of loadRemarkDrafts(
    storage,
    session.id,
    session.remarks.map((r) => r.id),
  )) {
    const restored = restoreRemark(draft, session.remarks);
    const server = session.remarks.find((r) => r.id === draft.remarkId);
    switch (restored.kind) {
      case 'discard':
        clearRemarkDraft(storage, session.id, draft.remarkId);
        break;
      case 'new':
        editors[NEW] = { ...newEditor(restored.fields), submitted: restored.submitted };
        break;
      case 'orphan': {
        // Offered again as a new remark; words already in the new-remark box are kept above them.
        const existing = editors[NEW]?.fields;
        const text = existing && !isBlankRemark(existing) ? `${existing.text}\n\n${restored.fields.text}` : restored.fields.text;
        const fields = { ...restored.fields, text };
        editors[NEW] = { ...newEditor(fields), orphaned: true };
        storeRemarkDraft(storage, session.id, { ...fields, remarkId: null, baseVersion: 0, submitted: false, editedAt: Date.now() });
        clearRemarkDraft(storage, session.id, draft.remarkId);
        break;
      }
      case 'edit':
        editors[restored.remarkId] = {
          remarkId: restored.remarkId,
          fields: restored.fields,
          base: server ? remarkFieldsOf(server) : null,
          baseVersion: restored.baseVersion,
          submitted: restored.submitted,
          status: 'idle',
          error: null,
          conflict: null,
        };
        break;
      case 'conflict':
        editors[restored.remarkId] = {
          remarkId: restored.remarkId,
          fields: restored.fields,
          base: server ? remarkFieldsOf(server) : null,
          baseVersion: draft.baseVersion,
          submitted: false,
          status: 'idle',
          error: null,
          conflict: { ...remarkFieldsOf(restored.current), version: restored.current.version, updatedBy: null },
        };
        break;
    }
  }
  return editors;
}

/**
 * The session's remarks, and a form to add one, each with its confidentiality and speaker. What
 * is typed is kept on the device at once; a remark saved while offline is sent once back online.
 */
export function RemarksPanel({ session, storage, enabled }: { session: SessionDetail; storage: DraftStorage; enabled: boolean }) {
  const queryClient = useQueryClient();
  const [editors, setEditors] = useState<Record<string, Editor>>(() => restoredEditors(storage, session));
  const editorsRef = useRef(editors);
  const inFlight = useRef(new Set<string>());
  const attempts = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [deleting, setDeleting] = useState<Remark | null>(null);
  const retryAllRef = useRef<() => void>(() => undefined);

  const setEditor = useCallback(
    (key: string, editor: Editor | null) => {
      const next = { ...editorsRef.current };
      if (editor) {
        next[key] = editor;
        if (editor.remarkId === null && isBlankRemark(editor.fields)) {
          clearRemarkDraft(storage, session.id, null);
        } else {
          storeRemarkDraft(storage, session.id, {
            ...editor.fields,
            remarkId: editor.remarkId,
            baseVersion: editor.baseVersion,
            submitted: editor.submitted,
            editedAt: Date.now(),
          });
        }
      } else {
        delete next[key];
        clearRemarkDraft(storage, session.id, key === NEW ? null : key);
      }
      editorsRef.current = next;
      setEditors(next);
    },
    [storage, session.id],
  );

  const submit = useCallback(
    async (key: string) => {
      const editor = editorsRef.current[key];
      if (!editor || !enabled || inFlight.current.has(key) || editor.conflict) {
        return;
      }
      const f = editor.fields;
      if (!f.text.trim()) {
        setEditor(key, { ...editor, status: 'failed', error: 'Write what the client said' });
        return;
      }
      inFlight.current.add(key);
      const createId = editor.remarkId === null ? (editor.createId ?? crypto.randomUUID()) : undefined;
      setEditor(key, { ...editor, submitted: true, status: 'saving', error: null, ...(createId && { createId }) });
      const theme = f.theme.trim() || null;
      const outcome =
        editor.remarkId === null
          ? await send(
              api.POST('/api/v1/sessions/{id}/remarks', {
                params: { path: { id: session.id } },
                body: { id: createId, text: f.text.trim(), confidentiality: f.confidentiality, speakerContactId: f.speakerContactId, theme },
              }),
            )
          : await send(
              api.PATCH('/api/v1/sessions/{id}/remarks/{remarkId}', {
                params: { path: { id: session.id, remarkId: editor.remarkId } },
                // Only what changed: a speaker the editor was not shown must not be cleared by saving the text.
                body: {
                  baseVersion: editor.baseVersion,
                  ...(f.text.trim() !== editor.base?.text.trim() && { text: f.text.trim() }),
                  ...(f.confidentiality !== editor.base?.confidentiality && { confidentiality: f.confidentiality }),
                  ...(f.speakerContactId !== editor.base?.speakerContactId && { speakerContactId: f.speakerContactId }),
                  ...(f.theme.trim() !== editor.base?.theme.trim() && { theme }),
                },
              }),
            );
      inFlight.current.delete(key);
      const latest = editorsRef.current[key] ?? editor;
      switch (outcome.kind) {
        case 'saved': {
          attempts.current = 0;
          const saved = outcome.value;
          updateCachedSession(queryClient, session.id, (s) => ({
            ...s,
            remarks: s.remarks.some((r) => r.id === saved.id) ? s.remarks.map((r) => (r.id === saved.id ? saved : r)) : [...s.remarks, saved],
          }));
          if (key === NEW) {
            // Words typed while it was saving start the next remark; otherwise the box empties, keeping the confidentiality chosen.
            const typedSince = latest.fields.text !== f.text;
            setEditor(NEW, typedSince ? { ...newEditor(latest.fields) } : newEditor({ ...EMPTY_REMARK, confidentiality: f.confidentiality }));
          } else {
            setEditor(key, null);
          }
          return;
        }
        case 'offline':
          setEditor(key, { ...latest, status: 'offline' });
          clearTimeout(timer.current);
          timer.current = setTimeout(() => retryAllRef.current(), retryDelay(attempts.current++));
          return;
        case 'conflict':
          setEditor(key, { ...latest, status: 'idle', submitted: false, conflict: outcome.current });
          return;
        case 'failed':
          setEditor(key, { ...latest, status: 'failed', submitted: false, error: outcome.message });
          onSignedOut(queryClient, outcome);
          return;
      }
    },
    [enabled, session.id, queryClient, setEditor],
  );

  retryAllRef.current = () => {
    for (const [key, editor] of Object.entries(editorsRef.current)) {
      if (editor.submitted && (editor.status === 'offline' || editor.status === 'idle')) {
        void submit(key);
      }
    }
  };

  useEffect(() => {
    // Remarks saved while offline before the page was closed are sent on load.
    retryAllRef.current();
    const onOnline = () => {
      attempts.current = 0;
      retryAllRef.current();
    };
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      clearTimeout(timer.current);
    };
  }, []);

  const remove = async (remark: Remark) => {
    const outcome = await send(api.DELETE('/api/v1/sessions/{id}/remarks/{remarkId}', { params: { path: { id: session.id, remarkId: remark.id } } }));
    if (outcome.kind === 'saved') {
      updateCachedSession(queryClient, session.id, (s) => ({ ...s, remarks: s.remarks.filter((r) => r.id !== remark.id) }));
      if (editorsRef.current[remark.id]) {
        setEditor(remark.id, null);
      }
      setDeleting(null);
      return;
    }
    notifications.show({ color: 'red', title: 'Remark not deleted', message: outcome.kind === 'failed' ? outcome.message : 'Could not reach the server.' });
    setDeleting(null);
  };

  const themes = [...new Set([...session.remarks.map((r) => r.theme).filter((t): t is string => !!t), ...session.scores.dimensions.map((d) => d.label)])];
  const contacts = session.contacts.map((c) => ({ value: c.id, label: c.name }));
  const newEditorState = editors[NEW] ?? newEditor();

  return (
    <Paper withBorder p="lg" radius="md">
      <Title order={3} size="h4" mb="xs">
        Remarks
      </Title>
      <Text size="xs" c="dimmed" mb="md">
        Quotes and points worth keeping, each marked with who may read it. What the client said in confidence: mark it Programme only.
      </Text>
      <Stack gap="sm">
        {session.remarks.map((r) => {
          const editor = editors[r.id];
          if (editor) {
            return (
              <RemarkEditor
                key={r.id}
                editor={editor}
                contacts={contacts}
                themes={themes}
                submitLabel="Save remark"
                onChange={(fields) => setEditor(r.id, { ...editor, fields, status: editor.status === 'failed' ? 'idle' : editor.status, error: null })}
                onSubmit={() => void submit(r.id)}
                onCancel={() => setEditor(r.id, null)}
                onKeepMine={() => {
                  if (editor.conflict) {
                    const c = editor.conflict;
                    const base = {
                      text: c.text ?? '',
                      confidentiality: c.confidentiality ?? 'attributable',
                      speakerContactId: c.speakerContactId ?? null,
                      theme: c.theme ?? '',
                    };
                    setEditor(r.id, { ...editor, base, baseVersion: c.version, conflict: null });
                    void submit(r.id);
                  }
                }}
                onTakeTheirs={() => {
                  setEditor(r.id, null);
                  void queryClient.invalidateQueries({ queryKey: ['sessions', 'detail', session.id] });
                }}
              />
            );
          }
          return (
            <RemarkItem
              key={r.id}
              remark={r}
              actions={
                enabled && (
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label="Edit remark">
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label="Edit remark"
                        onClick={() =>
                          setEditor(r.id, {
                            remarkId: r.id,
                            fields: remarkFieldsOf(r),
                            base: remarkFieldsOf(r),
                            baseVersion: r.version,
                            submitted: false,
                            status: 'idle',
                            error: null,
                            conflict: null,
                          })
                        }
                      >
                        <IconPencil size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Delete remark">
                      <ActionIcon variant="subtle" color="red.9" aria-label="Delete remark" onClick={() => setDeleting(r)}>
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                )
              }
            />
          );
        })}
        {session.remarks.length === 0 && !enabled && (
          <Text size="sm" c="dimmed">
            No remarks captured.
          </Text>
        )}
        {enabled && (
          <RemarkEditor
            editor={newEditorState}
            contacts={contacts}
            themes={themes}
            submitLabel="Add remark"
            heading={newEditorState.orphaned ? 'This remark was deleted while you were editing it; add it again if it still matters' : undefined}
            onChange={(fields) =>
              setEditor(NEW, { ...newEditorState, fields, status: newEditorState.status === 'failed' ? 'idle' : newEditorState.status, error: null })
            }
            onSubmit={() => void submit(NEW)}
          />
        )}
      </Stack>
      <ConfirmDialog
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete this remark?"
        confirmLabel="Delete remark"
        onConfirm={() => deleting && remove(deleting)}
      >
        The remark will be deleted for everyone. This cannot be undone.
      </ConfirmDialog>
    </Paper>
  );
}

interface RemarkEditorProps {
  editor: Editor;
  contacts: { value: string; label: string }[];
  themes: string[];
  submitLabel: string;
  heading?: string;
  onChange: (fields: RemarkFields) => void;
  onSubmit: () => void;
  onCancel?: () => void;
  onKeepMine?: () => void;
  onTakeTheirs?: () => void;
}

function RemarkEditor({ editor, contacts, themes, submitLabel, heading, onChange, onSubmit, onCancel, onKeepMine, onTakeTheirs }: RemarkEditorProps) {
  const { fields, status, error, conflict } = editor;
  const set = (change: Partial<RemarkFields>) => onChange({ ...fields, ...change });
  const statusId = useId();
  const statusText =
    status === 'saving'
      ? 'Saving…'
      : status === 'offline'
        ? 'Offline — saved on this device, will sync'
        : !isBlankRemark(fields) && !conflict
          ? 'Saved on this device'
          : '';
  return (
    <Paper withBorder p="md" radius="sm" bg="gray.0">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        noValidate
      >
        <Stack gap="sm">
          {heading && (
            <Alert color="orange" variant="light" p="xs">
              {heading}
            </Alert>
          )}
          <Textarea
            label={editor.remarkId ? 'Remark' : 'New remark'}
            placeholder="What the client said"
            autosize
            minRows={2}
            maxRows={10}
            value={fields.text}
            onChange={(e) => set({ text: e.currentTarget.value })}
            error={status === 'failed' ? error : undefined}
          />
          <Radio.Group label="Confidentiality" value={fields.confidentiality} onChange={(v) => set({ confidentiality: v as Confidentiality })}>
            <Stack gap={6} mt={4}>
              {CONFIDENTIALITIES.map((c) => (
                <Radio key={c} value={c} label={CONFIDENTIALITY_LABELS[c]} description={CONFIDENTIALITY_HELP[c]} />
              ))}
            </Stack>
          </Radio.Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label="Speaker"
              placeholder={contacts.length ? 'Not recorded' : 'No stakeholders on the plan'}
              data={contacts}
              value={fields.speakerContactId}
              onChange={(v) => set({ speakerContactId: v })}
              clearable
              clearButtonProps={{ 'aria-label': 'No speaker' }}
              disabled={contacts.length === 0}
            />
            <Autocomplete label="Theme" placeholder="e.g. Responsiveness" data={themes} value={fields.theme} onChange={(v) => set({ theme: v })} />
          </SimpleGrid>
          {conflict && (
            <Alert
              color="orange"
              variant="light"
              styles={WARNING_STYLES}
              icon={<IconAlertTriangle size={18} aria-hidden />}
              title="This remark was changed meanwhile"
              role="alert"
            >
              <Stack gap="xs">
                <Text size="sm">
                  It was saved as version {conflict.version}
                  {conflict.updatedAt ? ` on ${formatDateTime(conflict.updatedAt)}` : ''} while you were editing it. Choose which to keep.
                </Text>
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                  <Version title="Yours" text={fields.text} confidentiality={fields.confidentiality} />
                  <Version title="Saved" text={conflict.text ?? ''} confidentiality={conflict.confidentiality ?? 'attributable'} />
                </SimpleGrid>
                <Group gap="xs">
                  <Button size="xs" onClick={onKeepMine}>
                    Keep mine
                  </Button>
                  <Button size="xs" variant="default" onClick={onTakeTheirs}>
                    Use the saved one
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          <Group justify="space-between" gap="xs">
            <Text id={statusId} size="xs" c="dimmed" fw={status === 'offline' ? 600 : undefined}>
              {statusText}
            </Text>
            <Group gap="xs">
              {onCancel && (
                <Button variant="default" size="xs" onClick={onCancel}>
                  Cancel
                </Button>
              )}
              <Button type="submit" size="xs" loading={status === 'saving'} disabled={!!conflict}>
                {submitLabel}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Version({ title, text, confidentiality }: { title: string; text: string; confidentiality: Confidentiality }) {
  return (
    <Paper withBorder p="xs" radius="sm">
      <Text size="xs" fw={600} mb={4}>
        {title} · {CONFIDENTIALITY_LABELS[confidentiality]}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {text}
      </Text>
    </Paper>
  );
}
