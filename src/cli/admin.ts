// Admin CLI: `npm run admin -- <command>`. Works on the embedded database (attaching to it if the
// service is running) or on DATABASE_URL.
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { Command, InvalidArgumentError, Option } from 'commander'
import { SingleBar, Presets } from 'cli-progress'
import pino from 'pino'
import { registerAgency } from '../application/agencies.js'
import { systemClock } from '../application/context.js'
import { classifyError } from '../application/errors.js'
import { issueToken, listTokens, revokeToken } from '../application/tokens.js'
import { commandCatalogue } from '../application/catalogue.js'
import { loadConfig } from '../config.js'
import { createIntegration } from '../application/integrations.js'
import { loadSecretsKey, secretBox } from '../application/secret-box.js'
import { CreateIntegrationInput, integrationAuthModes, integrationFormats, integrationSeverities } from '../domain/integration/index.js'
import { createWebhookSubscription } from '../application/webhook-subscriptions.js'
import { CreateWebhookSubscriptionInput, webhookEventTypeNames } from '../domain/webhook-subscription/index.js'
import { openDatabase, type OpenDatabase } from '../db/open.js'
import { RegisterAgencyInput } from '../domain/agency/commands.js'
import { agencyKinds, Role, roleCodes } from '../domain/shared/roles.js'
import { PostgresEventStore } from '../eventstore/postgres-store.js'
import { allProjections } from '../projections/index.js'
import { rebuildProjection } from '../projections/rebuild.js'
import { KeysFileError, readKeysFile } from '../audit-trail/keys.js'
import { verifyDatabase, VerifyInputError } from '../audit-trail/verify-database.js'
import { DigestsFileError, readDigestsFile } from '../audit-trail/digests.js'
import { verifyExport } from '../audit-trail/verify-export.js'
import type { VerifyReport } from '../audit-trail/verify-report.js'
import { exportToFile } from '../audit-trail/export.js'
import { exportFormats, type ExportFormat } from '../audit-trail/formats.js'
import { agencyHead, AuditFilterFields, normaliseFilter } from '../audit-trail/reader.js'
import { loadSigningKey } from '../audit-trail/signing.js'

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2))

async function withDatabase<T>(fn: (db: OpenDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig(process.env), logger, { migrate: true, appPoolMax: 4, applicationName: 'cs-record-admin' })
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)

const parseRoles = (value: string): Role[] => {
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean)
  const bad = roles.filter((r) => !Role.safeParse(r).success)
  if (roles.length === 0 || bad.length) throw new InvalidArgumentError(`unknown role(s) ${bad.join(', ') || '(none given)'}; use: ${roleCodes.join(', ')}`)
  return roles as Role[]
}

const parseBatchSize = (value: string): number => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 50_000) throw new InvalidArgumentError('a whole number from 1 to 50000')
  return n
}

const program = new Command('admin').description('Administer the cybersecurity record service').showHelpAfterError()

