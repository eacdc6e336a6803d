/**
 * The HTTP floor: a bare Fastify (the same version as the server's) answering the benchmark's
 * URLs with the exact JSON bodies the real endpoints returned, captured once and held in
 * memory as strings. No auth, no validation, no database, no serialisation: what is left is
 * the cost of HTTP in Node, which no endpoint can beat.
 *
 * Usage (by run.ts): node --import tsx bench/floor-server.ts <bodies.json> <port>
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

const [bodiesFile, portArg] = process.argv.slice(2);
if (!bodiesFile || !portArg) {
  process.stderr.write('usage: floor-server.ts <bodies.json> <port>\n');
  process.exit(2);
}
const bodies = new Map(Object.entries(JSON.parse(readFileSync(bodiesFile, 'utf8')) as Record<string, string>));

const app = Fastify({ logger: false });
const handler = async (request: FastifyRequest, reply: FastifyReply) => {
  const body = bodies.get(request.url);
  if (body === undefined) {
    return reply.code(404).send({ status: 404 });
  }
  return reply.header('content-type', 'application/json; charset=utf-8').send(body);
};
app.get('/api/v1/clients', handler);
app.get('/api/v1/clients/:id', handler);
app.get('/api/v1/sessions', handler);
app.get('/api/v1/sessions/:id', handler);
app.get('/api/v1/search', handler);
app.get('/readyz', async () => ({ status: 'ready' }));

await app.listen({ port: Number(portArg), host: '127.0.0.1' });
const stop = () => {
  void app.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
