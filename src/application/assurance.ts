// Self-check (Art. 10) and audit (Art. 11) use cases. Facts from other streams (units, employees, who
// holds which role with which scope today) are looked up here and handed to the pure deciders.
import { z } from 'zod'
import {
  ApproveAuditPlanInput, auditDecider, auditStreamId, CloseFindingInput, PlanAuditInput, RecordFindingInput, RecordFollowUpInput,
  RecordImprovementPlanInput, ReportAuditInput, type AuditCommand,
} from '../domain/audit/index.js'
import {
  CompleteSelfCheckFixInput, EvaluateSelfCheckInput, OrderSelfCheckFixInput, PlanSelfCheckInput, RecordSelfCheckResultInput,
  selfCheckDecider, selfCheckStreamId, type SelfCheckCommand,
} from '../domain/self-check/index.js'
import { FiscalYear, tokyoDate } from '../domain/shared/fiscal-year.js'
import { holdersOf, loadHoldings, officerUnitsOf } from './assurance-lookups.js'
import { defineCommand, newRecordId, runCommand, type CommandOutcome, type Services } from './command-runner.js'
import type { Principal, RequestContext } from './context.js'
import { foldStream, loadAgency, loadEmployeeFacts } from './lookups.js'
import type { Target } from '../domain/shared/authorization.js'

const tag = 'assurance'
const none = z.object({})
const YearParams = z.object({ fiscalYear: z.coerce.number().pipe(FiscalYear) })
const FixParams = YearParams.extend({ fixId: z.uuid() })
const AuditParams = z.object({ auditId: z.uuid() })
const FindingParams = AuditParams.extend({ findingId: z.uuid() })

async function selfCheckCommand(s: Services, p: Principal, ctx: RequestContext, fiscalYear: number, command: Omit<SelfCheckCommand, 'metadata'>, fingerprint: unknown, id: string, target?: Target): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: selfCheckDecider, streamId: selfCheckStreamId(fiscalYear), command: command as never, fingerprint, target })
  return { ...result, id }
}

async function auditCommand(s: Services, p: Principal, ctx: RequestContext, auditId: string, command: Omit<AuditCommand, 'metadata'>, fingerprint: unknown, id = auditId, target?: Target): Promise<CommandOutcome> {
  const result = await runCommand(s, p, ctx, { decider: auditDecider, streamId: auditStreamId(auditId), command: command as never, fingerprint, target })
  return { ...result, id }
}

/** Whether each named unit exists in the agency. */
async function unitFacts(s: Services, agencyId: string, unitIds: readonly string[]): Promise<Record<string, boolean>> {
  const { units } = await loadAgency(s.store, agencyId)
  return Object.fromEntries(unitIds.map((u) => [u, units.has(u)]))
}

const today = (s: Services) => tokyoDate(s.clock.now().toISOString())

/** The units the caller is security officer of today (none for the operator's CLI). */
async function officerUnits(s: Services, p: Principal): Promise<string[]> {
  return officerUnitsOf(await loadHoldings(s.store, p.agencyId, today(s)), p.actorId)
}

