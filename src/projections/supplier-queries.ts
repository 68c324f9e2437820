// Queries of the outsourcing read models (Art. 16): contractors (qualified or not, derived from their
// latest selection and today's required criteria), contracts with filters (contractor, system, status,
// ending soon: relative to "today" in Japan from the caller's clock), one contract with its checks and
// open supply-chain findings, and its history from the log. Lists are keyset-paged.
import type pg from 'pg'
import { z } from 'zod'
import { contractStreamId } from '../domain/contract/decider.js'
import { openFindings, type RecordedCheck } from '../domain/contract/supply-chain.js'
import { qualificationOf } from '../domain/contractor/decider.js'
import type { CriterionRecord } from '../domain/contractor/events.js'
import { requiredSelectionCriteria, selectionCriteria, type SupplierRequirement } from '../domain/shared/supplier-criteria.js'
import { calendarDate } from '../domain/shared/values.js'
import { EVENT_COLUMNS, toStoredEvent } from '../eventstore/postgres-store.js'
import type { StoredEvent } from '../eventstore/types.js'
import { InvalidCursorError, type Page } from './incident-queries.js'

const iso = (v: Date | null) => (v === null ? null : v.toISOString())
const criteriaData = selectionCriteria as Record<string, SupplierRequirement | undefined>

function cursors<T extends z.ZodType>(schema: T) {
  return {
    encode: (v: z.output<T>) => Buffer.from(JSON.stringify(v)).toString('base64url'),
    decode: (cursor: string): z.output<T> => {
      try {
        const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
        if (parsed.success) return parsed.data
      } catch { /* not JSON: fall through */ }
      throw new InvalidCursorError('the "after" cursor is not one this service issued; start again without it')
    },
  }
}

interface ContractorRow {
  agency_id: string; contractor_id: string; name: string; corporate_number: string | null; address: string | null; registered_by: string; registered_at: Date
  criteria: CriterionRecord[] | null; selection_recorded_by: string | null; selection_recorded_at: Date | null; version: number; last_position: number; active_contracts: number
}

function toContractorDto(r: ContractorRow) {
  const q = qualificationOf(r.criteria)
  return {
    id: r.contractor_id, agencyId: r.agency_id, name: r.name, corporateNumber: r.corporate_number, address: r.address, registeredBy: r.registered_by, registeredAt: r.registered_at.toISOString(),
    selection: r.criteria === null ? null : {
      criteria: r.criteria.map((c) => ({ code: c.code, met: c.met, evidence: c.evidence ?? null, required: criteriaData[c.code]?.required ?? false, confidence: criteriaData[c.code]?.confidence ?? null })),
      recordedBy: r.selection_recorded_by, recordedAt: iso(r.selection_recorded_at),
    },
    qualified: q.qualified, unmetCriteria: q.unmet, activeContracts: r.active_contracts, version: r.version, position: r.last_position,
  }
}
export type ContractorDto = ReturnType<typeof toContractorDto>

const CONTRACTOR_SELECT = `SELECT k.*, (SELECT count(*) FROM contracts x WHERE x.agency_id = k.agency_id AND x.contractor_id = k.contractor_id AND x.status = 'ACTIVE')::int AS active_contracts
  FROM contractors k`
/** Qualified: a selection in which every required criterion ($n) is met. */
const QUALIFIED = (p: string) => `(k.criteria IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unnest(${p}::text[]) r(code)
  WHERE NOT k.criteria @> jsonb_build_array(jsonb_build_object('code', r.code, 'met', true))))`

export async function getContractor(pool: pg.Pool, agencyId: string, contractorId: string): Promise<ContractorDto | undefined> {
  const { rows } = await pool.query<ContractorRow>(`${CONTRACTOR_SELECT} WHERE k.agency_id = $1 AND k.contractor_id = $2`, [agencyId, contractorId])
  return rows[0] && toContractorDto(rows[0])
}

const IdCursor = cursors(z.object({ a: z.string().max(100), i: z.string().max(100) }))

