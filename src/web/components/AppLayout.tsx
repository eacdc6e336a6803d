import { AppShell, Burger, Group, Menu, NavLink, ScrollArea, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconBuilding,
  IconCalendarDue,
  IconChartBar,
  IconChartLine,
  IconChecklist,
  IconChevronDown,
  IconClipboardCheck,
  IconEar,
  IconFileText,
  IconHeartbeat,
  IconInbox,
  IconListCheck,
  IconLock,
  IconMail,
  IconMessages,
  IconPhoneCall,
  IconQuestionMark,
  IconReceipt,
  IconRefresh,
  IconScale,
  IconSettings,
  IconTags,
  IconUser,
  IconUsers,
  IconUsersGroup,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Outlet, NavLink as RouterNavLink, useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { NotificationBell } from '../routes/notifications/NotificationBell';
import { HeaderSearch } from './HeaderSearch';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
}

/** The app shell: navigation by domain on the left, the signed-in user's menu at the top. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { user, abilities, signOut } = useAuth();
  const navigate = useNavigate();

  const work: NavItem[] = [
    { to: '/clients', label: 'Clients', icon: <IconBuilding size={18} /> },
    ...(abilities?.readProgrammes ? [{ to: '/programmes', label: 'Programmes', icon: <IconEar size={18} /> }] : []),
    ...(abilities?.answerNominations ? [{ to: '/nominations', label: 'Nominations inbox', icon: <IconInbox size={18} /> }] : []),
    ...(abilities?.readSessions ? [{ to: '/sessions', label: 'Listening sessions', icon: <IconMessages size={18} /> }] : []),
    ...(abilities?.readActions ? [{ to: '/actions', label: 'My actions', icon: <IconChecklist size={18} /> }] : []),
    ...(abilities?.readRelationships ? [{ to: '/check-ins', label: 'Check-ins', icon: <IconPhoneCall size={18} /> }] : []),
    ...(abilities?.readRelationships ? [{ to: '/problems', label: 'Problems', icon: <IconAlertTriangle size={18} /> }] : []),
    ...(abilities?.readPreferences ? [{ to: '/preferences/ask-again', label: 'Ask again', icon: <IconQuestionMark size={18} /> }] : []),
    ...(abilities?.readPreferences ? [{ to: '/reports-due', label: 'Reports due', icon: <IconCalendarDue size={18} /> }] : []),
  ];
  const checks: NavItem[] = abilities?.readPreferences
    ? [
        { to: '/checks/invoice', label: 'Invoice check', icon: <IconReceipt size={18} /> },
        { to: '/checks/message', label: 'Message check', icon: <IconMail size={18} /> },
        { to: '/checks/plan', label: 'Plan check', icon: <IconClipboardCheck size={18} /> },
      ]
    : [];
  const analytics: NavItem[] = abilities?.readAnalytics
    ? [
        { to: '/analytics/nps', label: 'NPS', icon: <IconChartLine size={18} /> },
        { to: '/analytics/bias', label: 'Sample bias', icon: <IconScale size={18} /> },
        { to: '/analytics/participation', label: 'Participation', icon: <IconUsersGroup size={18} /> },
        { to: '/analytics/loop', label: 'Closing the loop', icon: <IconRefresh size={18} /> },
        { to: '/analytics/retention', label: 'Retention', icon: <IconChartBar size={18} /> },
        { to: '/analytics/health', label: 'Client health', icon: <IconHeartbeat size={18} /> },
      ]
    : [];
  const admin: NavItem[] = [
    ...(abilities?.manageUsers ? [{ to: '/admin/users', label: 'Users', icon: <IconUser size={18} /> }] : []),
    ...(abilities?.manageTeams ? [{ to: '/admin/teams', label: 'Teams', icon: <IconUsersGroup size={18} /> }] : []),
    ...(abilities?.manageWalls ? [{ to: '/admin/walls', label: 'Ethical walls', icon: <IconLock size={18} /> }] : []),
    ...(abilities?.manageGuides ? [{ to: '/admin/guides', label: 'Interview guides', icon: <IconListCheck size={18} /> }] : []),
    ...(abilities?.manageThemes ? [{ to: '/admin/themes', label: 'Themes', icon: <IconTags size={18} /> }] : []),
    ...(abilities?.manageSettings ? [{ to: '/admin/settings', label: 'Settings', icon: <IconSettings size={18} /> }] : []),
    ...(abilities?.readAudit ? [{ to: '/admin/audit', label: 'Audit log', icon: <IconFileText size={18} /> }] : []),
  ];

  // The filled variant keeps the active link at AA contrast when hovered (the light one does not).
  const link = (item: NavItem) => (
    <NavLink key={item.to} component={RouterNavLink} to={item.to} label={item.label} leftSection={item.icon} onClick={close} variant="filled" />
  );

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={1} size="h4">
              Hearken
            </Title>
          </Group>
          <HeaderSearch />
          <Group gap="xs">
            <NotificationBell />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                {/* The name shown must start the accessible name too (WCAG 2.5.3, label in name). */}
                <UnstyledButton aria-label={`${user?.name ?? 'Your'} account menu`}>
                  <Group gap={6}>
                    <IconUsers size={18} aria-hidden />
                    <Text size="sm">{user?.name}</Text>
                    <IconChevronDown size={14} aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{user?.email}</Menu.Label>
                <Menu.Item onClick={() => navigate('/account')}>Account and API tokens</Menu.Item>
                <Menu.Item
                  color="red"
                  onClick={async () => {
                    await signOut();
                    await navigate('/sign-in');
                  }}
                >
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Main">
        <ScrollArea>
          {work.map(link)}
          {checks.length > 0 && (
            <>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
                Checks
              </Text>
              {checks.map(link)}
            </>
          )}
          {analytics.length > 0 && (
            <>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
                Analytics
              </Text>
              {analytics.map(link)}
            </>
          )}
          {admin.length > 0 && (
            <>
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
                Administration
              </Text>
              {admin.map(link)}
            </>
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
