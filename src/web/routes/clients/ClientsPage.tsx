import { Title } from '@mantine/core';

export function ClientsPage() {
  return <Title order={2}>ClientsPage</Title>;
}
