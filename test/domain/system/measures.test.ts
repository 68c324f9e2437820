// given/when/then for the measures recorded per system: the continuity plan and exercises (Art. 19) and
// internet-service measures (Art. 21, internet-facing systems only), plus the pure shortfall check.
import t from 'tap'
import type { CommandMetadata } from '../../../src/domain/shared/decider.js'
import {
  internetServiceShortfalls, isGovernmentDomain, RecordContinuityPlanInput, RecordInternetServiceMeasuresInput, systemDecider,
  type InternetServiceMeasures, type SystemCommand, type SystemEvent,
} from '../../../src/domain/system/index.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-07-01T10:00:00+09:00'
const metadata: CommandMetadata = { actor: { id: 'sso', roles: ['SYSTEM_SECURITY_OFFICER'] }, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'api' }
const cmd = <T extends SystemCommand['type']>(type: T, data: Omit<Extract<SystemCommand, { type: T }>['data'], 'systemId'>) =>
  ({ type, data: { ...data, systemId: 'WEB' }, metadata }) as unknown as Extract<SystemCommand, { type: T }>
const registered = (internetFacing: boolean): SystemEvent => ({
  type: 'SystemRegistered',
  data: { systemId: 'WEB', name: 'Portal', purpose: 'p', ownerUnitId: 'it', informationClasses: ['C1I1A2'], contractorIds: [], internetFacing, criticality: 'CRITICAL', documents: [], stage: 'OPERATION', by: 'gso', at: NOW },
})
const plan: SystemEvent = { type: 'ContinuityPlanRecorded', data: { systemId: 'WEB', version: '2026-1', recoveryTimeObjective: 'PT4H', measures: ['standby site'], by: 'sso', at: NOW } }

t.test('continuity plan: versions are recorded once each; the duration is ISO-8601', async (t) => {
  const input = RecordContinuityPlanInput.parse({ version: '2026-1', recoveryTimeObjective: 'PT4H', measures: ['standby site'] })
  t.same(given(systemDecider, registered(true)).when(cmd('RecordContinuityPlan', input)), [plan])
  t.throws(() => given(systemDecider, registered(true), plan).when(cmd('RecordContinuityPlan', input)), { code: 'ContinuityPlanVersionExists' })
  t.same(given(systemDecider, registered(true), plan).state().system?.planVersions, ['2026-1'])
  for (const rto of ['P1D', 'PT30M', 'P1DT12H']) t.ok(RecordContinuityPlanInput.safeParse({ ...input, recoveryTimeObjective: rto }).success, rto)
  for (const rto of ['4 hours', 'P', 'PT', 'P1W']) t.notOk(RecordContinuityPlanInput.safeParse({ ...input, recoveryTimeObjective: rto }).success, rto)
  t.notOk(RecordContinuityPlanInput.safeParse({ ...input, measures: [] }).success, 'a plan has measures')
})

t.test('continuity exercise: not in the future; linked to the plan version in force', async (t) => {
  const exercise = { heldOn: '2026-06-20', scenario: 'data centre power loss', securityMeasuresHeld: false, findings: ['failover skipped log forwarding'] }
  t.match(given(systemDecider, registered(true), plan).when(cmd('RecordContinuityExercise', exercise)), [{
    type: 'ContinuityExerciseHeld', data: { ...exercise, planVersion: '2026-1', by: 'sso' },
  }])
  t.match(given(systemDecider, registered(true)).when(cmd('RecordContinuityExercise', exercise)), [{ data: { planVersion: undefined } }], 'an exercise without a plan is recorded')
  t.throws(() => given(systemDecider, registered(true)).when(cmd('RecordContinuityExercise', { ...exercise, heldOn: '2026-07-02' })), { code: 'ExerciseInFuture' })
})

const measures: InternetServiceMeasures = {
  tls: { enabled: true, minVersion: '1.2', hsts: true },
  domainAuthenticity: { dnssec: false },
  noInsecureContent: { noPlugins: true, noUnsignedDownloads: true },
}

t.test('internet service measures: internet-facing systems only; the domain is normalised', async (t) => {
  const input = RecordInternetServiceMeasuresInput.parse({ serviceName: 'portal', domain: 'WWW.Example.GO.JP', measures })
  t.equal(input.domain, 'www.example.go.jp')
  t.match(given(systemDecider, registered(true)).when(cmd('RecordInternetServiceMeasures', input)), [{ type: 'InternetServiceMeasuresRecorded', data: { serviceName: 'portal', domain: 'www.example.go.jp' } }])
  t.throws(() => given(systemDecider, registered(false)).when(cmd('RecordInternetServiceMeasures', input)), { code: 'NotInternetFacing' })
  for (const domain of ['localhost', 'exa mple.jp', '-x.jp', 'http://x.jp']) t.notOk(RecordInternetServiceMeasuresInput.safeParse({ ...input, domain }).success, domain)
})

t.test('the shortfall check: TLS below 1.2, no domain authenticity, mail authentication, insecure content', async (t) => {
  t.same(internetServiceShortfalls('www.example.go.jp', measures), [], 'a go.jp domain shows the government by itself')
  t.ok(isGovernmentDomain('go.jp'))
  t.ok(isGovernmentDomain('www.city.example.lg.jp'))
  t.notOk(isGovernmentDomain('go.jp.example.com'))
  t.same(internetServiceShortfalls('portal.example.com', { ...measures, domainAuthenticity: { dnssec: true } }), [], 'DNSSEC counts')
  const weak: InternetServiceMeasures = {
    tls: { enabled: true, minVersion: '1.0' },
    domainAuthenticity: { dnssec: false, organizationValidatedCertificate: false, mail: { spf: true, dkim: false, dmarc: false } },
    noInsecureContent: { noPlugins: false, noUnsignedDownloads: false, noMixedContent: false },
  }
  const found = internetServiceShortfalls('downloads.example.com', weak)
  t.same(found.map((s) => s.code), ['TLS_BELOW_1_2', 'NO_DOMAIN_AUTHENTICITY', 'MAIL_AUTHENTICATION_MISSING', 'INSECURE_CONTENT'])
  t.same(found[2]?.missing, ['DKIM', 'DMARC'])
  t.same(found[3]?.missing, ['content needing browser plug-ins', 'unsigned downloads', 'resources over plain http'])
  t.same(internetServiceShortfalls('x.go.jp', { ...measures, tls: { enabled: false } }).map((s) => s.code), ['TLS_DISABLED'])
  t.same(internetServiceShortfalls('x.go.jp', { ...measures, tls: { enabled: true } }).map((s) => s.code), ['TLS_BELOW_1_2'], 'an unknown floor is not assumed to be 1.2')
  t.same(internetServiceShortfalls('x.go.jp', { ...measures, tls: { enabled: true, minVersion: '1.3' } }), [])
})
