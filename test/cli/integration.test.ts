// `npm run admin -- integration create`: prints the secret once; the event and the table never hold it
// in clear; the key file is created in DATA_DIR (no SECRETS_KEY).
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { registerAgency } from '../../src/application/agencies.js'
import { systemClock } from '../../src/application/context.js'
import { PostgresEventStore } from '../../src/eventstore/postgres-store.js'
import { freshDatabase } from '../helpers/db.js'

const run = promisify(execFile)
const tsx = path.resolve('node_modules/.bin/tsx')

t.test('integration create', async (t) => {
  const db = await freshDatabase(t)
  const store = new PostgresEventStore(db.app.pool)
  await registerAgency(store, systemClock, { agencyId: 'mof', name: 'MOF', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }, 'test', { correlationId: 'c', source: 'cli' })
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cli-int-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const env = { ...process.env, DATABASE_URL: db.url, DATA_DIR: dataDir, SECRETS_KEY: '' }
  const { stdout } = await run(tsx, ['src/cli/admin.ts', 'integration', 'create', '--agency', 'mof', '--name', 'Wazuh', '--format', 'wazuh', '--auth', 'bearer'], { env })
  const out = JSON.parse(stdout) as { id: string; secret: string; webhookPath: string }
  t.match(out.id, /^mof\./)
  t.equal(out.webhookPath, `/webhooks/${out.id}`)
  t.ok(existsSync(path.join(dataDir, 'secrets.key')), 'the key file was created')
  const events = await store.readAgency('mof', 0, 100)
  t.ok(events.some((e) => e.type === 'IntegrationCreated'))
  t.notOk(JSON.stringify(events).includes(out.secret))
  const bad = await run(tsx, ['src/cli/admin.ts', 'integration', 'create', '--agency', 'mof', '--name', 'x', '--format', 'nope', '--auth', 'bearer'], { env }).catch((e: { code: number }) => e)
  t.equal((bad as { code: number }).code, 1, 'an unknown format is refused')
})