const selfCheckSpecs = [
  defineCommand({
    type: 'PlanSelfCheck', tag, summary: 'Plan the self-check of a fiscal year (Art. 10): period, checklist, units taking part', path: '/self-checks/:fiscalYear', mutation: 'planSelfCheck',
    params: YearParams, input: PlanSelfCheckInput, creates: true,
    run: async (s, p, { fiscalYear }, input, ctx) => {
      const agency = await loadAgency(s.store, p.agencyId)
      const units = Object.fromEntries((input.unitIds ?? []).map((u) => [u, agency.units.has(u)]))
      const data = { ...input, fiscalYear, units, resultsPerEmployee: agency.settings.selfCheck.perFiscalYear }
      return selfCheckCommand(s, p, ctx, fiscalYear, { type: 'PlanSelfCheck', data }, { fiscalYear, input }, String(fiscalYear))
    },
  }),
  defineCommand({
    type: 'RecordSelfCheckResult', tag, summary: "Record an employee's self-check answers (their own, or as their unit's security officer)", path: '/self-checks/:fiscalYear/results', mutation: 'recordSelfCheckResult',
    params: YearParams, input: RecordSelfCheckResultInput, creates: true,
    run: async (s, p, { fiscalYear }, input, ctx) => {
      const resultId = newRecordId(p, ctx, 'RecordSelfCheckResult')
      const [employees, units] = await Promise.all([loadEmployeeFacts(s.store, p.agencyId, [input.employeeId]), officerUnits(s, p)])
      const data = { ...input, fiscalYear, resultId, employee: employees[input.employeeId], officerUnits: units }
      return selfCheckCommand(s, p, ctx, fiscalYear, { type: 'RecordSelfCheckResult', data }, { fiscalYear, input }, resultId)
    },
  }),
  defineCommand({
    type: 'EvaluateSelfCheck', tag, summary: 'Evaluate the self-check of a fiscal year (closes the results)', path: '/self-checks/:fiscalYear/evaluation', mutation: 'evaluateSelfCheck',
    params: YearParams, input: EvaluateSelfCheckInput,
    run: (s, p, { fiscalYear }, input, ctx) =>
      selfCheckCommand(s, p, ctx, fiscalYear, { type: 'EvaluateSelfCheck', data: { ...input, fiscalYear } }, { fiscalYear, input }, String(fiscalYear)),
  }),
  defineCommand({
    type: 'OrderSelfCheckFix', tag, summary: 'Order a fix of a checklist item in a unit, with a due date', path: '/self-checks/:fiscalYear/fixes', mutation: 'orderSelfCheckFix',
    params: YearParams, input: OrderSelfCheckFixInput, creates: true,
    run: async (s, p, { fiscalYear }, input, ctx) => {
      const fixId = newRecordId(p, ctx, 'OrderSelfCheckFix')
      const unitExists = (await unitFacts(s, p.agencyId, [input.unitId]))[input.unitId] === true
      return selfCheckCommand(s, p, ctx, fiscalYear, { type: 'OrderSelfCheckFix', data: { ...input, fiscalYear, fixId, unitExists } }, { fiscalYear, input }, fixId, { unitIds: [input.unitId] })
    },
  }),
  defineCommand({
    type: 'CompleteSelfCheckFix', tag, summary: 'Record that an ordered fix is done', path: '/self-checks/:fiscalYear/fixes/:fixId/completion', mutation: 'completeSelfCheckFix',
    params: FixParams, input: CompleteSelfCheckFixInput,
    run: async (s, p, { fiscalYear, fixId }, input, ctx) => {
      // A unit's security officer completes the fixes of their unit (an unknown fix is the decider's to report).
      const fix = (await foldStream(s.store, p.agencyId, selfCheckStreamId(fiscalYear), selfCheckDecider)).fixes.get(fixId)
      const target = fix ? { unitIds: [fix.unitId] } : undefined
      return selfCheckCommand(s, p, ctx, fiscalYear, { type: 'CompleteSelfCheckFix', data: { ...input, fiscalYear, fixId } }, { fiscalYear, fixId, input }, fixId, target)
    },
  }),
]

