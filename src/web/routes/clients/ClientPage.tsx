import { Title } from '@mantine/core';

export function ClientPage() {
  return <Title order={2}>ClientPage</Title>;
}
