// Realistic incident event streams for the benchmark: an IncidentReported followed by the Art. 9
// handling steps, with the same data and metadata shapes the application writes. Deterministic per seed.
import { randomUUID } from 'node:crypto'
import type { JsonObject } from '../src/domain/shared/decider.js'
import type { EventMetadata, NewEvent } from '../src/eventstore/types.js'

/** Small deterministic PRNG (mulberry32), so runs write comparable data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T

const TITLES = ['Phishing mail opened', 'Malware detected on endpoint', 'Suspicious login from abroad', 'Lost USB stick',
  'Web server defaced', 'Ransomware note on file share', 'Misdirected email with personal data', 'Brute-force attempts on VPN']
const SYSTEMS = ['mail', 'vpn', 'file-share', 'web-portal', 'hr-system', 'finance-ledger', 'endpoint-fleet', 'ad-domain']
const LABELS = ['C3I2A2', 'C2I2A1', 'C3I1A2', 'C2', 'C1I1A1']
const ROLES = ['CSIRT_MEMBER', 'CSIRT_HEAD', 'SECURITY_OFFICER', 'CISO'] as const

const SOURCES = ['api', 'graphql', 'webhook']

/** The commandType that produced each event type, as handleCommand records it. */
const COMMAND_OF: Record<string, string> = {
  IncidentReported: 'ReportIncident', IncidentTriaged: 'TriageIncident', IncidentReportedToCiso: 'ReportIncidentToCiso',
  IncidentContained: 'RecordContainment', NationalCentreNotified: 'NotifyNationalCentre', IncidentRecovered: 'RecordRecovery',
  IncidentRootCauseRecorded: 'RecordRootCause', IncidentLessonsShared: 'ShareLessons', IncidentClosed: 'CloseIncident',
  IncidentActionRecorded: 'RecordIncidentAction',
}

/**
 * One incident stream with its client-side version. `next(n)` returns the next n events of its lifecycle
 * (IncidentReported, IncidentTriaged, actions, CISO report, containment, notification, recovery, root cause,
 * lessons, closure); about one in five is dismissed at triage. After the lifecycle, only actions follow.
 */
export class IncidentScript {
  readonly incidentId = randomUUID()
  readonly streamId = `incident-${this.incidentId}`
  /** Version of the last event appended (0 before the first append): the next expectedVersion. */
  version = 0
  /** True while an append to this stream is in flight (the bench never races itself on a stream). */
  busy = false
  private readonly plan: string[]
  private step = 0
  private clock: number

  constructor(readonly agencyId: string, private readonly r: () => number, startMs = Date.UTC(2026, 3, 1)) {
    this.clock = startMs + Math.floor(r() * 86_400_000 * 30)
    const dismissed = r() < 0.2
    const actions = () => Array.from({ length: Math.floor(r() * 3) }, () => 'IncidentActionRecorded')
    this.plan = dismissed
      ? ['IncidentReported', 'IncidentTriaged']
      : ['IncidentReported', 'IncidentTriaged', ...actions(), 'IncidentReportedToCiso', 'IncidentContained', ...actions(),
          'NationalCentreNotified', 'IncidentRecovered', 'IncidentRootCauseRecorded', 'IncidentLessonsShared', 'IncidentClosed']
  }

  /** Events left in the planned lifecycle (actions can always follow). */
  get remaining(): number {
    return Math.max(0, this.plan.length - this.step)
  }

  /** Build the next n events (does not advance `version`: call `appended(n)` once the append succeeded). */
  next(n: number): NewEvent[] {
    const out: NewEvent[] = []
    for (let i = 0; i < n; i++) {
      const type = this.plan[this.step] ?? 'IncidentActionRecorded'
      this.step++
      out.push(this.event(type))
    }
    return out
  }

  appended(n: number): void {
    this.version += n
  }

  /** When the events are recorded (advances a few minutes per call), ISO-8601. */
  recordedAt(): string {
    this.clock += 60_000 + Math.floor(this.r() * 3_600_000)
    return new Date(this.clock).toISOString()
  }