const auditSpecs = [
  defineCommand({
    type: 'PlanAudit', tag, summary: 'Plan an audit (Art. 11): scope, auditors (never of an audited unit), fieldwork period', path: '/audits', mutation: 'planAudit',
    params: none, input: PlanAuditInput, creates: true,
    run: async (s, p, _params, input, ctx) => {
      const auditId = newRecordId(p, ctx, 'PlanAudit')
      const [units, employees, holdings] = await Promise.all([
        unitFacts(s, p.agencyId, input.scopeUnitIds),
        loadEmployeeFacts(s.store, p.agencyId, input.auditorIds),
        loadHoldings(s.store, p.agencyId, input.fieldworkFrom),
      ])
      const data = { ...input, auditId, units, employees, auditorRoleHolders: holdersOf(holdings, 'AUDITOR') }
      return auditCommand(s, p, ctx, auditId, { type: 'PlanAudit', data }, input)
    },
  }),
  defineCommand({
    type: 'ApproveAuditPlan', tag, summary: "Approve an audit plan (the CISO; never the plan's author)", path: '/audits/:auditId/approval', mutation: 'approveAuditPlan',
    params: AuditParams, input: ApproveAuditPlanInput,
    run: (s, p, { auditId }, input, ctx) => auditCommand(s, p, ctx, auditId, { type: 'ApproveAuditPlan', data: input }, { auditId, input }),
  }),
  defineCommand({
    type: 'RecordFinding', tag, summary: "Record a finding of the fieldwork (an auditor of this audit, not on their own unit)", path: '/audits/:auditId/findings', mutation: 'recordFinding',
    params: AuditParams, input: RecordFindingInput, creates: true,
    run: async (s, p, { auditId }, input, ctx) => {
      const findingId = newRecordId(p, ctx, 'RecordFinding')
      const actorUnitId = (await loadEmployeeFacts(s.store, p.agencyId, [p.actorId]))[p.actorId]?.unitId
      return auditCommand(s, p, ctx, auditId, { type: 'RecordFinding', data: { ...input, findingId, actorUnitId } }, { auditId, input }, findingId, { unitIds: [input.unitId] })
    },
  }),
  defineCommand({
    type: 'ReportAudit', tag, summary: 'Report the audit to the CISO', path: '/audits/:auditId/report', mutation: 'reportAudit',
    params: AuditParams, input: ReportAuditInput,
    run: async (s, p, { auditId }, input, ctx) => {
      const cisoId = holdersOf(await loadHoldings(s.store, p.agencyId, today(s)), 'CISO')[0]
      return auditCommand(s, p, ctx, auditId, { type: 'ReportAudit', data: { ...input, cisoId } }, { auditId, input })
    },
  }),
  defineCommand({
    type: 'RecordImprovementPlan', tag, summary: "Record the improvement plan for a finding (the unit's security officer)", path: '/audits/:auditId/findings/:findingId/improvement-plan', mutation: 'recordImprovementPlan',
    params: FindingParams, input: RecordImprovementPlanInput,
    run: async (s, p, { auditId, findingId }, input, ctx) => {
      const [employees, units, audit] = await Promise.all([
        loadEmployeeFacts(s.store, p.agencyId, [input.ownerId]), officerUnits(s, p), foldStream(s.store, p.agencyId, auditStreamId(auditId), auditDecider),
      ])
      const finding = audit.findings.get(findingId)
      const data = { ...input, findingId, owner: employees[input.ownerId], officerUnits: units }
      return auditCommand(s, p, ctx, auditId, { type: 'RecordImprovementPlan', data }, { auditId, findingId, input }, findingId, finding ? { unitIds: [finding.unitId] } : undefined)
    },
  }),
  defineCommand({
    type: 'RecordFollowUp', tag, summary: 'Record a follow-up of a finding and how far its improvement has come', path: '/audits/:auditId/findings/:findingId/follow-ups', mutation: 'recordFollowUp',
    params: FindingParams, input: RecordFollowUpInput, creates: true,
    run: (s, p, { auditId, findingId }, input, ctx) =>
      auditCommand(s, p, ctx, auditId, { type: 'RecordFollowUp', data: { ...input, findingId, followUpId: newRecordId(p, ctx, 'RecordFollowUp') } }, { auditId, findingId, input }, findingId),
  }),
  defineCommand({
    type: 'CloseFinding', tag, summary: 'Close a finding whose improvement is implemented (the audit officer)', path: '/audits/:auditId/findings/:findingId/close', mutation: 'closeFinding',
    params: FindingParams, input: CloseFindingInput,
    run: (s, p, { auditId, findingId }, input, ctx) =>
      auditCommand(s, p, ctx, auditId, { type: 'CloseFinding', data: { ...input, findingId } }, { auditId, findingId, input }, findingId),
  }),
]

export const assuranceCommands = [...selfCheckSpecs, ...auditSpecs]