/** By agency, then contractor id. */
export async function listContractors(pool: pg.Pool, agencyIds: readonly string[], filter: { qualified?: boolean | undefined }, first: number, after?: string): Promise<Page<ContractorDto>> {
  const params: unknown[] = [agencyIds]
  const where = ['k.agency_id = ANY($1::text[])']
  if (filter.qualified !== undefined) where.push(`${filter.qualified ? '' : 'NOT '}${QUALIFIED(`$${params.push([...requiredSelectionCriteria])}`)}`)
  if (after !== undefined) {
    const c = IdCursor.decode(after)
    where.push(`(k.agency_id, k.contractor_id) > ($${params.push(c.a)}, $${params.push(c.i)})`)
  }
  const { rows } = await pool.query<ContractorRow>(`${CONTRACTOR_SELECT} WHERE ${where.join(' AND ')} ORDER BY k.agency_id, k.contractor_id LIMIT $${params.push(first + 1)}`, params)
  const items = rows.slice(0, first).map(toContractorDto)
  return { items, hasNextPage: rows.length > first, cursors: items.map((k) => IdCursor.encode({ a: k.agencyId, i: k.id })) }
}

interface ContractRow {
  agency_id: string; contract_id: string; contractor_id: string; contractor_name: string | null; contractor_criteria: CriterionRecord[] | null; subject: string
  owner_unit_id: string; system_ids: string[]; valid_from: string; valid_to: string; original_to: string; security_clauses: string[]; handles_information_class: string | null
  status: string; days_to_end: number; recorded_by: string; recorded_at: Date; extension: unknown; ending: unknown; information_return: unknown; closure: unknown
  version: number; last_position: number; updated_at: Date
}
interface CheckRow { agency_id: string; contract_id: string; check_id: string; item: RecordedCheck['item']; system_id: string | null; checks: RecordedCheck['checks']; failed: string[]; checked_on: string; recorded_by: string; recorded_at: Date; position: number }

function toContractDto(r: ContractRow, checks: readonly CheckRow[]) {
  const recorded = checks.map((c) => ({ checkId: c.check_id, item: c.item, systemId: c.system_id, checks: c.checks, failed: c.failed, checkedOn: c.checked_on, recordedBy: c.recorded_by, recordedAt: c.recorded_at.toISOString(), position: c.position }))
  const active = r.status === 'ACTIVE'
  return {
    id: r.contract_id, agencyId: r.agency_id, contractorId: r.contractor_id, contractorName: r.contractor_name, contractorQualified: qualificationOf(r.contractor_criteria).qualified,
    subject: r.subject, ownerUnitId: r.owner_unit_id, systemIds: r.system_ids, from: r.valid_from, to: r.valid_to, originalTo: r.original_to,
    securityClauses: r.security_clauses, handlesInformationClass: r.handles_information_class, status: r.status,
    /** Days from today (Japan) to the last day, while active; negative once it has passed without an end being recorded. */
    daysToEnd: active ? r.days_to_end : null, pastEnd: active && r.days_to_end < 0,
    recordedBy: r.recorded_by, recordedAt: r.recorded_at.toISOString(), extension: r.extension, end: r.ending, informationReturn: r.information_return, closure: r.closure,
    supplyChainChecks: recorded, openSupplyChainFindings: openFindings(recorded),
    version: r.version, position: r.last_position, updatedAt: r.updated_at.toISOString(),
  }
}
export type ContractDto = ReturnType<typeof toContractDto>

/** $1 agencies, $2 today (Japan). */
const CONTRACT_SELECT = `SELECT x.agency_id, x.contract_id, x.contractor_id, k.name AS contractor_name, k.criteria AS contractor_criteria, x.subject, x.owner_unit_id,
    x.system_ids, x.valid_from::text, x.valid_to::text, x.original_to::text, x.security_clauses, x.handles_information_class, x.status, (x.valid_to - $2::date) AS days_to_end,
    x.recorded_by, x.recorded_at, x.extension, x.ending, x.information_return, x.closure, x.version, x.last_position, x.updated_at
  FROM contracts x LEFT JOIN contractors k ON k.agency_id = x.agency_id AND k.contractor_id = x.contractor_id`

