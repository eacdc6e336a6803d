import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import { createClient, deleteClient, getClient, listClients, updateClient } from './clients.js';
import { createContact, deleteContact, getContact, listContacts, updateContact } from './contacts.js';
import { createMatter, deleteMatter, getMatter, listMatters, updateMatter } from './matters.js';
import {
  ClientCreateBody,
  ClientDetailSchema,
  ClientListQuery,
  ClientPage,
  ClientUpdateBody,
  ContactCreateBody,
  ContactList,
  ContactSchema,
  ContactUpdateBody,
  DeleteClientQuery,
  MatterCreateBody,
  MatterList,
  MatterSchema,
  MatterUpdateBody,
  TeamList,
  TeamPutBody,
  WallList,
  WallPutBody,
  WallSchema,
} from './schemas.js';
import { listTeam, putTeam } from './team.js';
import { listWalls, putWall } from './walls.js';

const ClientParams = z.object({ id });
const ContactParams = z.object({ id, contactId: id });
const MatterParams = z.object({ id, matterId: id });
const noContent = { 204: z.null() };

/** Clients and what hangs off them: contacts, matters, relationship team; and ethical walls. */
export async function clientRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['clients'];

  r.get(
    '/clients',
    { schema: { tags, summary: 'List, search, filter and sort clients', querystring: ClientListQuery, response: { 200: ClientPage, ...problems(400, 401) } } },
    async (request) => listClients(contextOf(request, db), request.query),
  );
  r.post(
    '/clients',
    { schema: { tags, summary: 'Create a client', body: ClientCreateBody, response: { 201: ClientDetailSchema, ...problems(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await createClient(contextOf(request, db), request.body)),
  );
  r.get(
    '/clients/:id',
    { schema: { tags, summary: 'A client with its team and counts', params: ClientParams, response: { 200: ClientDetailSchema, ...problems(401, 404) } } },
    async (request) => getClient(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/clients/:id',
    {
      schema: {
        tags,
        summary: 'Update a client',
        params: ClientParams,
        body: ClientUpdateBody,
        response: { 200: ClientDetailSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateClient(contextOf(request, db), request.params.id, request.body),
  );
  r.delete(
    '/clients/:id',
    {
      schema: {
        tags,
        summary: 'Delete a client (refused while it has contacts or matters, unless cascade=true)',
        params: ClientParams,
        querystring: DeleteClientQuery,
        response: { ...noContent, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteClient(contextOf(request, db), request.params.id, request.query.cascade ?? false);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/clients/:id/contacts',
    { schema: { tags, summary: 'The client’s contacts', params: ClientParams, response: { 200: ContactList, ...problems(401, 404) } } },
    async (request) => ({
      items: await listContacts(contextOf(request, db), request.params.id),
    }),
  );
  r.post(
    '/clients/:id/contacts',
    {
      schema: {
        tags,
        summary: 'Add a contact',
        params: ClientParams,
        body: ContactCreateBody,
        response: { 201: ContactSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await createContact(contextOf(request, db), request.params.id, request.body)),
  );
  r.get(
    '/clients/:id/contacts/:contactId',
    { schema: { tags, summary: 'A contact', params: ContactParams, response: { 200: ContactSchema, ...problems(401, 404) } } },
    async (request) => getContact(contextOf(request, db), request.params.id, request.params.contactId),
  );
  r.patch(
    '/clients/:id/contacts/:contactId',
    {
      schema: {
        tags,
        summary: 'Update a contact',
        params: ContactParams,
        body: ContactUpdateBody,
        response: { 200: ContactSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateContact(contextOf(request, db), request.params.id, request.params.contactId, request.body),
  );
  r.delete(
    '/clients/:id/contacts/:contactId',
    { schema: { tags, summary: 'Delete a contact', params: ContactParams, response: { ...noContent, ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await deleteContact(contextOf(request, db), request.params.id, request.params.contactId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/clients/:id/matters',
    { schema: { tags, summary: 'The client’s matters', params: ClientParams, response: { 200: MatterList, ...problems(401, 404) } } },
    async (request) => ({
      items: await listMatters(contextOf(request, db), request.params.id),
    }),
  );
  r.post(
    '/clients/:id/matters',
    {
      schema: {
        tags,
        summary: 'Open a matter',
        params: ClientParams,
        body: MatterCreateBody,
        response: { 201: MatterSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await createMatter(contextOf(request, db), request.params.id, request.body)),
  );
  r.get(
    '/clients/:id/matters/:matterId',
    { schema: { tags, summary: 'A matter', params: MatterParams, response: { 200: MatterSchema, ...problems(401, 404) } } },
    async (request) => getMatter(contextOf(request, db), request.params.id, request.params.matterId),
  );
  r.patch(
    '/clients/:id/matters/:matterId',
    {
      schema: {
        tags,
        summary: 'Update a matter',
        params: MatterParams,
        body: MatterUpdateBody,
        response: { 200: MatterSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateMatter(contextOf(request, db), request.params.id, request.params.matterId, request.body),
  );
  r.delete(
    '/clients/:id/matters/:matterId',
    { schema: { tags, summary: 'Delete a matter', params: MatterParams, response: { ...noContent, ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await deleteMatter(contextOf(request, db), request.params.id, request.params.matterId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/clients/:id/team',
    { schema: { tags, summary: 'The relationship team', params: ClientParams, response: { 200: TeamList, ...problems(401, 404) } } },
    async (request) => ({
      items: await listTeam(contextOf(request, db), request.params.id),
    }),
  );
  r.put(
    '/clients/:id/team',
    {
      schema: {
        tags,
        summary: 'Replace the relationship team',
        params: ClientParams,
        body: TeamPutBody,
        response: { 200: TeamList, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: await putTeam(contextOf(request, db), request.params.id, request.body) }),
  );

  r.get(
    '/walls',
    { schema: { tags: ['walls'], summary: 'Walled clients and who is listed (admin)', response: { 200: WallList, ...problems(401, 403) } } },
    async (request) => ({
      items: await listWalls(contextOf(request, db)),
    }),
  );
  r.put(
    '/walls/:id',
    {
      schema: {
        tags: ['walls'],
        summary: 'Wall a client, change who is listed, or lift the wall (admin)',
        params: ClientParams,
        body: WallPutBody,
        response: { 200: WallSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => putWall(contextOf(request, db), request.params.id, request.body),
  );
}