  private event(type: string): NewEvent {
    const r = this.r
    const at = new Date(this.clock).toISOString()
    const by = `u-${Math.floor(r() * 500)}`
    let data: JsonObject
    switch (type) {
      case 'IncidentReported':
        data = {
          incidentId: this.incidentId, title: pick(r, TITLES),
          description: 'Reported by the help desk after a user noticed unexpected behaviour; details in the attached ticket. '.repeat(1 + Math.floor(r() * 3)),
          detectedAt: new Date(this.clock - 3_600_000).toISOString(), reportedAt: at, reportedBy: by,
          source: r() < 0.3 ? 'SIEM' : 'EMPLOYEE', initialSeverity: pick(r, ['low', 'medium', 'high', 'critical']),
          affectedSystems: [pick(r, SYSTEMS), pick(r, SYSTEMS)],
          affectedInformation: [{ label: pick(r, LABELS), assetId: `asset-${Math.floor(r() * 10_000)}` }],
        }
        break
      case 'IncidentTriaged': {
        const incident = !this.plan.includes('IncidentClosed') ? 'NOT_INCIDENT' : 'INCIDENT'
        data = incident === 'INCIDENT'
          ? { by, at, assessment: 'INCIDENT', severity: pick(r, ['low', 'medium', 'high', 'critical']), serious: r() < 0.1, rationale: 'Indicators confirmed by the CSIRT; scope limited to the listed systems.' }
          : { by, at, assessment: 'NOT_INCIDENT', serious: false, rationale: 'False positive: the alert matched a scheduled maintenance job.' }
        break
      }
      case 'IncidentReportedToCiso': data = { by, at, summary: 'Incident confirmed; containment under way; no data exfiltration observed so far.' }; break
      case 'IncidentContained': data = { by, at, actions: ['Isolated the affected hosts from the network', 'Reset credentials of affected accounts'] }; break
      case 'NationalCentreNotified': data = { by, at, destination: 'National Cybersecurity Office', summary: 'Initial notification with scope and timeline.', reference: `NCO-${Math.floor(r() * 1e6)}` }; break
      case 'IncidentRecovered': data = { by, at, actions: ['Restored from the last clean backup', 'Verified integrity of restored data'] }; break
      case 'IncidentRootCauseRecorded': data = { by, at, cause: 'An unpatched component exposed to the internet was exploited.', preventionMeasures: ['Monthly patch review', 'Exposure scan of the perimeter'] }; break
      case 'IncidentLessonsShared': data = { by, at, lessons: 'Patch management needs an owner per system; alerts reached the CSIRT late.', sharedWith: ['all-divisions', 'csirt-network'] }; break
      case 'IncidentClosed': data = { by, at, summary: 'Closed after recovery and review.' }; break
      default: data = { by, at, description: 'Collected logs from the proxy and the endpoint agent for the investigation.' }
    }
    const metadata: EventMetadata = {
      actor: { id: by, roles: [pick(r, ROLES)] },
      correlationId: randomUUID(),
      source: pick(r, SOURCES),
      commandType: COMMAND_OF[type] ?? 'RecordIncidentAction',
    }
    return { eventId: randomUUID(), type, schemaVersion: 1, data, metadata }
  }
}

/**
 * A writer's set of incident streams in one agency: picks a stream that is not in flight, opening a
 * new incident with probability `newShare` (or when none is free), and forgets finished ones.
 */
export class StreamPool {
  private readonly open: IncidentScript[] = []

  constructor(private readonly agencyId: string, private readonly r: () => number, private readonly newShare = 0.3, private readonly maxOpen = 50) {}

  take(): IncidentScript {
    if (this.open.length < this.maxOpen && (this.open.length === 0 || this.r() < this.newShare)) {
      const s = new IncidentScript(this.agencyId, this.r)
      this.open.push(s)
      s.busy = true
      return s
    }
    // A few random probes for a free stream, else a new one.
    for (let i = 0; i < 4; i++) {
      const idx = Math.floor(this.r() * this.open.length)
      const s = this.open[idx]
      if (s && !s.busy) {
        s.busy = true
        return s
      }
    }
    const s = new IncidentScript(this.agencyId, this.r)
    this.open.push(s)
    s.busy = true
    return s
  }

  release(s: IncidentScript): void {
    s.busy = false
    if (s.remaining === 0) {
      const i = this.open.indexOf(s)
      if (i >= 0) this.open.splice(i, 1)
    }
  }
}
