import { describe, expect, it } from 'vitest';
import { POLICY, type Scope, scopeFor, scopeSatisfied } from './access.js';

describe('access policy table', () => {
  it('should let nobody but admins manage users, teams, walls and read the audit log', () => {
    for (const role of ['programme_lead', 'management', 'partner', 'member', 'external'] as const) {
      expect(scopeFor(role, 'user', 'create')).toBeUndefined();
      expect(scopeFor(role, 'team', 'update')).toBeUndefined();
      expect(scopeFor(role, 'wall', 'update')).toBeUndefined();
      expect(scopeFor(role, 'audit', 'read')).toBeUndefined();
    }
    expect(scopeFor('admin', 'audit', 'read')).toBe('any');
  });

  it('should keep management read-only on client records', () => {
    for (const resource of ['client', 'contact', 'matter'] as const) {
      expect(scopeFor('management', resource, 'read')).toBe('any');
      expect(scopeFor('management', resource, 'update')).toBeUndefined();
    }
    expect(scopeFor('management', 'client_team', 'update')).toBeUndefined();
  });

  it('should limit partners and members to the clients on whose team they are', () => {
    expect(scopeFor('partner', 'client', 'update')).toBe('client_team');
    expect(scopeFor('member', 'client', 'update')).toBeUndefined();
    expect(scopeFor('member', 'contact', 'create')).toBe('client_team');
    expect(scopeFor('member', 'matter', 'create')).toBeUndefined();
    expect(scopeFor('partner', 'client_team', 'update')).toBe('relationship_partner');
  });

  it('should give external users only the clients and contacts of sessions assigned to them', () => {
    for (const resource of ['matter', 'client_team', 'user', 'team'] as const) {
      expect(scopeFor('external', resource, 'read')).toBeUndefined();
    }
    expect(scopeFor('external', 'client', 'read')).toBe('assigned');
    expect(scopeFor('external', 'contact', 'read')).toBe('assigned');
    expect(scopeFor('external', 'session', 'read')).toBe('assigned');
    expect(scopeFor('external', 'session', 'create')).toBeUndefined();
  });

  it('should read scopes strictly', () => {
    const cases: [Scope, 'relationship_partner' | 'member' | undefined, boolean][] = [
      ['any', undefined, true],
      ['client_team', undefined, false],
      ['client_team', 'member', true],
      ['relationship_partner', 'member', false],
      ['relationship_partner', 'relationship_partner', true],
      ['assigned', 'relationship_partner', false],
    ];
    for (const [scope, teamRole, expected] of cases) {
      expect(scopeSatisfied(scope, teamRole)).toBe(expected);
    }
    // The session's interviewer: `assigned` grants, and widens `client_team`, never `relationship_partner`.
    expect(scopeSatisfied('assigned', undefined, true)).toBe(true);
    expect(scopeSatisfied('client_team', undefined, true)).toBe(true);
    expect(scopeSatisfied('relationship_partner', undefined, true)).toBe(false);
  });

  it('should name only known roles and scopes in the table', () => {
    const roles = new Set(['admin', 'programme_lead', 'management', 'partner', 'member', 'external']);
    const scopes = new Set(['any', 'client_team', 'relationship_partner', 'assigned']);
    for (const actions of Object.values(POLICY)) {
      for (const grants of Object.values(actions)) {
        for (const [role, scope] of Object.entries(grants)) {
          expect(roles.has(role)).toBe(true);
          expect(scopes.has(scope as string)).toBe(true);
        }
      }
    }
  });
});
