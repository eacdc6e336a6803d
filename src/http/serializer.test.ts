import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuditPage } from '../audit/schemas.js';
import { ClientDetailSchema } from '../clients/schemas.js';
import { fastSerializerCompiler } from './serializer.js';

const compile = (schema: z.ZodType) => fastSerializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' }) as (data: unknown) => string;

describe('fastSerializerCompiler', () => {
  it('should write only declared fields, so nothing reaches a client by accident', () => {
    const write = compile(z.object({ id: z.string(), name: z.string().nullable() }));
    expect(JSON.parse(write({ id: 'a', name: null, passwordHash: 'secret' }))).toEqual({ id: 'a', name: null });
  });

  it('should write named (meta id) schemas, nullables and nested arrays the same as JSON.stringify', () => {
    const detail = {
      id: '1',
      name: 'Acme',
      status: 'active',
      industry: null,
      annualFees: 1200.5,
      isKeyClient: true,
      parentId: null,
      competitors: ['Contoso'],
      notes: null,
      walled: false,
      relationshipPartners: [{ id: 'u', name: 'Pat' }],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-02T00:00:00.000Z',
      parent: null,
      subsidiaries: [],
      team: [{ userId: 'u', name: 'Pat', email: 'p@x.test', title: null, teamRole: 'relationship_partner' }],
      counts: { contacts: 1, matters: 2, openMatters: 1 },
      abilities: {
        readMatters: true,
        readTeam: true,
        edit: true,
        delete: false,
        editContacts: true,
        deleteContacts: false,
        editMatters: false,
        editTeam: true,
        readPreferences: true,
        editPreferences: true,
      },
    };
    expect(JSON.parse(compile(ClientDetailSchema)(detail))).toEqual(detail);
  });

  it('should write the audit log’s [before, after] pairs of any type', () => {
    const page = {
      items: [
        {
          id: 'a',
          at: '2026-01-01T00:00:00.000Z',
          actorId: null,
          actorLabel: 'system',
          action: 'client.update',
          entity: 'client',
          entityId: 'c',
          clientId: 'c',
          changes: { name: ['A', 'B'], annualFees: [null, 3], competitors: [[], ['X']] },
          requestId: null,
        },
      ],
      nextCursor: null,
    };
    expect(JSON.parse(compile(AuditPage)(page))).toEqual(page);
  });
});
