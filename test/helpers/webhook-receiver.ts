// A real local HTTP receiver for outbound webhook tests (node:http on 127.0.0.1): records every request
// and answers each path from a queue of status codes (200 once the queue is empty).
import { once } from 'node:events'
import http, { type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received { path: string; headers: IncomingHttpHeaders; raw: Buffer }

export interface Receiver {
  port: number
  received: Received[]
  /** Requests that reached `path`. */
  at(path: string): Received[]
  /** The next answers for `path`, in order. */
  answer(path: string, ...statuses: number[]): void
  close(): Promise<void>
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = []
  const answers = new Map<string, number[]>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = req.url ?? '/'
      received.push({ path, headers: req.headers, raw: Buffer.concat(chunks) })
      res.writeHead(answers.get(path)?.shift() ?? 200).end()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    port: (server.address() as AddressInfo).port,
    received,
    at: (path) => received.filter((r) => r.path === path),
    answer: (path, ...statuses) => answers.set(path, [...(answers.get(path) ?? []), ...statuses]),
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** Polls `fn` until it answers something truthy (no timed assertion: a timeout only ends a hung test). */
export async function until<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
