// Output and small statistics: one JSON object per figure on stdout, progress on stderr.

export function emit(figure: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`)
}

export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`)
}

/** Nearest-rank percentile of an unsorted sample (sorted copy). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

export function latencySummary(samples: readonly number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  const s = [...samples].sort((a, b) => a - b)
  return { p50Ms: round(percentile(s, 50), 2), p99Ms: round(percentile(s, 99), 2), maxMs: round(s.at(-1) ?? Number.NaN, 2) }
}

export function round(x: number, digits = 0): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

export const nowMs = (): number => performance.now()

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`)
  return n
}

export function envList(name: string, fallback: number[]): number[] {
  const raw = process.env[name]
  if (!raw) return fallback
  const xs = raw.split(',').map((s) => Number(s.trim()))
  if (xs.some((x) => !Number.isInteger(x) || x <= 0)) throw new Error(`${name} must be a comma-separated list of positive integers, got "${raw}"`)
  return xs
}

export interface ClosedLoopResult {
  /** Operations completed inside the measured window. */
  ops: number
  /** Units (events or rows) completed inside the measured window. */
  units: number
  seconds: number
  latenciesMs: number[]
}

/**
 * `inFlight` workers each run `op` back to back. Operations finishing during the first `warmupMs` are not
 * counted; the window then lasts `measureMs`, after which no worker starts a new operation.
 * `op` returns how many units (events) it wrote.
 */
export async function closedLoop(
  inFlight: number,
  warmupMs: number,
  measureMs: number,
  op: (worker: number) => Promise<number>,
): Promise<ClosedLoopResult> {
  const t0 = nowMs()
  const from = t0 + warmupMs
  const to = from + measureMs
  let ops = 0
  let units = 0
  const latenciesMs: number[] = []
  const worker = async (w: number) => {
    while (nowMs() < to) {
      const start = nowMs()
      const n = await op(w)
      const end = nowMs()
      if (start >= from && end <= to) latenciesMs.push(end - start)
      if (end >= from && end <= to) {
        ops++
        units += n
      }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w)))
  return { ops, units, seconds: measureMs / 1000, latenciesMs }
}
