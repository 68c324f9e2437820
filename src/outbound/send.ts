// How a delivery leaves the process, and the SSRF check made just before: both injectable, so tests use a
// local receiver or a fake, and the defaults are the only code here that touches the network.
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { internalAddressKind, unsafeUrlReason } from '../domain/webhook-subscription/index.js'

export interface SendRequest {
  url: string
  headers: Record<string, string>
  body: Buffer
  timeoutMs: number
}
/** Only the status: the response body is never read (it is the receiver's, and may be large). */
export interface SendResponse { status: number }
export type Send = (request: SendRequest) => Promise<SendResponse>
export type Lookup = (hostname: string) => Promise<readonly { address: string }[]>

/** POST with fetch: no redirects followed (a 3xx is a failed attempt), aborted after `timeoutMs`. */
export const fetchSend: Send = async ({ url, headers, body, timeoutMs }) => {
  const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
  await response.body?.cancel().catch(() => undefined)
  return { status: response.status }
}

/** Every address the name resolves to (IPv4 and IPv6), as the operating system's resolver answers. */
export const dnsLookupAll: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

/**
 * Why a delivery to `url` must not be sent now, or undefined: the URL rule of the domain, then (unless
 * insecure URLs are allowed) every address its name resolves to must be public. A name that resolves to
 * a loopback, private or link-local address is refused, whatever it resolved to when the subscription was made.
 */
export async function refusalOf(url: string, allowInsecure: boolean, lookup: Lookup): Promise<string | undefined> {
  const unsafe = unsafeUrlReason(url, { allowInsecure })
  if (unsafe !== undefined) return `UnsafeWebhookUrl: ${unsafe}`
  if (allowInsecure) return undefined
  const host = new URL(url).hostname
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) return undefined // a literal address: judged above
  let addresses: readonly { address: string }[]
  try {
    addresses = await lookup(host)
  } catch (err) {
    return `DNS lookup of ${host} failed: ${(err as { code?: string }).code ?? (err instanceof Error ? err.message : String(err))}`
  }
  if (addresses.length === 0) return `DNS lookup of ${host} found no address`
  for (const { address } of addresses) {
    const kind = internalAddressKind(address)
    if (kind !== undefined) return `UnsafeWebhookUrl: ${host} resolves to ${address}, a ${kind} address; webhooks go to public addresses only`
  }
  return undefined
}

/** A short, secret-free description of a failed request (fetch wraps the socket error in `cause`). */
export function describeSendError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; message?: string } } | null
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`
  const code = e?.cause?.code ?? e?.code
  if (code) return `request failed: ${code}`
  return `request failed: ${e?.cause?.message ?? (err instanceof Error ? err.message : String(err))}`.slice(0, 300)
}
