import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/connect.js';
import { contextOf } from '../http/auth.js';
import { AppError, ValidationError } from '../http/errors.js';
import { problems } from '../http/schema-helpers.js';
import {
  INVOICE_UPLOAD_DESCRIPTION,
  InvoiceCheckQuery,
  InvoiceCheckResultSchema,
  InvoiceParseProblem,
  MessageCheckBody,
  MessageCheckResultSchema,
  PlanCheckBody,
  PlanCheckResultSchema,
} from './check-schemas.js';
import { checkInvoiceFile, checkMessageFor, checkPlanFor } from './checks.js';
import { MAX_INVOICE_BYTES } from './guardrails/parse-invoice.js';
import { firstFilePart, multipartBoundary } from './multipart.js';

/** The content types an invoice may be uploaded as (the raw file as the body). */
export const INVOICE_CONTENT_TYPES = ['text/plain', 'text/csv', 'application/octet-stream'];

const LIMIT_MIB = Math.round(MAX_INVOICE_BYTES / 1024 / 1024);
const MULTIPART_OVERHEAD = 1024 * 1024;

interface MultipartBody {
  multipart: Buffer;
  boundary: string | null;
}

/** The invoice bytes and file name of the request: the raw body, or the file part of a form upload. */
function invoiceOf(body: unknown): { bytes: Buffer; filename: string | null } {
  if (Buffer.isBuffer(body)) {
    return { bytes: body, filename: null };
  }
  const form = body as MultipartBody | undefined;
  if (form && Buffer.isBuffer(form.multipart)) {
    const part = form.boundary ? firstFilePart(form.multipart, form.boundary) : null;
    if (!part) {
      throw new ValidationError('file', 'is required: send the invoice as a file field of the form');
    }
    if (part.data.length > MAX_INVOICE_BYTES) {
      throw tooLarge();
    }
    return { bytes: part.data, filename: part.filename || null };
  }
  throw new AppError(
    415,
    'unsupported_media_type',
    `Send the invoice file as the request body with Content-Type ${INVOICE_CONTENT_TYPES.join(', ')}, or as multipart/form-data`,
  );
}

function tooLarge(): AppError {
  return new AppError(
    413,
    'payload_too_large',
    `The invoice is larger than the limit of ${LIMIT_MIB} MiB (${MAX_INVOICE_BYTES} bytes); split the export into smaller files`,
    [{ field: 'body', message: `must be at most ${MAX_INVOICE_BYTES} bytes` }],
  );
}

/**
 * Reads the body up to the invoice limit: refused from Content-Length before anything is read, and
 * while streaming when the length is not declared, so a large upload is never buffered whole.
 */
function readLimited(request: FastifyRequest, payload: NodeJS.ReadableStream, limit = MAX_INVOICE_BYTES): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    payload.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    payload.on('data', (chunk: Buffer) => {
      if (failed) {
        return;
      }
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    payload.on('end', () => {
      if (!failed) {
        resolve(Buffer.concat(chunks, size));
      }
    });
    payload.on('error', (err) => {
      if (!failed) {
        failed = true;
        reject(err);
      }
    });
  });
}

/** POST /checks/invoice, /checks/message and /checks/plan. Reads only: no audit rows. */
export async function checkRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['checks'];

  // Scoped to this plugin: the invoice is the raw body. text/plain has a default parser to replace.
  app.removeContentTypeParser(['text/plain']);
  app.addContentTypeParser(INVOICE_CONTENT_TYPES, (request: FastifyRequest, payload: IncomingMessage) => readLimited(request, payload));
  // A form upload: the file part is limited to the invoice limit, the form around it to 1 MiB more.
  app.addContentTypeParser('multipart/form-data', async (request: FastifyRequest, payload: IncomingMessage): Promise<MultipartBody> => {
    const body = await readLimited(request, payload, MAX_INVOICE_BYTES + MULTIPART_OVERHEAD);
    return { multipart: body, boundary: multipartBoundary(request.headers['content-type']) };
  });

  r.post(
    '/checks/invoice',
    {
      bodyLimit: MAX_INVOICE_BYTES + MULTIPART_OVERHEAD,
      schema: {
        tags,
        summary: 'Check an invoice (LEDES or CSV) against the client’s billing preferences',
        description: INVOICE_UPLOAD_DESCRIPTION,
        querystring: InvoiceCheckQuery,
        response: { 200: InvoiceCheckResultSchema, 422: InvoiceParseProblem, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const { bytes, filename: partName } = invoiceOf(request.body);
      const { clientId, dateOrder } = request.query;
      const filename = request.query.filename ?? partName;
      const outcome = await checkInvoiceFile(contextOf(request, db), {
        clientId,
        bytes,
        ...(filename ? { filename } : {}),
        ...(dateOrder ? { dateOrder } : {}),
      });
      const { parse, check } = outcome;
      if (!parse.ok || !check) {
        const errors = parse.ok ? [] : parse.errors;
        const first = errors[0];
        return reply
          .code(422)
          .type('application/problem+json')
          .send({
            type: 'urn:hearken:problem:invoice_unreadable',
            title: 'Unprocessable invoice',
            status: 422,
            detail: first ? `line ${first.line}${first.field ? `, ${first.field}` : ''}: ${first.message}` : 'The invoice could not be read',
            instance: request.url.split('?')[0],
            code: 'invoice_unreadable',
            errors,
            warnings: parse.warnings,
            format: parse.format,
            requestId: request.id,
          });
      }
      return {
        client: outcome.client,
        filename: outcome.filename,
        format: parse.format,
        warnings: parse.warnings,
        summary: check.summary,
        findings: check.findings,
      };
    },
  );

  r.post(
    '/checks/message',
    {
      schema: {
        tags,
        summary: 'Check a message, invitation or call against the client’s names, channels, platforms, reports and brands',
        description: 'Needs read access to the client’s preferences. A read: nothing is stored.',
        body: MessageCheckBody,
        response: { 200: MessageCheckResultSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => checkMessageFor(contextOf(request, db), request.body),
  );

  r.post(
    '/checks/plan',
    {
      schema: {
        tags,
        summary: 'Check an event, travel or shipping plan for brands and companies the client avoids',
        description: 'Needs read access to the client’s preferences. A read: nothing is stored.',
        body: PlanCheckBody,
        response: { 200: PlanCheckResultSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => checkPlanFor(contextOf(request, db), request.body),
  );
}
