/**
 * A small client of Prometheus's HTTP query API (`/api/v1/query`, `/api/v1/query_range`,
 * `/-/ready`), returning float samples. Native-histogram samples are returned with their count
 * and sum so callers can tell them apart; apply `histogram_quantile`, `histogram_count`, … in
 * PromQL to get floats.
 */
import { errorText } from '../../events/error-text.js';

/** How to reach Prometheus. */
export interface PrometheusClientOptions {
  /** Prometheus base URL, e.g. `http://localhost:9090`. */
  readonly url: string;
  /** Extra request headers (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-request timeout in ms (default 30000). */
  readonly timeoutMs?: number;
}

/** One series of an instant-query result. */
export interface PromSample {
  readonly labels: Readonly<Record<string, string>>;
  /** Evaluation time in seconds since the epoch. */
  readonly time: number;
  /** The float value (`NaN` for native-histogram samples; see {@link histogram}). */
  readonly value: number;
  /** Count and sum of a native-histogram sample. */
  readonly histogram?: { readonly count: number; readonly sum: number };
}

/** One series of a range-query result. */
export interface PromSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly { readonly time: number; readonly value: number }[];
}

/** Prometheus could not be reached, refused the query, or answered in an unexpected shape. */
export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError';
  /** HTTP status, when Prometheus answered. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** Client of one Prometheus server. */
export class PrometheusClient {
  /** Base URL without trailing slash. */
  readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: PrometheusClientOptions) {
    this.base = new URL(options.url).toString().replace(/\/+$/, '');
    this.headers = { ...options.headers };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** True when `/-/ready` answers 200. */
  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`${this.base}/-/ready`, {
        headers: this.headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Evaluates `expr` at `time` (default now). A scalar result comes back as one unlabeled sample. */
  async instant(expr: string, time?: Date): Promise<PromSample[]> {
    const data = await this.call('query', { query: expr, ...(time ? { time: seconds(time) } : {}) });
    const { resultType, result } = data as { resultType?: unknown; result?: unknown };
    if (resultType === 'scalar' && Array.isArray(result))
      return [{ labels: {}, time: Number(result[0]), value: parseValue(result[1]) }];
    if (resultType !== 'vector' || !Array.isArray(result))
      throw new PrometheusQueryError(`expected a vector for ${expr}, got ${String(resultType)}`);
    return result.map((r: unknown) => sampleOf(r, expr));
  }

  /** Evaluates `expr` over [start, end] every `stepSeconds`. */
  async range(expr: string, start: Date, end: Date, stepSeconds: number): Promise<PromSeries[]> {
    const data = await this.call('query_range', {
      query: expr,
      start: seconds(start),
      end: seconds(end),
      step: String(stepSeconds),
    });
    const { resultType, result } = data as { resultType?: unknown; result?: unknown };
    if (resultType !== 'matrix' || !Array.isArray(result))
      throw new PrometheusQueryError(`expected a matrix for ${expr}, got ${String(resultType)}`);
    return result.map((r: unknown) => {
      const { metric, values } = r as { metric?: Record<string, string>; values?: unknown };
      const points = Array.isArray(values)
        ? values.map((v: unknown) => ({ time: Number((v as unknown[])[0]), value: parseValue((v as unknown[])[1]) }))
        : [];
      return { labels: metric ?? {}, points };
    });
  }

  private async call(endpoint: 'query' | 'query_range', params: Record<string, string>): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/v1/${endpoint}`, {
        method: 'POST',
        headers: { ...this.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new PrometheusQueryError(`Prometheus at ${this.base} is unreachable: ${errorText(err)}`);
    }
    const text = await res.text();
    let body: { status?: unknown; data?: unknown; error?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new PrometheusQueryError(
        `Prometheus answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`,
        res.status,
      );
    }
    if (!res.ok || body.status !== 'success') {
      throw new PrometheusQueryError(
        `Prometheus refused ${params.query}: ${String(body.error ?? res.status)}`,
        res.status,
      );
    }
    return body.data;
  }
}

function sampleOf(r: unknown, expr: string): PromSample {
  const { metric, value, histogram } = r as {
    metric?: Record<string, string>;
    value?: unknown[];
    histogram?: unknown[];
  };
  if (Array.isArray(value)) return { labels: metric ?? {}, time: Number(value[0]), value: parseValue(value[1]) };
  if (Array.isArray(histogram)) {
    const h = histogram[1] as { count?: string; sum?: string };
    return {
      labels: metric ?? {},
      time: Number(histogram[0]),
      value: Number.NaN,
      histogram: { count: parseValue(h.count), sum: parseValue(h.sum) },
    };
  }
  throw new PrometheusQueryError(`unexpected sample shape in the result of ${expr}`);
}

/** Prometheus encodes sample values as strings (`"1.5"`, `"NaN"`, `"+Inf"`). */
function parseValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return typeof v === 'string' ? Number(v) : Number.NaN;
}

function seconds(d: Date): string {
  return (d.getTime() / 1000).toFixed(3);
}
