// Labels and derived flags (domain.md §3), restriction parameters (§4), and reading a provision.
import t from 'tap'
import {
  ClassifyInformationInput, flagCodes, flagsOf, HandlingRestrictions, labelOf, provisionTo, type InformationEvent,
} from '../../../src/domain/information/index.js'

t.test('labels read C3I2A2, paper C2', async (t) => {
  t.equal(labelOf({ confidentiality: 3, integrity: 2, availability: 2 }), 'C3I2A2')
  t.equal(labelOf({ confidentiality: 1, integrity: 1, availability: 2 }), 'C1I1A2')
  t.equal(labelOf({ confidentiality: 2 }), 'C2')
})

t.test('flags are derived: 要機密 C≥2, 要保全 I2, 要安定 A2, 要保護 any', async (t) => {
  t.same(flagsOf({ confidentiality: 1, integrity: 1, availability: 1 }), { needsConfidentiality: false, needsIntegrity: false, needsAvailability: false, needsProtection: false })
  t.same(flagsOf({ confidentiality: 2 }), { needsConfidentiality: true, needsIntegrity: false, needsAvailability: false, needsProtection: true })
  t.same(flagCodes({ confidentiality: 1, integrity: 2, availability: 1 }), ['INTEGRITY_REQUIRED', 'PROTECTION_REQUIRED'])
  t.same(flagCodes({ confidentiality: 1, integrity: 1, availability: 2 }), ['AVAILABILITY_REQUIRED', 'PROTECTION_REQUIRED'])
})

t.test('restrictions take exactly their parameters', async (t) => {
  const ok = HandlingRestrictions.safeParse([
    { code: 'NO_COPY' }, { code: 'AUDIENCE_LIMITED', audience: ['mic'] }, { code: 'RETAIN_UNTIL', date: '2031-03-31' },
    { code: 'RECOVER_WITHIN', duration: 'PT4H' }, { code: 'STORE_AT', location: 'vault B' }, { code: 'CUSTOM', label: 'no printing', customCode: 'X-NO-PRINT' },
    { code: 'CUSTOM', label: 'no photos' },
  ])
  t.ok(ok.success, JSON.stringify(ok.error?.issues))
  const bad = (value: unknown) => HandlingRestrictions.safeParse([value]).success
  t.notOk(bad({ code: 'NO_COPY', audience: ['x'] }), 'a parameter on a code that takes none')
  t.notOk(bad({ code: 'AUDIENCE_LIMITED' }), 'a missing audience')
  t.notOk(bad({ code: 'RETAIN_UNTIL', date: '31/03/2031' }))
  t.notOk(bad({ code: 'RECOVER_WITHIN', duration: '4 hours' }))
  t.notOk(bad({ code: 'CUSTOM' }), 'a custom code needs its label')
  t.notOk(bad({ code: 'NO_SUCH_CODE' }))
  t.notOk(HandlingRestrictions.safeParse([{ code: 'NO_COPY' }, { code: 'NO_COPY' }]).success, 'a code twice')
  t.notOk(HandlingRestrictions.safeParse([{ code: 'CUSTOM', label: 'a', customCode: 'X' }, { code: 'CUSTOM', label: 'b', customCode: 'X' }]).success, 'a custom code twice')
})

t.test('obtained information names its source; created information has none', async (t) => {
  const base = { title: 'x', ownerUnitId: 'u1', medium: 'PAPER', confidentiality: 1 }
  t.notOk(ClassifyInformationInput.safeParse({ ...base, how: 'OBTAIN' }).success)
  t.notOk(ClassifyInformationInput.safeParse({ ...base, how: 'CREATE', source: 'somewhere' }).success)
  t.same(ClassifyInformationInput.parse({ ...base, how: 'CREATE' }).restrictions, [])
  t.notOk(ClassifyInformationInput.safeParse({ ...base, how: 'CREATE', confidentiality: 4 }).success)
})

t.test("a provision is read from the provider's stream: the last one to the receiver", async (t) => {
  const provided = (stepId: string, toAgencyId: string | undefined, c: number): InformationEvent => ({
    type: 'InformationStepRecorded',
    data: {
      assetId: 'p1', stepId, step: 'PROVIDE', details: { step: 'PROVIDE', recipient: 'r', purpose: 'p', ...(toAgencyId ? { toAgencyId } : {}) }, ownerUnitId: 'u', exceptions: [], exceptionIds: [],
      marking: { title: 'T', medium: 'PAPER', classes: { confidentiality: c }, restrictions: [], decider: 'd', lineage: [] }, by: 'kato', at: '2026-06-01T00:00:00Z',
    },
  })
  const events = [provided('s1', 'mof', 2), provided('s2', 'mic', 3), provided('s3', 'mof', 3), provided('s4', undefined, 1)]
  t.match(provisionTo(events, 'mic', 'p1', 'mof'), { stepId: 's3', classes: { confidentiality: 3 }, providedBy: 'kato' })
  t.equal(provisionTo(events, 'mic', 'p1', 'ipa'), undefined)
})
