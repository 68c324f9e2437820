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
