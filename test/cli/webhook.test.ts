// `npm run admin -- webhook create`: prints the signing secret once (never in events); an unsafe URL or an
// unknown event type is refused with its code and exit status 1.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
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

t.test('webhook create', async (t) => {
  const db = await freshDatabase(t)
  const store = new PostgresEventStore(db.app.pool)
  await registerAgency(store, systemClock, { agencyId: 'mof', name: 'MOF', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }, 'test', { correlationId: 'c', source: 'cli' })
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cli-webhook-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const env = { ...process.env, DATABASE_URL: db.url, DATA_DIR: dataDir, SECRETS_KEY: '', WEBHOOK_ALLOW_INSECURE_URLS: 'false' }
  const cli = (...args: string[]) => run(tsx, ['src/cli/admin.ts', 'webhook', 'create', '--agency', 'mof', ...args], { env })
  const { stdout } = await cli('--url', 'https://soc.example.jp/hook', '--events', 'incident.reported, incident.closed')
  const out = JSON.parse(stdout) as { id: string; secret: string }
  t.match(out, { id: /^mof\./, secret: /^whsec_/ })
  const events = await store.readAgency('mof', 0, 100)
  t.match(events.find((e) => e.type === 'WebhookSubscriptionCreated')?.data, { eventTypes: ['incident.reported', 'incident.closed'], createdBy: 'admin-cli' })
  t.notOk(JSON.stringify(events).includes(out.secret.slice(6)))
  const unsafe = await cli('--url', 'https://127.0.0.1/hook', '--events', 'incident.reported').catch((e: { code: number; stderr: string }) => e)
  t.match(unsafe, { code: 1, stderr: /UnsafeWebhookUrl/ })
  const unknown = await cli('--url', 'https://soc.example.jp/hook', '--events', 'incident.exploded').catch((e: { code: number; stderr: string }) => e)
  t.match(unknown, { code: 1, stderr: /UnknownWebhookEventType/ })
})
