// `npm test`: runs tap against DATABASE_URL if set, otherwise against a throwaway embedded PostgreSQL
// (so the suite passes on a machine with no PostgreSQL installed). Each test file makes its own database.
import { spawn } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmbedded, type EmbeddedServer } from '../src/db/embedded.js'

let server: EmbeddedServer | undefined
let dir: string | undefined
const env = { ...process.env }
if (!env.DATABASE_URL) {
  dir = await mkdtemp(path.join(tmpdir(), 'cs-record-test-'))
  await chmod(dir, 0o755) // the embedded server may run as the `postgres` user when we are root
  server = await startEmbedded({ dataDir: dir, port: 0 })
  env.DATABASE_URL = server.url
  process.stdout.write(`# tests run on an embedded PostgreSQL in ${dir}\n`)
} else {
  process.stdout.write(`# tests run on DATABASE_URL\n`)
}

const child = spawn(process.execPath, [path.resolve('node_modules/tap/dist/esm/run.mjs'), ...process.argv.slice(2)], { stdio: 'inherit', env })
const code: number = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))))
await server?.stop()
if (dir) await rm(dir, { recursive: true, force: true })
process.exit(code)
