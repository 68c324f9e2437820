// buildApp: the table of contents. Every part of the service is registered here, by name, with its
// dependencies passed as typed options (no autoload, no decorators carrying dependencies).
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { Kysely } from 'kysely'
import type pg from 'pg'
import type { Clock } from './application/context.js'
import { IncidentService, type IncidentPolicy } from './application/incidents.js'
import type { EventStore } from './eventstore/types.js'
import type { ProjectionRunner } from './projections/runner.js'
import { registerGraphql } from './graphql/plugin.js'
import { healthRoutes } from './http/health.js'
import { incidentRoutes } from './http/incidents.js'
import { commandRoutes } from './http/commands.js'
import { commandCatalogue } from './application/catalogue.js'
import type { Services } from './application/command-runner.js'
import { organisationReadRoutes } from './http/organisation.js'
import { planReadRoutes } from './http/plans.js'
import { policyReadRoutes } from './http/policy.js'
import { assuranceReadRoutes } from './http/assurance.js'
import { informationReadRoutes } from './http/information.js'
import { exceptionReadRoutes } from './http/exceptions.js'
import { integrationRoutes } from './http/integrations.js'
import { webhookRoutes } from './http/webhooks.js'
import { secretBox } from './application/secret-box.js'
import { randomBytes } from 'node:crypto'
import { webhookSubscriptionRoutes } from './http/webhook-subscriptions.js'
import { supplierReadRoutes } from './http/suppliers.js'
import { usageRuleReadRoutes } from './http/usage-rules.js'
import { systemReadRoutes } from './http/systems.js'
import { generateSigner, type Signer } from './audit-trail/signing.js'
import { auditEvidenceRoutes } from './http/audit-evidence.js'
import { complianceReadRoutes } from './http/compliance.js'
import { auditTrailRoutes } from './http/audit-trail.js'
// (each capability's read routes are imported above this line)
import { createMetrics, metricsRoutes, observeRequests, type Metrics } from './http/metrics.js'
import { installProblemHandlers } from './http/problem.js'
import { requestIdOf } from './http/request-ids.js'

export interface AppDeps {
  pool: pg.Pool
  kysely: Kysely<any>
  store: EventStore
  runner: ProjectionRunner
  /** The reactions runner (src/application/reactions.ts), shown in /readyz and /metrics with the projections. */
  reactions?: ProjectionRunner
  clock: Clock
  incidentPolicy: IncidentPolicy
  /** How long a query with minPosition waits for the read model (ms). */
  readWaitMs: number
  graphiql: boolean
  /** Logger options for Fastify to build one, or an existing pino logger. */
  logger?: FastifyServerOptions['logger']
  loggerInstance?: FastifyServerOptions['loggerInstance']
  metrics?: Metrics
  /** The bearer token /metrics takes (METRICS_TOKEN); without one /metrics answers 401 to everyone. */
  metricsToken?: string | undefined
  /** 32-byte key sealing integration secrets (main.ts loads it); without one a random key lives as long as the process (tests). */
  secretsKey?: Buffer
  /** Signs audit evidence (export manifests, digests); main.ts loads it (AUDIT_SIGNING_KEY or a key file); without one a fresh key lives as long as the process (tests). */
  signer?: Signer
  /** Outbound webhooks: WEBHOOK_ALLOW_INSECURE_URLS (http: and internal addresses; default false). */
  webhooks?: { allowInsecureUrls: boolean }
}

/** Secrets never reach the logs, whatever a later serializer adds (at the top and two levels down). */
export const logRedaction = {
  paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization',
    ...['token', 'password', 'secret'].flatMap((key) => [key, `*.${key}`, `*.*.${key}`])],
  censor: '[redacted]',
}

/** `/webhooks/<integration>/<token>`: a SIEM in url-token mode sends its secret in the path. */
const URL_TOKEN = /^(\/webhooks\/[^/?#]+\/)[^/?#]+/

/** The request line as fastify logs it, with a secret in the URL path replaced. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(URL_TOKEN, '$1[redacted]')
}

interface LoggedRequest {
  method?: string
  url?: string
  host?: string
  ip?: string
  headers?: Record<string, unknown>
  socket?: { remotePort?: number }
}

/** fastify's request serializer, with the URL token redacted (main.ts gives it to the service's pino logger). */
export const logSerializers = {
  req: (req: LoggedRequest) => ({
    method: req.method,
    url: redactUrl(req.url),
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
}

/** RFC 9457 problem details as every REST error answers them (src/http/problem.ts). */
const Problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', description: 'about:blank#<code>' },
    title: { type: 'string', description: 'the code again, for RFC 9457 clients' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'stable error code: the README error table lists each with its fix' },
    detail: { type: 'string', description: 'what was wrong with this request' },
    fix: { type: 'string', description: 'what to do about it' },
    instance: { type: 'string' },
    requestId: { type: 'string', description: 'also in the x-request-id header and the service log' },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } }, description: 'ValidationFailed: each invalid field' },
    actualVersion: { type: 'integer', description: 'ConcurrencyConflict: the stream version now' },
  },
}
const problemResponses = {
  '4xx': { description: 'Client error: RFC 9457 problem details with a stable `code` (400 validation, 401, 403, 404, 409, 422)', content: { 'application/problem+json': { schema: Problem } } },
  '5xx': { description: 'Server error or a read model not caught up (503 ReadModelBehind, with Retry-After): problem details', content: { 'application/problem+json': { schema: Problem } } },
}

