import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './components/AppLayout';
import { RequireAuth } from './components/RequireAuth';
import { AccountPage } from './routes/account/AccountPage';
import { ActionsPage } from './routes/actions/ActionsPage';
import { LoopSettingsPage } from './routes/actions/LoopSettingsPage';
import { YouSaidWeDidPage } from './routes/actions/YouSaidWeDidPage';
import { AuditPage } from './routes/admin/AuditPage';
import { TeamsPage } from './routes/admin/TeamsPage';
import { UsersPage } from './routes/admin/UsersPage';
import { WallsPage } from './routes/admin/WallsPage';
import { ClientPage } from './routes/clients/ClientPage';
import { ClientsPage } from './routes/clients/ClientsPage';
import { GuidePage } from './routes/guides/GuidePage';
import { GuidesPage } from './routes/guides/GuidesPage';
import { ThemesPage } from './routes/insights/ThemesPage';
import { NotFoundPage } from './routes/NotFoundPage';
import { NotificationsPage } from './routes/notifications/NotificationsPage';
import { AskAgainPage } from './routes/preferences/AskAgainPage';
import { ClientBriefPage } from './routes/preferences/ClientBriefPage';
import { InvoiceCheckPage } from './routes/preferences/InvoiceCheckPage';
import { MessageCheckPage } from './routes/preferences/MessageCheckPage';
import { PlanCheckPage } from './routes/preferences/PlanCheckPage';
import { ReportsDuePage } from './routes/preferences/ReportsDuePage';
import { NominationsInboxPage } from './routes/programmes/NominationsInboxPage';
import { ProgrammePage } from './routes/programmes/ProgrammePage';
import { ProgrammesPage } from './routes/programmes/ProgrammesPage';
import { CheckInsPage } from './routes/relationships/CheckInsPage';
import { ProblemsPage } from './routes/relationships/ProblemsPage';
import { SignInPage } from './routes/SignInPage';
import { SearchPage } from './routes/search/SearchPage';
import { CapturePage } from './routes/sessions/CapturePage';
import { SessionPage } from './routes/sessions/SessionPage';
import { SessionPlannerPage } from './routes/sessions/SessionPlannerPage';
import { SessionsPage } from './routes/sessions/SessionsPage';
import { SummaryPage } from './routes/sessions/SummaryPage';

/**
 * Every screen of the app, grouped by domain like the server. Add a domain's routes here, one
 * import per page, so that the whole map stays readable in one place.
 */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to="/clients" replace /> },
      { path: 'clients', element: <ClientsPage /> },
      { path: 'clients/:clientId', element: <ClientPage /> },
      { path: 'clients/:clientId/you-said-we-did', element: <YouSaidWeDidPage /> },
      { path: 'clients/:clientId/brief', element: <ClientBriefPage /> },
      { path: 'preferences/ask-again', element: <AskAgainPage /> },
      { path: 'reports-due', element: <ReportsDuePage /> },
      { path: 'checks/invoice', element: <InvoiceCheckPage /> },
      { path: 'checks/message', element: <MessageCheckPage /> },
      { path: 'checks/plan', element: <PlanCheckPage /> },
      { path: 'clients/:clientId/:tab', element: <ClientPage /> },
      { path: 'programmes', element: <ProgrammesPage /> },
      { path: 'programmes/:programmeId', element: <ProgrammePage /> },
      { path: 'nominations', element: <NominationsInboxPage /> },
      { path: 'admin/users', element: <UsersPage /> },
      { path: 'admin/teams', element: <TeamsPage /> },
      { path: 'admin/walls', element: <WallsPage /> },
      { path: 'admin/audit', element: <AuditPage /> },
      { path: 'admin/guides', element: <GuidesPage /> },
      { path: 'admin/guides/:guideId', element: <GuidePage /> },
      { path: 'admin/themes', element: <ThemesPage /> },
      { path: 'sessions', element: <SessionsPage /> },
      { path: 'sessions/new', element: <SessionPlannerPage /> },
      { path: 'sessions/:sessionId', element: <SessionPage /> },
      { path: 'sessions/:sessionId/edit', element: <SessionPlannerPage /> },
      { path: 'sessions/:sessionId/capture', element: <CapturePage /> },
      { path: 'sessions/:sessionId/summary', element: <SummaryPage /> },
      { path: 'actions', element: <ActionsPage /> },
      { path: 'check-ins', element: <CheckInsPage /> },
      { path: 'problems', element: <ProblemsPage /> },
      { path: 'admin/settings', element: <LoopSettingsPage /> },
      { path: 'analytics', element: <Navigate to="/analytics/nps" replace /> },
      // The dashboards load on demand: their charts library is large.
      { path: 'analytics/nps', lazy: async () => ({ Component: (await import('./routes/analytics/NpsPage')).NpsPage }) },
      { path: 'analytics/bias', lazy: async () => ({ Component: (await import('./routes/analytics/BiasPage')).BiasPage }) },
      { path: 'analytics/participation', lazy: async () => ({ Component: (await import('./routes/analytics/ParticipationPage')).ParticipationPage }) },
      { path: 'analytics/loop', lazy: async () => ({ Component: (await import('./routes/analytics/LoopPage')).LoopPage }) },
      { path: 'analytics/retention', lazy: async () => ({ Component: (await import('./routes/analytics/RetentionPage')).RetentionPage }) },
      { path: 'analytics/health', lazy: async () => ({ Component: (await import('./routes/analytics/HealthPage')).HealthPage }) },
      {
        path: 'analytics/health/clients/:clientId',
        lazy: async () => ({ Component: (await import('./routes/analytics/HealthClientPage')).HealthClientPage }),
      },
      { path: 'search', element: <SearchPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