const agency = program.command('agency').description('agencies (Art. 2)')
agency.command('create')
  .requiredOption('--id <id>', 'agency id (lowercase, e.g. mic)')
  .requiredOption('--name <name>', 'official name')
  .addOption(new Option('--kind <kind>', 'agency kind').choices(agencyKinds).makeOptionMandatory())
  .option('--parent <id>', 'national administrative organ above an IAA or designated corporation')
  .action(async (opts: { id: string; name: string; kind: string; parent?: string }) => {
    const input = RegisterAgencyInput.safeParse({ agencyId: opts.id, name: opts.name, kind: opts.kind, parentId: opts.parent })
    if (!input.success) throw new Error(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'))
    await withDatabase(async (db) => {
      const result = await registerAgency(new PostgresEventStore(db.app.pool), systemClock, input.data, 'admin-cli', { correlationId: randomUUID(), source: 'cli' })
      print({ agencyId: input.data.agencyId, name: input.data.name, kind: input.data.kind, parentId: input.data.parentId ?? null, position: result.position })
    })
  })

const token = program.command('token').description('API tokens')
token.command('create')
  .requiredOption('--agency <id>', 'agency the token acts for')
  .requiredOption('--actor <id>', 'the person (or system) using the token')
  .option('--roles <R1,R2>', `limit the token to these of the actor's assigned roles (default: all they hold): ${roleCodes.join(', ')}`, parseRoles)
  .description("a bearer token for an actor; it acts with the roles assigned to the actor (see: role assign)")
  .action(async (opts: { agency: string; actor: string; roles?: Role[] }) => {
    await withDatabase(async (db) => print(await issueToken(db.app.pool, { agencyId: opts.agency, actorId: opts.actor, roles: opts.roles })))
  })

token.command('list')
  .requiredOption('--agency <id>', 'agency')
  .description('tokens of an agency (ids, actors, roles; never the secrets)')
  .action(async (opts: { agency: string }) => {
    await withDatabase(async (db) => print({ tokens: await listTokens(db.app.pool, opts.agency) }))
  })
token.command('revoke')
  .requiredOption('--agency <id>', 'agency of the token')
  .requiredOption('--token-id <id>', 'tokenId printed by token create or token list')
  .action(async (opts: { agency: string; tokenId: string }) => {
    await withDatabase(async (db) => {
      if (!(await revokeToken(db.app.pool, opts.agency, opts.tokenId))) throw new Error(`no live token ${opts.tokenId} in agency ${opts.agency}`)
      print({ revoked: opts.tokenId })
    })
  })

/** Runs a catalogue command as the operator (no role checks: this is how the first CISO is appointed). */
async function operatorCommand(agencyId: string, mutation: string, input: unknown, params: Record<string, string> = {}): Promise<void> {
  const spec = commandCatalogue.find((c) => c.mutation === mutation)
  if (!spec) throw new Error(`unknown command "${mutation}"; choose one of ${commandCatalogue.map((c) => c.mutation).join(', ')}`)
  const parsedParams = spec.params.safeParse(params)
  const parsedInput = spec.input.safeParse(input)
  if (!parsedParams.success || !parsedInput.success) {
    const issues = [...(parsedParams.error?.issues ?? []), ...(parsedInput.error?.issues ?? [])]
    throw new Error(issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('\n'))
  }
  await withDatabase(async (db) => {
    const services = { store: new PostgresEventStore(db.app.pool), clock: systemClock, pool: db.app.pool }
    const principal = { agencyId, actorId: 'admin-cli', roles: [], tokenId: 'cli', system: true as const }
    const result = await spec.run(services, principal, parsedParams.data, parsedInput.data, { correlationId: randomUUID(), source: 'cli' })
    print({ command: spec.type, id: result.id, streamVersion: result.streamVersion, position: result.position })
  })
}

const parseJson = (value: string): unknown => {
  try {
    return JSON.parse(value)
  } catch {
    throw new InvalidArgumentError('not valid JSON')
  }
}
const parseParam = (value: string, previous: Record<string, string> = {}): Record<string, string> => {
  const eq = value.indexOf('=')
  if (eq < 1) throw new InvalidArgumentError('use name=value, e.g. employeeId=e1001')
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) }
}

program.command('exec')
  .description('run any command of the catalogue as the operator, e.g. exec assignRole --agency mic --input \'{"employeeId":"e1","role":"CISO","from":"2026-04-01"}\'')
  .argument('<command>', 'the GraphQL mutation name of the command (createUnit, registerEmployee, assignRole, ...)')
  .requiredOption('--agency <id>', 'agency')
  .option('--input <json>', 'the command input as JSON', parseJson, {})
  .option('--param <name=value>', 'a path parameter (repeatable)', parseParam)
  .action((name: string, opts: { agency: string; input: unknown; param?: Record<string, string> }) => operatorCommand(opts.agency, name, opts.input, opts.param))

