import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './components/AppLayout';
import { RequireAuth } from './components/RequireAuth';
import { AccountPage } from './routes/account/AccountPage';
import { AuditPage } from './routes/admin/AuditPage';
import { TeamsPage } from './routes/admin/TeamsPage';
import { UsersPage } from './routes/admin/UsersPage';
import { WallsPage } from './routes/admin/WallsPage';
import { ClientPage } from './routes/clients/ClientPage';
import { ClientsPage } from './routes/clients/ClientsPage';
import { NotFoundPage } from './routes/NotFoundPage';
import { SignInPage } from './routes/SignInPage';

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
      { path: 'clients/:clientId/:tab', element: <ClientPage /> },
      { path: 'admin/users', element: <UsersPage /> },
      { path: 'admin/teams', element: <TeamsPage /> },
      { path: 'admin/walls', element: <WallsPage /> },
      { path: 'admin/audit', element: <AuditPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
