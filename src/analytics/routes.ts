import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { problems } from '../http/schema-helpers.js';
import { biasAnalytics, biasClients } from './bias-service.js';
import { getLoopAnalytics } from './loop-service.js';
import { npsAnalytics, npsSessions } from './nps-service.js';
import { getParticipationAnalytics } from './participation-service.js';
import { analyticsRecords } from './records-service.js';
import { reportRoutes } from './report-routes.js';
import { getRetentionAnalytics } from './retention-service.js';
import {
  AnalyticsRecordPageSchema,
  AnalyticsRecordsQuery,
  BiasAnalyticsSchema,
  BiasClientPageSchema,
  BiasClientQuery,
  BiasQuery,
  LoopAnalyticsSchema,
  LoopQuery,
  NpsAnalyticsSchema,
  NpsQuery,
  NpsSessionPageSchema,
  NpsSessionQuery,
  ParticipationAnalyticsSchema,
  ParticipationQuery,
  RetentionAnalyticsSchema,
  RetentionQuery,
} from './schemas.js';

/** Firm analytics: NPS, sample bias, participation, the loop, retention, health (issue 6). */
export async function analyticsRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['analytics'];

  r.get(
    '/analytics/nps',
    {
      schema: {
        tags,
        summary: 'NPS, satisfaction and score averages with margins of error, by group and quarter (only what you may see)',
        querystring: NpsQuery,
        response: { 200: NpsAnalyticsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => npsAnalytics(contextOf(request, db), request.query),
  );
  r.get(
    '/analytics/nps/sessions',
    {
      schema: {
        tags,
        summary: 'The held sessions behind an NPS figure (drill-down), latest first',
        querystring: NpsSessionQuery,
        response: { 200: NpsSessionPageSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => npsSessions(contextOf(request, db), request.query),
  );
  r.get(
    '/analytics/bias',
    {
      schema: {
        tags,
        summary: 'Who was heard against the portfolio, with a plain-language flag when the sample is positively biased',
        querystring: BiasQuery,
        response: { 200: BiasAnalyticsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => biasAnalytics(contextOf(request, db), request.query),
  );
  r.get(
    '/analytics/bias/clients',
    {
      schema: {
        tags,
        summary: 'The clients behind a sample-bias figure (drill-down), by name',
        querystring: BiasClientQuery,
        response: { 200: BiasClientPageSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => biasClients(contextOf(request, db), request.query),
  );
  r.get(
    '/analytics/participation',
    {
      schema: {
        tags,
        summary: 'Partner participation in a programme, per partner, per team and for the firm (only what you may see)',
        querystring: ParticipationQuery,
        response: { 200: ParticipationAnalyticsSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => getParticipationAnalytics(contextOf(request, db), request.query),
  );
  r.get(
    '/analytics/loop',
    {
      schema: {
        tags,
        summary: 'Closing the loop: closure rate, time to close, overdue and unactioned, by owner or team; problem time to resolution',
        querystring: LoopQuery,
        response: { 200: LoopAnalyticsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => getLoopAnalytics(contextOf(request, db), request.query),
  );
  r.get(
    '/analytics/retention',
    {
      schema: {
        tags,
        summary: 'Retention by year, lost clients and what was heard before they left, referrals, opportunities and their outcome',
        querystring: RetentionQuery,
        response: { 200: RetentionAnalyticsSchema, ...problems(400, 401, 403) },
      },
    },
    async (request) => getRetentionAnalytics(contextOf(request, db), request.query),
  );
  r.get(
    '/analytics/records',
    {
      schema: {
        tags,
        summary: 'The records behind a participation, loop or retention figure (drill-down), newest first, a page at a time',
        querystring: AnalyticsRecordsQuery,
        response: { 200: AnalyticsRecordPageSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => analyticsRecords(contextOf(request, db), request.query),
  );
  await reportRoutes(app, { db });
}
