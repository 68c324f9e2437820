// Opening the database as the service does: on the embedded server the service logs in as cs_app itself,
// so nothing it runs can regain the owner's rights; secrets in the data folder are created once.
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { openDatabase } from '../../src/db/open.js'
import pg from 'pg'
import { readOrCreateSecret, startEmbedded } from '../../src/db/embedded.js'
import { silentLogger } from '../helpers/logger.js'

t.test('two processes creating a secret at once end up with the same one', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cs-secret-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'app-password')
  const secrets = await Promise.all(Array.from({ length: 8 }, () => readOrCreateSecret(file)))
  t.equal(new Set(secrets).size, 1)
  t.equal(await readOrCreateSecret(file), secrets[0], 'read back later')
})

t.test('embedded: the service pool is the cs_app login, with a statement timeout', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cs-open-'))
  await chmod(dataDir, 0o755)
  const db = await openDatabase({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: 0, DATABASE_URL: undefined, DATABASE_APP_URL: undefined }, silentLogger, { migrate: true })
  t.teardown(async () => {
    await db.close()
    await rm(dataDir, { recursive: true, force: true })
  })
  const who = await db.app.pool.query('SELECT current_user AS c, session_user AS s, current_setting(\'statement_timeout\') AS timeout')
  t.same(who.rows[0], { c: 'cs_app', s: 'cs_app', timeout: '1min' })
  const client = await db.app.pool.connect()
  try {
    await client.query('RESET ROLE')
    const after = await client.query('SELECT current_user AS c')
    t.equal(after.rows[0].c, 'cs_app', 'RESET ROLE gives back nothing')
    await t.rejects(client.query("INSERT INTO agency_heads (agency_id) VALUES ('forged')"), { code: '42501' })
  } finally {
    client.release()
  }
  const owner = await db.owner.pool.query('SELECT current_setting(\'statement_timeout\') AS timeout')
  t.equal(owner.rows[0].timeout, '0', 'migrations and rebuilds are not cut short')
})

t.test('embedded: a data folder inside a private (0700) folder still works when run as root', async (t) => {
  const privateDir = await mkdtemp(path.join(tmpdir(), 'cs-private-')) // mkdtemp makes it 0700
  const server = await startEmbedded({ dataDir: path.join(privateDir, 'data'), port: 0 })
  t.teardown(async () => {
    await server.stop()
    await rm(privateDir, { recursive: true, force: true })
  })
  t.equal(server.owned, true)
  const client = new pg.Client({ connectionString: server.url })
  await client.connect()
  const { rows } = await client.query('SELECT 1 AS one')
  await client.end()
  t.equal(rows[0].one, 1)
  if (process.getuid?.() === 0) t.equal((await stat(privateDir)).mode & 0o007, 0o001, 'only the search bit was added for others')
})
