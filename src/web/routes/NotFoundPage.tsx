import { Button, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <Stack align="flex-start">
      <Title order={2}>Page not found</Title>
      <Text c="dimmed">The page does not exist, or you do not have access to it.</Text>
      <Button component={Link} to="/clients" variant="light">
        Go to clients
      </Button>
    </Stack>
  );
}
