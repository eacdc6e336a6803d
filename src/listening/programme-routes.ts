import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { id, problems } from '../http/schema-helpers.js';
import {
  getNomination,
  getParticipation,
  listNominations,
  listProgrammeNominations,
  nominate,
  respondToNomination,
  sendReminders,
  withdrawNomination,
} from './nominations.js';
import {
  CommitmentBody,
  CommitmentSchemaOut,
  NominateBody,
  NominationDetailSchema,
  NominationList,
  NominationListQuery,
  ParticipationSchema,
  ProgrammeCreateBody,
  ProgrammeDetailSchema,
  ProgrammeListQuery,
  ProgrammeNominationsQuery,
  ProgrammePage,
  ProgrammeUpdateBody,
  RemindBody,
  RemindResultSchema,
  ResponseBody,
  WithdrawBody,
} from './programme-schemas.js';
import { createProgramme, getProgramme, listProgrammes, setCommitment, updateProgramme } from './programmes.js';

const Params = z.object({ id });

/** Programmes and nominations: targets with live progress, partner commitment, nominations and participation. */
export async function programmeRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['programmes'];
  const nominationTags = ['nominations'];

  r.get(
    '/programmes',
    {
      schema: {
        tags,
        summary: 'List programmes, newest first, filtered by status',
        querystring: ProgrammeListQuery,
        response: { 200: ProgrammePage, ...problems(400, 401, 403) },
      },
    },
    async (request) => listProgrammes(contextOf(request, db), request.query),
  );
  r.post(
    '/programmes',
    {
      schema: {
        tags,
        summary: 'Open a listening programme with its period, owner and targets (programme lead)',
        body: ProgrammeCreateBody,
        response: { 201: ProgrammeDetailSchema, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await createProgramme(contextOf(request, db), request.body)),
  );
  r.get(
    '/programmes/:id',
    {
      schema: {
        tags,
        summary: 'A programme with live progress against its targets',
        params: Params,
        response: { 200: ProgrammeDetailSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => getProgramme(contextOf(request, db), request.params.id),
  );
  r.patch(
    '/programmes/:id',
    {
      schema: {
        tags,
        summary: 'Update a programme (programme lead)',
        params: Params,
        body: ProgrammeUpdateBody,
        response: { 200: ProgrammeDetailSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => updateProgramme(contextOf(request, db), request.params.id, request.body),
  );
  r.put(
    '/programmes/:id/commitment',
    {
      schema: {
        tags,
        summary: 'Say yes or no to taking part in the programme (partner)',
        params: Params,
        body: CommitmentBody,
        response: { 200: CommitmentSchemaOut, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => setCommitment(contextOf(request, db), request.params.id, request.body),
  );
  r.get(
    '/programmes/:id/participation',
    {
      schema: {
        tags,
        summary: 'Per-partner participation: proposed, accepted, deferred, declined, volunteered, and who said yes but put nothing forward',
        params: Params,
        response: { 200: ParticipationSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => getParticipation(contextOf(request, db), request.params.id),
  );
  r.get(
    '/programmes/:id/nominations',
    {
      schema: {
        tags: nominationTags,
        summary: 'The programme’s nominations (partners: only their own), for the board by status',
        params: Params,
        querystring: ProgrammeNominationsQuery,
        response: { 200: NominationList, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: await listProgrammeNominations(contextOf(request, db), request.params.id, request.query) }),
  );
  r.post(
    '/programmes/:id/nominations',
    {
      schema: {
        tags: nominationTags,
        summary: 'Propose clients to their relationship partners (programme lead), or volunteer your own clients (partner, volunteer: true)',
        description:
          'A proposal creates one nomination per client and relationship partner, each waiting for that partner’s answer. A volunteered client is accepted at once. All or nothing: a client you cannot see, one without a relationship partner (400), one you are not a relationship partner of when volunteering (403) or one already nominated (409) refuses the whole request, naming clientIds.N.',
        params: Params,
        body: NominateBody,
        response: { 201: NominationList, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send({ items: await nominate(contextOf(request, db), request.params.id, request.body) }),
  );
  r.post(
    '/programmes/:id/reminders',
    {
      schema: {
        tags: nominationTags,
        summary: 'Remind partners of nominations waiting for an answer (programme lead)',
        description:
          'Records a reminder (reminderCount, lastRemindedAt) for every nomination that has waited for an answer for at least `days` days (default 7) and was not reminded in that time, and returns who was reminded. No email is sent yet: email digests come in a later release; partners see the reminder count in their inbox.',
        params: Params,
        body: RemindBody.nullish(),
        response: { 200: RemindResultSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => sendReminders(contextOf(request, db), request.params.id, request.body ?? { days: 7 }),
  );

  r.get(
    '/nominations',
    {
      schema: {
        tags: nominationTags,
        summary: 'Nominations across programmes; mine=true is the partner inbox',
        querystring: NominationListQuery,
        response: { 200: NominationList, ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ items: await listNominations(contextOf(request, db), request.query) }),
  );
  r.get(
    '/nominations/:id',
    {
      schema: {
        tags: nominationTags,
        summary: 'A nomination with its full status history',
        params: Params,
        response: { 200: NominationDetailSchema, ...problems(401, 404) },
      },
    },
    async (request) => getNomination(contextOf(request, db), request.params.id),
  );
  r.post(
    '/nominations/:id/response',
    {
      schema: {
        tags: nominationTags,
        summary: 'Answer a nomination: yes, not now (reason and a future date to ask again) or no (reason); only the partner it is addressed to',
        params: Params,
        body: ResponseBody,
        response: { 200: NominationDetailSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => respondToNomination(contextOf(request, db), request.params.id, request.body),
  );
  r.post(
    '/nominations/:id/withdraw',
    {
      schema: {
        tags: nominationTags,
        summary: 'Withdraw a nomination (programme lead)',
        params: Params,
        body: WithdrawBody.nullish(),
        response: { 200: NominationDetailSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => withdrawNomination(contextOf(request, db), request.params.id, request.body ?? {}),
  );
}
