// The outbound webhook settings: SSRF protection on unless WEBHOOK_ALLOW_INSECURE_URLS says otherwise, and
// the dispatcher's fallback poll, validated at start like every other variable.
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'

t.test('defaults, values, refusals', async (t) => {
  t.match(loadConfig({}), { WEBHOOK_ALLOW_INSECURE_URLS: false, WEBHOOK_DISPATCH_INTERVAL_MS: 1000 })
  t.match(loadConfig({ WEBHOOK_ALLOW_INSECURE_URLS: 'true', WEBHOOK_DISPATCH_INTERVAL_MS: '250' }), { WEBHOOK_ALLOW_INSECURE_URLS: true, WEBHOOK_DISPATCH_INTERVAL_MS: 250 })
  t.throws(() => loadConfig({ WEBHOOK_ALLOW_INSECURE_URLS: 'yes' }), ConfigError)
  t.throws(() => loadConfig({ WEBHOOK_DISPATCH_INTERVAL_MS: '5' }), /WEBHOOK_DISPATCH_INTERVAL_MS/)
})
