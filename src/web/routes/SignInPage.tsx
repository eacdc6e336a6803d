import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiProblem } from '../api/client';
import { useAuth } from '../auth';

export function SignInPage() {
  const { user, signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string>();
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() ? null : 'Enter your email'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });
  // Only follow same-site paths after sign-in, never a full URL someone put in the link.
  const next = params.get('next');
  const target = next?.startsWith('/') && !next.startsWith('//') ? next : '/clients';

  if (user) {
    return <Navigate to={target} replace />;
  }

  return (
    <Center mih="100vh" bg="gray.1">
      <Paper withBorder shadow="sm" p="xl" w={380} component="main">
        <form
          onSubmit={form.onSubmit(async (values) => {
            setError(undefined);
            try {
              await signIn(values.email, values.password);
              await navigate(target, { replace: true });
            } catch (err) {
              setError(err instanceof ApiProblem ? err.message : 'Could not reach the server. Try again.');
            }
          })}
        >
          <Stack>
            <div>
              <Title order={1} size="h2">
                Hearken
              </Title>
              <Text c="dimmed" size="sm">
                Sign in to continue
              </Text>
            </div>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput label="Email" type="email" autoComplete="username" autoFocus {...form.getInputProps('email')} />
            <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
            <Button type="submit" loading={form.submitting}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
