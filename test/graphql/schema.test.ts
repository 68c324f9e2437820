// The contract file and the wiring that needs no database: schema lookup, resolver coverage, GraphiQL.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql'
import pg from 'pg'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { systemClock } from '../../src/application/context.js'
import { IncidentService } from '../../src/application/incidents.js'
import { createDb } from '../../src/db/connection.js'
import { incidentCommandInputs } from '../../src/domain/incident/commands.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { costLimitRule, defaultLimits, depthLimitRule } from '../../src/graphql/limits.js'
import { mutationResolvers } from '../../src/graphql/mutations.js'
import { commandMutations } from '../../src/graphql/commands.js'
import { integrationSecretMutations } from '../../src/graphql/integrations.js'
import { webhookSecretMutations } from '../../src/graphql/webhook-subscriptions.js'
import { commandCatalogue } from '../../src/application/catalogue.js'
import { z } from 'zod'
import { findSchemaFile } from '../../src/graphql/plugin.js'
import { ProjectionRunner } from '../../src/projections/runner.js'

const schema = buildSchema(readFileSync(findSchemaFile(), 'utf8'))

t.test('schema.graphql is found by walking up, as from dist/src/graphql', async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'schema-'))
  t.teardown(() => rmSync(root, { recursive: true, force: true }))
  const nested = path.join(root, 'dist', 'src', 'graphql')
  mkdirSync(nested, { recursive: true })
  t.throws(() => findSchemaFile(nested), /schema.graphql not found/)
  writeFileSync(path.join(root, 'schema.graphql'), 'type Query { a: Int }')
  t.equal(findSchemaFile(nested), path.join(root, 'schema.graphql'))
})

t.test('every mutation in the contract has a resolver, and every command a mutation', async (t) => {
  const store = new PostgresEventStore(new pg.Pool())
  const { Mutation } = mutationResolvers(new IncidentService(store, systemClock, { nationalCentreName: 'NCO', closeRequiresNotification: true }))
  const catalogue = commandMutations({ store, clock: systemClock, pool: new pg.Pool() }, commandCatalogue).Mutation
  const fields = Object.keys(schema.getMutationType()?.getFields() ?? {}).sort()
  t.same([...Object.keys(Mutation), ...Object.keys(catalogue), ...integrationSecretMutations, ...webhookSecretMutations].sort(), fields)
  t.equal(fields.length, Object.keys(incidentCommandInputs).length + commandCatalogue.length + integrationSecretMutations.length + webhookSecretMutations.length, 'one mutation per command')
  t.equal(new Set(commandCatalogue.map((c) => c.type)).size, commandCatalogue.length, 'each command type published once')
})

t.test('every catalogue mutation takes its command\'s path parameters, input and idempotencyKey', async (t) => {
  const fields = schema.getMutationType()?.getFields() ?? {}
  for (const spec of commandCatalogue) {
    const args = fields[spec.mutation]?.args.map((a) => a.name).sort() ?? []
    const expected = [...Object.keys(spec.params.shape), 'idempotencyKey', ...(Object.keys(spec.input instanceof z.ZodObject ? spec.input.shape : { input: 1 }).length > 0 ? ['input'] : [])].sort()
    t.same(args, expected, spec.mutation)
    t.equal(String(fields[spec.mutation]?.type), 'CommandResult!', `${spec.mutation} answers CommandResult`)
  }
})

t.test("GraphiQL's introspection query fits the limits of the real schema", async (t) => {
  const errors = validate(schema, parse(getIntrospectionQuery()), [...specifiedRules, depthLimitRule(defaultLimits), costLimitRule(defaultLimits)])
  t.same(errors.map((e) => e.message), [])
})

t.test('GraphiQL is served without a token when enabled; /graphql still needs one', async (t) => {
  // Nothing here reaches the database: the pool connects lazily, to a port nobody listens on.
  const db = createDb('postgres://nobody@127.0.0.1:1/none')
  const runner = new ProjectionRunner({ pool: db.pool, projections: [], logger: { info() {}, warn() {}, error() {}, debug() {} } })
  const app = await buildApp({
    pool: db.pool, kysely: db.kysely, store: new PostgresEventStore(db.pool), runner, clock: systemClock,
    incidentPolicy: { nationalCentreName: 'NCO', closeRequiresNotification: true }, readWaitMs: 100, graphiql: true, logger: false,
  })
  t.teardown(async () => {
    await app.close()
    await db.close()
  })
  const ide = await app.inject({ method: 'GET', url: '/graphiql' })
  t.equal(ide.statusCode, 200)
  t.match(ide.headers['content-type'], /text\/html/)
  const api = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ me { actorId } }' } })
  t.equal(api.statusCode, 401)
})
