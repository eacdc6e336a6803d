import { Alert, Button } from '@mantine/core';
import { ApiProblem } from '../api/client';

/** A failed load, said plainly, with a way to try again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof ApiProblem ? error.message : 'Could not reach the server.';
  return (
    <Alert color="red" title="Something went wrong" role="alert">
      {message}
      {onRetry && (
        <Button size="xs" variant="light" color="red" ml="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Alert>
  );
}
