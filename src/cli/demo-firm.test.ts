import { describe, expect, it } from 'vitest';
import { CLIENT_STATUSES, ROLES } from '../db/schema.js';
import {
  contactEmail,
  contactPhone,
  DEMO_CLIENTS,
  DEMO_PRACTICE_GROUPS,
  DEMO_USERS,
  demoClientBody,
  demoContactBody,
  demoMatterBody,
  demoTeamBody,
  demoTeamPutBody,
  demoUserBody,
  demoUserEmail,
  matterReference,
} from './demo-firm.js';

const userIds = new Map(DEMO_USERS.map((u, i) => [u.key, `user-${i}`]));
const clientIds = new Map(DEMO_CLIENTS.map((c, i) => [c.key, `client-${i}`]));
const roleOf = new Map(DEMO_USERS.map((u) => [u.key, u.role]));

describe('the demo firm data', () => {
  it('should have a dozen users covering every role, with one admin, programme lead, management user and external interviewer', () => {
    expect(DEMO_USERS).toHaveLength(12);
    for (const role of ROLES) {
      expect(DEMO_USERS.some((u) => u.role === role)).toBe(true);
    }
    for (const role of ['admin', 'programme_lead', 'management', 'external'] as const) {
      expect(DEMO_USERS.filter((u) => u.role === role)).toHaveLength(1);
    }
    expect(new Set(DEMO_USERS.map(demoUserEmail)).size).toBe(12);
  });

  it('should have three practice groups of known users', () => {
    expect(DEMO_PRACTICE_GROUPS.map((g) => g.name)).toEqual(['Litigation', 'Corporate/M&A', 'Employment']);
    for (const group of DEMO_PRACTICE_GROUPS) {
      expect(group.members.every((k) => userIds.has(k))).toBe(true);
    }
  });

  it('should have thirty clients in every status, key clients, competitors and a parent before its subsidiary', () => {
    expect(DEMO_CLIENTS).toHaveLength(30);
    expect(new Set(DEMO_CLIENTS.map((c) => c.key)).size).toBe(30);
    for (const status of CLIENT_STATUSES) {
      expect(
        DEMO_CLIENTS.some((c) => c.status === status),
        status,
      ).toBe(true);
    }
    expect(DEMO_CLIENTS.filter((c) => c.keyClient).length).toBeGreaterThanOrEqual(5);
    expect(DEMO_CLIENTS.find((c) => c.competitors?.includes('PepsiCo'))).toBeDefined();
    expect(DEMO_CLIENTS.find((c) => c.competitors?.includes('General Motors'))).toBeDefined();
    const withParent = DEMO_CLIENTS.filter((c) => c.parent);
    expect(withParent.length).toBeGreaterThanOrEqual(1);
    for (const child of withParent) {
      expect(DEMO_CLIENTS.findIndex((c) => c.key === child.parent)).toBeLessThan(DEMO_CLIENTS.indexOf(child));
    }
    expect(new Set(DEMO_CLIENTS.map((c) => c.industry)).size).toBeGreaterThanOrEqual(8);
  });

  it('should wall exactly one client, for two people who are on its team', () => {
    const walled = DEMO_CLIENTS.filter((c) => c.wallMembers);
    expect(walled).toHaveLength(1);
    const [client] = walled;
    expect(client?.wallMembers).toHaveLength(2);
    const team = [client?.team.partner, ...(client?.team.members ?? [])];
    expect(team.every((k) => client?.wallMembers?.includes(k as string))).toBe(true);
  });

  it('should give every active client a relationship partner and members, none of them external', () => {
    for (const client of DEMO_CLIENTS) {
      expect(roleOf.get(client.team.partner), client.name).toBe('partner');
      for (const member of client.team.members) {
        expect(['partner', 'member'], `${client.name}: ${member}`).toContain(roleOf.get(member));
      }
      if (client.status === 'active') {
        expect(client.team.members.length, client.name).toBeGreaterThan(0);
      }
    }
  });

  it('should have contacts with roles, differing preferred names, decision-makers and one or two who left', () => {
    const contacts = DEMO_CLIENTS.flatMap((c) => c.contacts);
    expect(DEMO_CLIENTS.every((c) => c.contacts.length > 0)).toBe(true);
    const roles = new Set(contacts.map((c) => c.role));
    for (const role of ['General Counsel', 'CFO', 'Head of IT', 'Head of Legal Operations']) {
      expect(roles.has(role), role).toBe(true);
    }
    expect(contacts.find((c) => c.name === 'Margaret Hollis')?.preferredName).toBe('Megge');
    expect(contacts.find((c) => c.name.startsWith('William'))?.preferredName).toBe('Bill');
    for (const c of contacts.filter((c) => c.preferredName)) {
      expect(c.name.split(' ')[0]).not.toBe(c.preferredName);
    }
    expect(contacts.filter((c) => c.decisionMaker).length).toBeGreaterThan(20);
    expect(contacts.filter((c) => c.leftOn).length).toBeGreaterThanOrEqual(1);
    expect(contacts.filter((c) => c.leftOn).length).toBeLessThanOrEqual(2);
  });

  it('should have matters with practice areas, some closed after they opened, some with client project codes', () => {
    const matters = DEMO_CLIENTS.flatMap((c) => c.matters);
    expect(matters.length).toBeGreaterThan(30);
    for (const m of matters) {
      expect(m.status === 'closed', m.name).toBe(m.closedOn !== undefined);
      if (m.closedOn) {
        expect(m.closedOn > m.openedOn, m.name).toBe(true);
      }
    }
    expect(matters.filter((m) => m.status === 'closed').length).toBeGreaterThan(5);
    expect(matters.filter((m) => m.projectCode).length).toBeGreaterThan(5);
    expect(new Set(matters.map((m) => m.practiceArea)).size).toBeGreaterThanOrEqual(5);
  });

  it('should turn every record into valid service input (the checks the API applies)', () => {
    for (const user of DEMO_USERS) {
      expect(demoUserBody(user, 'a long enough password').email).toBe(demoUserEmail(user));
    }
    for (const group of DEMO_PRACTICE_GROUPS) {
      expect(demoTeamBody(group, userIds).memberIds).toHaveLength(group.members.length);
    }
    let n = 0;
    for (const [ci, client] of DEMO_CLIENTS.entries()) {
      const body = demoClientBody(client, userIds, clientIds);
      expect(body.walled).toBe(client.wallMembers !== undefined);
      expect(body.parentId ?? undefined).toBe(client.parent ? clientIds.get(client.parent) : undefined);
      for (const contact of client.contacts) {
        n += 1;
        expect(demoContactBody(contact, client, n).email).toMatch(/^[a-z-]+(\.[a-z-]+)+@[a-z]+\.example$/);
      }
      client.matters.forEach((m, mi) => {
        expect(demoMatterBody(m, ci, mi).reference).toBe(matterReference(ci, mi));
      });
      expect(demoTeamPutBody(client, userIds).members[0]).toEqual({ userId: userIds.get(client.team.partner), teamRole: 'relationship_partner' });
    }
  });

  it('should refuse data that refers to someone it does not define', () => {
    const [client] = DEMO_CLIENTS;
    expect(() => demoTeamPutBody({ ...(client as (typeof DEMO_CLIENTS)[number]), team: { partner: 'nobody', members: [] } }, userIds)).toThrow(
      'unknown key "nobody"',
    );
  });
});

describe('demo helpers', () => {
  it('should make plain emails from names with accents and apostrophes', () => {
    expect(contactEmail({ name: "Margaret O'Connell" }, { domain: 'x.example' })).toBe('margaret.oconnell@x.example');
    expect(contactEmail({ name: 'Anne-Marie Cooper' }, { domain: 'x.example' })).toBe('anne-marie.cooper@x.example');
    expect(contactEmail({ name: 'Zoë Brontë' }, { domain: 'x.example' })).toBe('zoe.bronte@x.example');
  });

  it('should use the numbers kept for fiction', () => {
    expect(contactPhone({ country: 'UK' }, 7)).toBe('+44 20 7946 0007');
    expect(contactPhone({ country: 'US' }, 42)).toBe('+1 212 555 0142');
  });

  it('should number matters per client', () => {
    expect(matterReference(0, 0)).toBe('10001.0001');
    expect(matterReference(3, 1)).toBe('10004.0002');
  });
});
