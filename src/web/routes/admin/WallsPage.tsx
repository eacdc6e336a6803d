import { Title } from '@mantine/core';

export function WallsPage() {
  return <Title order={2}>WallsPage</Title>;
}