async function withChecks(pool: pg.Pool, rows: readonly ContractRow[]): Promise<ContractDto[]> {
  if (rows.length === 0) return []
  const { rows: checks } = await pool.query<CheckRow>(
    `SELECT c.agency_id, c.contract_id, c.check_id, c.item, c.system_id, c.checks, c.failed, c.checked_on::text, c.recorded_by, c.recorded_at, c.position
       FROM contract_supply_chain_checks c JOIN unnest($1::text[], $2::text[]) k(a, i) ON c.agency_id = k.a AND c.contract_id = k.i
      ORDER BY c.checked_on, c.position`, [rows.map((r) => r.agency_id), rows.map((r) => r.contract_id)])
  const key = (a: string, i: string) => JSON.stringify([a, i])
  return rows.map((r) => toContractDto(r, checks.filter((c) => key(c.agency_id, c.contract_id) === key(r.agency_id, r.contract_id))))
}

export async function getContract(pool: pg.Pool, agencyId: string, contractId: string, today: string): Promise<ContractDto | undefined> {
  const { rows } = await pool.query<ContractRow>(`${CONTRACT_SELECT} WHERE x.agency_id = ANY($1::text[]) AND x.contract_id = $3`, [[agencyId], today, contractId])
  return (await withChecks(pool, rows))[0]
}

export interface ContractFilter {
  contractorId?: string | undefined
  systemId?: string | undefined
  ownerUnitId?: string | undefined
  status?: readonly string[] | undefined
  /** Active contracts whose last day is at most this many days after today (including those past it with no end recorded). */
  endingWithinDays?: number | undefined
}

const EndCursor = cursors(z.object({ k: calendarDate, a: z.string().max(100), i: z.string().max(100) }))

/** The contract ending first comes first; keyset on (last day, agency, contract). */
export async function listContracts(pool: pg.Pool, agencyIds: readonly string[], filter: ContractFilter, today: string, first: number, after?: string): Promise<Page<ContractDto>> {
  const params: unknown[] = [agencyIds, today]
  const where = ['x.agency_id = ANY($1::text[])']
  if (filter.contractorId !== undefined) where.push(`x.contractor_id = $${params.push(filter.contractorId)}`)
  if (filter.systemId !== undefined) where.push(`x.system_ids ? $${params.push(filter.systemId)}`)
  if (filter.ownerUnitId !== undefined) where.push(`x.owner_unit_id = $${params.push(filter.ownerUnitId)}`)
  if (filter.status?.length) where.push(`x.status = ANY($${params.push(filter.status)}::text[])`)
  if (filter.endingWithinDays !== undefined) where.push(`x.status = 'ACTIVE' AND x.valid_to <= $2::date + $${params.push(filter.endingWithinDays)}::int`)
  if (after !== undefined) {
    const c = EndCursor.decode(after)
    where.push(`(x.valid_to, x.agency_id, x.contract_id) > ($${params.push(c.k)}::date, $${params.push(c.a)}, $${params.push(c.i)})`)
  }
  const { rows } = await pool.query<ContractRow>(
    `${CONTRACT_SELECT} WHERE ${where.join(' AND ')} ORDER BY x.valid_to, x.agency_id, x.contract_id LIMIT $${params.push(first + 1)}`, params)
  const items = await withChecks(pool, rows.slice(0, first))
  return { items, hasNextPage: rows.length > first, cursors: items.map((x) => EndCursor.encode({ k: x.to, a: x.agencyId, i: x.id })) }
}

/** A page of a contract's events, oldest first, after a stream version: the log itself. */
export async function contractHistory(pool: pg.Pool, agencyId: string, contractId: string, first: number, afterVersion = 0): Promise<Page<StoredEvent>> {
  const { rows } = await pool.query(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND stream_id = $2 AND stream_version > $3 ORDER BY stream_version LIMIT $4`,
    [agencyId, contractStreamId(contractId), afterVersion, first + 1])
  const items = rows.slice(0, first).map(toStoredEvent)
  return { items, hasNextPage: rows.length > first, cursors: items.map((e) => String(e.streamVersion)) }
}
