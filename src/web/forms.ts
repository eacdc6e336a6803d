import type { UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { ApiProblem } from './api/client';

/**
 * Shows a failed save where it belongs: each field the API named gets its message inline, and
 * anything else becomes a notification. Returns true when at least one field was marked.
 */
// biome-ignore lint/suspicious/noExplicitAny: any form's values
export function showApiErrors(form: UseFormReturnType<any>, err: unknown, fieldMap: Record<string, string> = {}): boolean {
  if (err instanceof ApiProblem && Object.keys(err.fieldErrors).length > 0) {
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(err.fieldErrors)) {
      errors[fieldMap[field] ?? field] = message.charAt(0).toUpperCase() + message.slice(1);
    }
    form.setErrors(errors);
    const unknown = Object.keys(errors).filter((f) => !(f in form.getValues()));
    if (unknown.length > 0) {
      notifications.show({ color: 'red', title: 'Not saved', message: err.message });
    }
    return true;
  }
  notifyFailed('Not saved', err);
  return false;
}

export function notifySaved(message: string) {
  notifications.show({ color: 'green', message });
}

/** A failed action that has no form to show its errors on (a delete, a reset, a revoke). */
export function notifyFailed(title: string, err: unknown) {
  notifications.show({ color: 'red', title, message: err instanceof ApiProblem ? err.message : 'Could not reach the server.' });
}