const unit = program.command('unit').description('organisational units')
unit.command('create')
  .requiredOption('--agency <id>', 'agency').requiredOption('--id <unitId>', 'unit code').requiredOption('--name <name>', 'unit name')
  .option('--parent <unitId>', 'the unit it sits in')
  .action((opts: { agency: string; id: string; name: string; parent?: string }) => operatorCommand(opts.agency, 'createUnit', { unitId: opts.id, name: opts.name, parentUnitId: opts.parent }))

const employee = program.command('employee').description('employees (their id is the actor id of their tokens)')
employee.command('add')
  .requiredOption('--agency <id>', 'agency').requiredOption('--id <employeeId>', 'employee number').requiredOption('--name <name>', 'name')
  .requiredOption('--unit <unitId>', 'unit').requiredOption('--joined <date>', 'joining date, YYYY-MM-DD')
  .action((opts: { agency: string; id: string; name: string; unit: string; joined: string }) =>
    operatorCommand(opts.agency, 'registerEmployee', { employeeId: opts.id, name: opts.name, unitId: opts.unit, joinedOn: opts.joined }))

const role = program.command('role').description('role assignments (Art. 5)')
role.command('assign')
  .requiredOption('--agency <id>', 'agency').requiredOption('--employee <id>', 'employee id')
  .addOption(new Option('--role <role>', 'role').choices(roleCodes).makeOptionMandatory())
  .requiredOption('--from <date>', 'first day, YYYY-MM-DD').option('--to <date>', 'last day, YYYY-MM-DD')
  .option('--unit <unitId>', 'scope: a unit (security officers)').option('--area <areaId>', 'scope: a controlled area').option('--system <systemId>', 'scope: an information system')
  .action((opts: { agency: string; employee: string; role: string; from: string; to?: string; unit?: string; area?: string; system?: string }) => {
    const scope = opts.unit ? { kind: 'UNIT', unitId: opts.unit } : opts.area ? { kind: 'AREA', areaId: opts.area } : opts.system ? { kind: 'SYSTEM', systemId: opts.system } : { kind: 'AGENCY' }
    return operatorCommand(opts.agency, 'assignRole', { employeeId: opts.employee, role: opts.role, scope, from: opts.from, to: opts.to })
  })

const integration = program.command('integration').description('SIEM webhook integrations (the secret is printed once)')
integration.command('create')
  .requiredOption('--agency <id>', 'agency').requiredOption('--name <name>', 'name')
  .addOption(new Option('--format <format>', 'payload format').choices(integrationFormats).makeOptionMandatory())
  .addOption(new Option('--auth <mode>', 'auth mode').choices(integrationAuthModes).makeOptionMandatory())
  .addOption(new Option('--default-severity <severity>', 'when the payload gives none').choices(integrationSeverities))
  .addOption(new Option('--threshold <severity>', 'lowest severity that may open an incident').choices(integrationSeverities).default('medium'))
  .option('--window <minutes>', 'correlation window: alerts with the same rule and asset within this many minutes of the last join one incident (0 = never)', '60')
  .action(async (opts: { agency: string; name: string; format: string; auth: string; defaultSeverity?: string; threshold: string; window: string }) => {
    const input = CreateIntegrationInput.parse({ name: opts.name, format: opts.format, authMode: opts.auth, defaultSeverity: opts.defaultSeverity, severityThreshold: opts.threshold, correlationWindowMinutes: Number(opts.window) })
    const config = loadConfig(process.env)
    const box = secretBox(loadSecretsKey(config.SECRETS_KEY, config.DATA_DIR))
    await withDatabase(async (db) => {
      const services = { store: new PostgresEventStore(db.app.pool), clock: systemClock, pool: db.app.pool }
      const principal = { agencyId: opts.agency, actorId: 'admin-cli', roles: [], tokenId: 'cli', system: true as const }
      const r = await createIntegration(services, box, principal, input, { correlationId: randomUUID(), source: 'cli' })
      print({ id: r.id, secretId: r.secretId, secret: r.secret, webhookPath: `/webhooks/${r.id}`, note: 'the secret is shown only now' })
    })
  })

