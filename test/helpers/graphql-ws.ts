// A graphql-transport-ws test client over a real WebSocket.
import WebSocket from 'ws'

export interface WsMessage { type: string; id?: string; payload?: any }

/** A graphql-transport-ws client: messages queue up until read; `next(ms)` gives undefined on timeout. */
export function connect(url: string) {
  const socket = new WebSocket(url, 'graphql-transport-ws')
  const queue: WsMessage[] = []
  const waiters: ((m: WsMessage | undefined) => void)[] = []
  const deliver = (m: WsMessage) => {
    const waiter = waiters.shift()
    if (waiter) waiter(m)
    else queue.push(m)
  }
  socket.on('message', (data) => deliver(JSON.parse(String(data)) as WsMessage))
  socket.on('close', () => deliver({ type: 'closed' }))
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return {
    opened,
    send: (m: WsMessage) => socket.send(JSON.stringify(m)),
    next(ms = 10_000): Promise<WsMessage | undefined> {
      const queued = queue.shift()
      if (queued) return Promise.resolve(queued)
      return new Promise((resolve) => {
        const waiter = (m: WsMessage | undefined) => {
          clearTimeout(timer)
          resolve(m)
        }
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1)
          resolve(undefined)
        }, ms)
        waiters.push(waiter)
      })
    },
    close: () => socket.close(),
  }
}
