// Every paged list, found through OpenAPI, answers a forged or out-of-range `after` with a 4xx (400
// InvalidCursor or ValidationFailed), never a server error: cursors come from clients.
import { randomUUID } from 'node:crypto'
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t)
await h.agency('mof')
const token = await h.token('mof', ['CISO', 'CSIRT_HEAD', 'AUDITOR'], 'boss')

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const forged = [
  'not-a-cursor', '!!!', '99999999999', '-1', '2147483648',
  b64({ k: 'garbage', a: 'x', i: 'y' }), b64({ k: '0000-01-01T00:00:00Z', a: 'x', i: 'y' }), b64({ k: '0000-01-01', a: 'x', i: 'y' }),
  b64({ t: '0000-01-01T00:00:00Z', p: 1, a: 'x', i: 'y' }), b64({ r: 'garbage', a: 'x', i: 'y' }), b64({ k: 99, a: 1 }), b64({ p: 1e30 }), b64([1, 2]), b64(null),
]

/** A value for a path parameter that passes its schema, so the request reaches the cursor. */
function sample(name: string, schema: { type?: string; format?: string } | undefined): string {
  if (schema?.format === 'uuid' || /id$/i.test(name) && schema?.format === 'uuid') return randomUUID()
  if (schema?.type === 'integer' || schema?.type === 'number' || /year/i.test(name)) return '2026'
  if (/edition/i.test(name)) return 'R3'
  return schema?.format === 'uuid' ? randomUUID() : 'x1'
}

t.test('forged cursors never reach SQL as a server error', async (t) => {
  const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: { type?: string; format?: string } }[] }>>
  }
  let lists = 0
  for (const [path, methods] of Object.entries(spec.paths)) {
    const op = methods.get
    const params = op?.parameters ?? []
    if (!params.some((p) => p.in === 'query' && p.name === 'after')) continue
    lists++
    const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => sample(name, params.find((p) => p.in === 'path' && p.name === name)?.schema))
    for (const after of forged) {
      const res = await h.app.inject({ method: 'GET', url: `${url}?after=${encodeURIComponent(after)}`, headers: { authorization: `Bearer ${token}` } })
      t.ok(res.statusCode < 500, `${path} after=${after.slice(0, 30)} → ${res.statusCode} ${res.statusCode >= 500 ? res.body : ''}`)
    }
  }
  t.ok(lists >= 10, `every paged list is probed (${lists})`)
})
