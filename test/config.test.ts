import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('defaults serve on 3000 with the embedded database under ./data', async (t) => {
  const c = loadConfig({})
  t.match(c, { PORT: 3000, HOST: '127.0.0.1', DATA_DIR: './data', DATABASE_URL: undefined, INCIDENT_CLOSE_REQUIRES_NOTIFICATION: true, READ_WAIT_MS: 5000 })
})

t.test('values are parsed and overridden', async (t) => {
  const c = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@db:5432/x', INCIDENT_CLOSE_REQUIRES_NOTIFICATION: 'false', GRAPHIQL: '1' })
  t.match(c, { PORT: 8080, DATABASE_URL: 'postgres://u@db:5432/x', INCIDENT_CLOSE_REQUIRES_NOTIFICATION: false, GRAPHIQL: true })
})

t.test('a wrong value names the variable and what was given', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), ConfigError)
  try {
    loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })
    t.fail('should throw')
  } catch (err) {
    const message = (err as Error).message
    t.match(message, /PORT: .*\(got "70000"\)/)
    t.match(message, /DATABASE_URL/)
    t.match(message, /LOG_LEVEL/)
  }
})

t.test('a number variable takes decimal digits only: empty, hex or exponent is an error, not 0, 80 or 1000', async (t) => {
  for (const value of ['', ' ', '0x50', '1e3', '-1', '80.5']) {
    t.throws(() => loadConfig({ PORT: value }), { message: new RegExp(`PORT: a whole number from 0 to 65535 \\(got ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`) }, `PORT=${JSON.stringify(value)}`)
  }
  t.throws(() => loadConfig({ PROJECTION_BATCH_SIZE: '' }), { message: /PROJECTION_BATCH_SIZE: a whole number from 1 to 50000/ })
  t.match(loadConfig({ PORT: ' 8080 ', READ_WAIT_MS: '0' }), { PORT: 8080, READ_WAIT_MS: 0 }, 'surrounding spaces are trimmed; 0 where allowed')
})

t.test('a rejected database URL is never echoed: it may hold a password', async (t) => {
  t.throws(() => loadConfig({ DATABASE_URL: 'mysql://admin:s3cret@db/x' }), { message: /DATABASE_URL: .*\(value hidden\)/ })
  let message = ''
  try {
    loadConfig({ DATABASE_APP_URL: 'nope://u:hunter2@h/x' })
  } catch (err) {
    message = (err as Error).message
  }
  t.match(message, /DATABASE_APP_URL/)
  t.notMatch(message, /hunter2/)
})