const webhook = program.command('webhook').description('outbound webhooks: subscribe a receiver to events (the signing secret is printed once)')
webhook.command('create')
  .requiredOption('--agency <id>', 'agency').requiredOption('--url <url>', 'receiver URL (https, public address)')
  .requiredOption('--events <a,b>', `public event types: ${webhookEventTypeNames.join(', ')}`)
  .option('--description <text>', 'what the receiver is')
  .action(async (opts: { agency: string; url: string; events: string; description?: string }) => {
    const parsed = CreateWebhookSubscriptionInput.safeParse({ url: opts.url, eventTypes: opts.events.split(',').map((e) => e.trim()).filter(Boolean), description: opts.description })
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path[0] === 'eventTypes' ? 'events' : String(i.path[0])}: ${i.message}`).join('\n'))
    const config = loadConfig(process.env)
    const box = secretBox(loadSecretsKey(config.SECRETS_KEY, config.DATA_DIR))
    await withDatabase(async (db) => {
      const services = { store: new PostgresEventStore(db.app.pool), clock: systemClock, pool: db.app.pool }
      const principal = { agencyId: opts.agency, actorId: 'admin-cli', roles: [], tokenId: 'cli', system: true as const }
      const r = await createWebhookSubscription(services, box, { allowInsecure: config.WEBHOOK_ALLOW_INSECURE_URLS }, principal, parsed.data, { correlationId: randomUUID(), source: 'cli' })
      print({ id: r.id, secretId: r.secretId, secret: r.secret, position: r.position, note: 'the secret is shown only now; receivers verify the webhook-signature header with it' })
    })
  })

const projections = program.command('projections').description('read models')
projections.command('list').action(async () => {
  await withDatabase(async (db) => {
    const { rows } = await db.app.pool.query('SELECT projection, count(*)::int AS agencies, sum(position)::bigint AS applied_through FROM projection_checkpoints GROUP BY projection ORDER BY projection')
    print({ projections: allProjections.map((p) => ({ name: p.name, tables: p.tables, ...rows.find((r: { projection: string }) => r.projection === p.name) })) })
  })
})
projections.command('rebuild')
  .argument('<name>', `projection: ${allProjections.map((p) => p.name).join(', ')}`)
  .option('--batch-size <n>', 'events per transaction (1–50000)', parseBatchSize, 5_000)
  .action(async (name: string, opts: { batchSize: number }) => {
    const projection = allProjections.find((p) => p.name === name)
    if (!projection) throw new Error(`unknown projection "${name}"; choose one of ${allProjections.map((p) => p.name).join(', ')}`)
    await withDatabase(async (db) => {
      const tty = process.stderr.isTTY
      const bar = new SingleBar({ format: ' {phase} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left', stream: process.stderr }, Presets.shades_classic)
      let started = false
      const t0 = performance.now()
      const result = await rebuildProjection(db.owner.pool, projection, {
        batchSize: opts.batchSize,
        onProgress: (p) => {
          if (!tty) return
          if (!started) { bar.start(p.total, 0, { phase: p.phase }); started = true }
          bar.setTotal(p.total)
          bar.update(p.processed, { phase: p.phase })
        },
      })
      if (started) bar.stop()
      print({ projection: name, events: result.events, seconds: Number(((performance.now() - t0) / 1000).toFixed(2)) })
    })
  })

/** The report for a person: intact, or the first broken link with where it is and what differs. */
function describeReport(target: string, r: VerifyReport): string {
  const c = r.checked
  const n = (count: number | undefined, one: string, many: string) => (count === undefined ? '' : `${count} ${count === 1 ? one : many}`)
  const counts = [n(c.agencies, 'agency', 'agencies'), n(c.events, 'event', 'events'), n(c.digests, 'digest', 'digests'), n(c.signatures, 'signature', 'signatures')]
  const lines = [`verify ${target}: ${r.intact ? 'INTACT' : 'BROKEN'}`]
  const b = r.firstBroken
  if (b) {
    const rows: [string, unknown][] = [['first broken link', b.kind], ['agency', b.agencyId], ['position', b.position], ['line', b.line],
      ['stream', b.streamId === undefined ? undefined : `${b.streamId}${b.streamVersion === undefined ? '' : ` (version ${b.streamVersion})`}`],
      ['event', b.eventId], ['digest', b.digestSeq === undefined ? undefined : `seq ${b.digestSeq}`], ['expected', b.expected], ['actual', b.actual]]
    lines.push(...rows.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${`${k}:`.padEnd(19)}${String(v)}`), `  ${b.message}`)
  }
  lines.push(`  checked: ${counts.filter(Boolean).join(', ')}`, ...r.notes.map((n) => `  note: ${n}`))
  return `${lines.join('\n')}\n`
}

