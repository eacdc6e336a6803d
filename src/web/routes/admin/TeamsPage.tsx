import { Title } from '@mantine/core';

export function TeamsPage() {
  return <Title order={2}>TeamsPage</Title>;
}
