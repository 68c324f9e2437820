// The service as a user runs it: main.ts on an embedded PostgreSQL, the admin CLI attaching to it while it
// runs, a real HTTP call with the token it printed, a graceful SIGTERM, and a bad setting refused at start.
import { spawn, execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'

const run = promisify(execFile)
const tsx = path.resolve('node_modules/.bin/tsx')

function envWithout(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, LOG_LEVEL: 'info' }
  delete env.DATABASE_URL
  return env
}

t.test('a wrong setting stops the process with a message naming the variable', async (t) => {
  const child = await run(tsx, ['src/main.ts'], { env: envWithout({ PORT: 'not-a-port' }) }).catch((e: { code: number; stderr: string }) => e)
  t.equal((child as { code: number }).code, 1)
  t.match((child as { stderr: string }).stderr, /PORT/)
})

t.test('a bad CLI argument is refused before anything runs', async (t) => {
  const child = await run(tsx, ['src/cli/admin.ts', 'projections', 'rebuild', 'incidents', '--batch-size', 'abc'], { env: envWithout({}) })
    .catch((e: { code: number; stderr: string }) => e)
  t.equal((child as { code: number }).code, 1)
  t.match((child as { stderr: string }).stderr, /--batch-size.*a whole number from 1 to 50000/)
})

t.test('embedded database: serve, administer while running, shut down gracefully', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cs-record-proc-'))
  await chmod(dataDir, 0o755)
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const env = envWithout({ DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'production' })
  const service = spawn(tsx, ['src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  service.stdout.on('data', (d: Buffer) => { out += d.toString() })
  service.stderr.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<number | null>((resolve) => service.on('exit', (code) => resolve(code)))
  t.teardown(() => { if (service.exitCode === null) service.kill('SIGKILL') })

  const address = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(out)
      if (m?.[1]) { clearInterval(timer); resolve(m[1]) }
      if (service.exitCode !== null) { clearInterval(timer); reject(new Error(`service exited: ${out}`)) }
    }, 100)
  })
  t.equal((await fetch(`${address}/healthz`)).status, 200)

  // The CLI finds the running embedded server through the data folder.
  const created = await run(tsx, ['src/cli/admin.ts', 'agency', 'create', '--id', 'digital', '--name', 'Digital Agency', '--kind', 'NATIONAL_ADMINISTRATIVE_ORGAN'], { env })
  t.match(JSON.parse(created.stdout), { agencyId: 'digital', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' })
  // The first people and roles are set up by the operator; the token acts with the assigned roles.
  await run(tsx, ['src/cli/admin.ts', 'unit', 'create', '--agency', 'digital', '--id', 'csirt', '--name', 'CSIRT office'], { env })
  await run(tsx, ['src/cli/admin.ts', 'employee', 'add', '--agency', 'digital', '--id', 'yamada', '--name', 'Yamada', '--unit', 'csirt', '--joined', '2024-04-01'], { env })
  const assigned = await run(tsx, ['src/cli/admin.ts', 'role', 'assign', '--agency', 'digital', '--employee', 'yamada', '--role', 'CSIRT_HEAD', '--from', '2024-04-01'], { env })
  t.match(JSON.parse(assigned.stdout), { command: 'AssignRole' })
  const unknown = await run(tsx, ['src/cli/admin.ts', 'role', 'assign', '--agency', 'digital', '--employee', 'ghost', '--role', 'CISO', '--from', '2024-04-01'], { env }).catch((e: { code: number; stderr: string }) => e)
  t.match((unknown as { stderr: string }).stderr, /UnknownEmployee/, 'a role for someone who is not an employee is refused')
  const issued = await run(tsx, ['src/cli/admin.ts', 'token', 'create', '--agency', 'digital', '--actor', 'yamada', '--roles', 'CSIRT_HEAD'], { env })
  const { token } = JSON.parse(issued.stdout) as { token: string }
  t.match(token, /^csr_/)
  const badRole = await run(tsx, ['src/cli/admin.ts', 'token', 'create', '--agency', 'digital', '--actor', 'x', '--roles', 'KING'], { env }).catch((e: { code: number; stderr: string }) => e)
  t.equal((badRole as { code: number }).code, 1)
  t.match((badRole as { stderr: string }).stderr, /unknown role/)
  const noAgency = await run(tsx, ['src/cli/admin.ts', 'token', 'create', '--agency', 'nope', '--actor', 'x', '--roles', 'CISO'], { env }).catch((e: { code: number; stderr: string }) => e)
  t.equal((noAgency as { code: number }).code, 1)
  t.match((noAgency as { stderr: string }).stderr, /AgencyNotFound/)

  const res = await fetch(`${address}/api/incidents`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Suspicious login', description: 'Login from abroad', detectedAt: new Date().toISOString() }),
  })
  t.equal(res.status, 201)
  const { incidentId, position } = (await res.json()) as { incidentId: string; position: number }
  const read = await fetch(`${address}/api/incidents/${incidentId}?minPosition=${position}`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(read.status, 200)
  t.match(out, /"reqId":"[0-9a-f-]{36}"/, 'request log lines carry the request id')
  t.notMatch(out, new RegExp(token.slice(4).replace(/[.]/g, '\\.')), 'the token never appears in the logs')

  service.kill('SIGTERM')
  t.equal(await exited, 0, 'exits 0 after SIGTERM')
  t.match(out, /shutting down/)
  t.match(out, /"msg":"stopped"/)
  t.notOk(existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'the embedded server was stopped')
})