/** A verify that cannot run as asked: exit 2, so that 1 always means "broken". */
class VerifyUsageError extends Error {}

program.command('verify')
  .description('check the tamper evidence of "database" (every agency: hash chain, head, signed digests, and digests saved from the service) or of an export file (manifest signature, SHA-256, hashes, chain); exit 0 intact, 1 broken, 2 usage error or not checkable')
  .argument('<target>', '"database" (the configured one), or the path of an export file')
  .option('--keys <file>', 'public keys: the body of GET /api/audit-trail/keys saved to a file, or a PEM public key (required for a file; for the database, default: the keys it records)')
  .option('--digests <file>', 'database only: digests saved from GET /api/audit-trail/digests?agencyId=<id> (one page, pages appended one after another, or a JSON array of digests); each must be in the database unchanged (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
  .option('--agency <id>', 'database only: check this agency (repeatable; default every agency)', (v: string, prev: string[] = []) => [...prev, v])
  .option('--manifest <file>', 'export only: its manifest (default <file>.manifest.json)')
  .option('--json', 'print the VerifyReport as JSON')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .action(async (target: string, opts: { keys?: string; digests?: string[]; agency?: string[]; manifest?: string; json?: boolean }) => {
    try {
      const keys = opts.keys === undefined ? undefined : readKeysFile(opts.keys)
      let report: VerifyReport
      if (target === 'database') {
        if (opts.manifest) throw new VerifyUsageError('--manifest is for an export file, not the database')
        const savedDigests = opts.digests?.flatMap((f) => readDigestsFile(f))
        const config = loadConfig(process.env)
        report = await withDatabase(async (db) => {
          const tty = process.stderr.isTTY
          const bar = new SingleBar({ format: ' {agency} [{bar}] {value}/{total} events', stream: process.stderr }, Presets.shades_classic)
          let shown: string | undefined
          const result = await verifyDatabase(db.app.pool, {
            agencyIds: opts.agency, keys, savedDigests, digestIntervalMs: config.AUDIT_DIGEST_INTERVAL_MS,
            onProgress: (p) => {
              if (!tty) return
              if (shown !== p.agencyId) { if (shown) bar.stop(); bar.start(p.total, 0, { agency: p.agencyId }); shown = p.agencyId }
              bar.update(p.events)
            },
          })
          if (shown) bar.stop()
          return result
        })
      } else {
        if (opts.agency) throw new VerifyUsageError('--agency is for the database; an export covers one agency')
        if (opts.digests) throw new VerifyUsageError('--digests is for the database; an export is checked against its signed manifest')
        if (!keys) throw new VerifyUsageError('--keys <file> is required to verify an export: save the body of GET /api/audit-trail/keys to a file (or give the PEM public key)')
        const manifestPath = opts.manifest ?? `${target}.manifest.json`
        if (!existsSync(target)) throw new VerifyUsageError(`no export file ${target} (or give "database")`)
        if (!existsSync(manifestPath)) throw new VerifyUsageError(`no manifest ${manifestPath}: give its path with --manifest (GET /api/audit-trail/exports/<id>/manifest)`)
        report = await verifyExport({ contentPath: target, manifestPath, keys })
      }
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : describeReport(target, report))
      process.exitCode = report.intact ? 0 : 1
    } catch (err) {
      const usage = err instanceof VerifyUsageError || err instanceof KeysFileError || err instanceof DigestsFileError || err instanceof VerifyInputError
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}${usage ? '' : ' (nothing was verified)'}\n`)
      process.exitCode = 2
    }
  })

const parsePosition = (value: string): number => {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('a position: a whole number from 1')
  return n
}

program.command('export')
  .description("write one agency's audit trail to a file and its signed manifest to <file>.manifest.json (as GET /api/audit-trail/export does); never overwrites a file")
  .requiredOption('--agency <id>', 'the agency (positions are per agency)')
  .requiredOption('--out <file>', 'the file to write (must not exist)')
  .addOption(new Option('--format <format>', 'jsonl (every field, canonical JSON), csv (RFC 4180, BOM) or ocsf').choices(exportFormats).default('jsonl'))
  .option('--entity-type <type>', 'the history of one entity: INCIDENT, EXCEPTION, ASSET, SYSTEM, EMPLOYEE, ROLE_ASSIGNMENT, ...')
  .option('--entity-id <id>', 'its id (a fiscal year for PLAN, TRAINING, SELF_CHECK)')
  .option('--stream-id <id>', 'one stream (instead of an entity)')
  .option('--event-types <T1,T2>', 'event types', (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean))
  .option('--actor <id>', 'events recorded for this actor')
  .option('--source <source>', 'api, graphql, webhook, scheduler or cli')
  .option('--from <iso>', 'recorded at or after this instant (ISO-8601 with offset)')
  .option('--to <iso>', 'recorded before this instant')
  .option('--from-position <n>', 'first position', parsePosition)
  .option('--to-position <n>', 'last position', parsePosition)
  .action(async (opts: { agency: string; out: string; format: ExportFormat; entityType?: string; entityId?: string; streamId?: string; eventTypes?: string[]; actor?: string; source?: string; from?: string; to?: string; fromPosition?: number; toPosition?: number }) => {
    for (const file of [opts.out, `${opts.out}.manifest.json`]) if (existsSync(file)) throw new Error(`${file} exists: choose another --out (an export never overwrites a file)`)
    const fields = AuditFilterFields.safeParse({
      entityType: opts.entityType, entityId: opts.entityId, streamId: opts.streamId, eventTypes: opts.eventTypes, actorId: opts.actor,
      source: opts.source, from: opts.from, to: opts.to, fromPosition: opts.fromPosition, toPosition: opts.toPosition,
    })
    if (!fields.success) throw new Error(fields.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('\n'))
    const filter = normaliseFilter(opts.agency, fields.data, 'options')
    const config = loadConfig(process.env)
    const signer = loadSigningKey(config.AUDIT_SIGNING_KEY, config.DATA_DIR)
    await withDatabase(async (db) => {
      if ((await agencyHead(db.app.pool, opts.agency)) === 0) throw new Error(`agency ${opts.agency} has no events: is it registered? (npm run admin -- agency create)`)
      const { manifest, manifestPath } = await exportToFile({ pool: db.app.pool, signer }, { filter, format: opts.format, createdBy: 'admin-cli', now: new Date() }, opts.out)
      print({
        exportId: manifest.exportId, out: opts.out, manifest: manifestPath, format: manifest.format, eventCount: manifest.eventCount,
        coveredPositions: manifest.coveredPositions, contentBytes: manifest.contentBytes, contentSha256: manifest.contentSha256, keyId: manifest.keyId,
      })
    })
  })

program.parseAsync(process.argv).catch((err: unknown) => {
  const problem = classifyError(err)
  const message = problem.internal ? (err instanceof Error ? err.message : String(err)) : `${problem.code}: ${problem.message}`
  process.stderr.write(`error: ${message}\n`)
  process.exitCode = 1
})
