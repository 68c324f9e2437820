// Logging: secrets are redacted whatever a serializer adds, and every request line carries its id.
import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import Fastify from 'fastify'
import { logRedaction, logSerializers, redactUrl } from '../src/app.js'

t.test('authorization headers, tokens and passwords never reach the log', async (t) => {
  const lines: string[] = []
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done() } })
  const log = pino({ redact: logRedaction }, sink)
  log.info({ req: { headers: { authorization: 'Bearer csr_mof.secret-value' } } }, 'request')
  log.info({ body: { token: 'csr_mof.another-secret', password: 'hunter2' } }, 'payload')
  log.info({ token: 'csr_mof.top-level' }, 'top level')
  log.info({ delivery: { auth: { secret: 'whsec_nested', password: 'deep-pass' } } }, 'two levels down')
  const text = lines.join('')
  t.notMatch(text, /secret-value|another-secret|hunter2|top-level|whsec_nested|deep-pass/)
  t.match(text, /\[redacted\]/)
  t.equal(lines.length, 4)
})

t.test('a SIEM\'s URL token never reaches the request log', async (t) => {
  t.equal(redactUrl('/webhooks/int-1/tok-SECRET?x=1'), '/webhooks/int-1/[redacted]?x=1')
  t.equal(redactUrl('/webhooks/int-1'), '/webhooks/int-1', 'no token: unchanged')
  t.equal(redactUrl('/api/incidents/abc'), '/api/incidents/abc')
  const lines: string[] = []
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done() } })
  const app = Fastify({ loggerInstance: pino({ redact: logRedaction, serializers: logSerializers }, sink) })
  app.post('/webhooks/:integrationId/:urlToken', async () => ({ ok: true }))
  const res = await app.inject({ method: 'POST', url: '/webhooks/int-1/tok-SECRET', payload: {} })
  await app.close()
  t.equal(res.statusCode, 200)
  const text = lines.join('')
  t.match(text, /"url":"\/webhooks\/int-1\/\[redacted\]"/, 'the request line is logged, without the token')
  t.notMatch(text, /tok-SECRET/)
})
