/** Shared set-up of the logger tests: an AuditLogger whose records land in memory. */
import { randomBytes } from 'node:crypto';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { type AuditLogger } from '../../src/logger/audit-logger.js';
import { type AuditLoggerOptions } from '../../src/logger/options.js';

/** A test key (32 random bytes). */
export const TEST_KEY = randomBytes(32);

/** An AuditLogger with in-memory log and metric exporters. */
export interface TestAudit {
  readonly audit: AuditLogger;
  /** Flushes and returns every record exported so far. */
  records(): Promise<ReadableLogRecord[]>;
  /** Flushes and returns the last collected metrics. */
  metrics(): Promise<ResourceMetrics | undefined>;
  close(): Promise<void>;
}

/** Builds a {@link TestAudit}; `options` are merged over a key, an empty env and the in-memory sinks. */
export function testAudit(options: AuditLoggerOptions = {}): TestAudit {
  const logs = new InMemoryLogRecordExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const audit = createAuditLogger({
    signingKey: TEST_KEY,
    env: {},
    sealIntervalMs: 0,
    processors: [new SimpleLogRecordProcessor({ exporter: logs })],
    metricReaders: [reader],
    ...options,
  });
  return {
    audit,
    async records() {
      await audit.forceFlush();
      return logs.getFinishedLogRecords().filter((r) => r.eventName !== 'audit.seal');
    },
    async metrics() {
      await audit.forceFlush();
      const all = metricExporter.getMetrics();
      return all[all.length - 1];
    },
    close: () => audit.shutdown(),
  };
}

/** The signed content of a record (its body after the signing processor). */
export function contentOf(record: ReadableLogRecord): {
  body: unknown;
  attrs: Record<string, unknown>;
  trace?: string;
  span?: string;
} {
  return JSON.parse(String(record.body)) as {
    body: unknown;
    attrs: Record<string, unknown>;
    trace?: string;
    span?: string;
  };
}
