// LISTEN/NOTIFY as a wake-up hint between processes, sent by the appender after commit (never by a
// trigger, see architecture.md). Coalesced: at most one NOTIFY in flight, so bursts cost one message.
import pg from 'pg'
import type { MinimalLogger } from '../projections/types.js'

export const APPEND_CHANNEL = 'cs_events_appended'

export class AppendNotifier {
  private inFlight = false
  private pending = false

  constructor(private readonly pool: pg.Pool) {}

  notify(): void {
    if (this.inFlight) {
      this.pending = true
      return
    }
    this.inFlight = true
    this.pool.query(`SELECT pg_notify('${APPEND_CHANNEL}', '')`).catch(() => undefined).finally(() => {
      this.inFlight = false
      if (this.pending) {
        this.pending = false
        this.notify()
      }
    })
  }
}

/** Listens on a dedicated connection and reconnects after failures; readers still poll meanwhile. */
export function listenForAppends(url: string, onWake: () => void, logger: MinimalLogger): { stop(): Promise<void> } {
  let client: pg.Client | undefined
  let stopped = false
  let retry: NodeJS.Timeout | undefined
  const connect = async () => {
    const c = new pg.Client({ connectionString: url, application_name: 'cs-record-listener' })
    c.on('notification', onWake)
    c.on('error', (err) => {
      logger.warn({ err }, 'append listener lost its connection; reconnecting')
      c.end().catch(() => undefined)
      schedule()
    })
    try {
      await c.connect()
      await c.query(`LISTEN ${APPEND_CHANNEL}`)
      if (stopped) await c.end()
      else client = c
    } catch (err) {
      logger.warn({ err }, 'append listener could not connect; retrying')
      c.end().catch(() => undefined)
      schedule()
    }
  }
  const schedule = () => {
    client = undefined
    if (!stopped) retry = setTimeout(() => void connect(), 1_000)
  }
  void connect()
  return {
    async stop() {
      stopped = true
      clearTimeout(retry)
      await client?.end().catch(() => undefined)
    },
  }
}