function hasZodSchema(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return false
  return Object.values(schema).some((v) => typeof v === 'object' && v !== null && '_zod' in v)
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.loggerInstance ? { loggerInstance: deps.loggerInstance } : { logger: deps.logger ?? false }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: requestIdOf,
    routerOptions: { ignoreTrailingSlash: true },
  })
  const metrics = deps.metrics ?? createMetrics()
  const incidents = new IncidentService(deps.store, deps.clock, deps.incidentPolicy)
  const services: Services = { store: deps.store, clock: deps.clock, pool: deps.pool }
  const reads = { services, reads: deps.runner, readWaitMs: deps.readWaitMs }
  const box = secretBox(deps.secretsKey ?? randomBytes(32))
  const signer = deps.signer ?? generateSigner()

  // 1. Cross-cutting: request ids echoed, principal slot, one error format, request metrics.
  app.decorateRequest('principal', null)
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id)
  })
  installProblemHandlers(app)
  observeRequests(app, metrics)

  // 2. OpenAPI from the zod schemas (registered before the routes it documents).
  await app.register(swagger, {
    openapi: {
      info: { title: 'Cybersecurity record (Common Model of Cybersecurity Measures)', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Only REST routes carry zod schemas; GraphQL is documented by schema.graphql, not OpenAPI.
    // Every REST error is RFC 9457 problem+json from one catalogue, documented once for every operation.
    transform: (input) => {
      if (!hasZodSchema(input.schema)) return { schema: { hide: true }, url: input.url }
      const out = jsonSchemaTransform(input)
      return { ...out, schema: { ...out.schema, response: { ...(out.schema.response as object | undefined), ...problemResponses } } }
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  // 3. REST: zod compilers live in this scope only (on the root they break mercurius' routes).
  await app.register(async (rest) => {
    rest.setValidatorCompiler(validatorCompiler)
    rest.setSerializerCompiler(serializerCompiler)
    await rest.register(incidentRoutes, { pool: deps.pool, clock: deps.clock, incidents, reads: deps.runner, readWaitMs: deps.readWaitMs })
    // Every other command (organisation, policy, plans, education, self-checks, audits, ...) from one catalogue.
    await rest.register(commandRoutes, { services, commands: commandCatalogue })
    await rest.register(organisationReadRoutes, reads)
    await rest.register(planReadRoutes, reads)
    await rest.register(policyReadRoutes, reads)
    await rest.register(assuranceReadRoutes, reads)
    await rest.register(informationReadRoutes, reads)
    await rest.register(exceptionReadRoutes, reads)
    await rest.register(integrationRoutes, { ...reads, box })
    await rest.register(webhookSubscriptionRoutes, { ...reads, box, urlPolicy: { allowInsecure: deps.webhooks?.allowInsecureUrls ?? false } })
    await rest.register(supplierReadRoutes, reads)
    await rest.register(usageRuleReadRoutes, reads)
    await rest.register(systemReadRoutes, reads)
    await rest.register(auditEvidenceRoutes, { services, signer })
    await rest.register(complianceReadRoutes, reads)
    await rest.register(auditTrailRoutes, { ...reads, signer })
    // (each capability's read routes are registered above this line)
  }, { prefix: '/api' })

  // 3b. SIEM webhooks: outside /api, raw bodies, the integration's secret instead of a bearer token.
  await app.register(webhookRoutes, { services, box })

  // 4. GraphQL (queries, mutations, subscriptions) at /graphql.
  await registerGraphql(app, { pool: deps.pool, services, commands: commandCatalogue, incidents, reads: deps.runner, readWaitMs: deps.readWaitMs, graphiql: deps.graphiql, runner: deps.runner, box, webhookUrlPolicy: { allowInsecure: deps.webhooks?.allowInsecureUrls ?? false } })

  // 5. Operations.
  const runners = [deps.runner, ...(deps.reactions ? [deps.reactions] : [])]
  await app.register(healthRoutes, { kysely: deps.kysely, projections: () => ({ running: runners.every((r) => r.isRunning), statuses: runners.flatMap((r) => r.status()) }) })
  await app.register(metricsRoutes, {
    metrics,
    token: deps.metricsToken,
    refresh: () => {
      for (const s of runners.flatMap((r) => r.status())) {
        metrics.projectionApplied.set({ projection: s.name }, s.applied)
        metrics.projectionSkipped.set({ projection: s.name }, s.skipped)
      }
    },
  })
  return app
}
