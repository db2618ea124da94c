/**
 * The benchmarked pipelines, all fed the same {@link BenchLead} workload:
 * (a) raw OTel `logger.emit` → BatchLogRecordProcessor → discarding exporter;
 * (b) the full SDK pipeline: `AuditLogger.logLeadIngested` → PII → signing → batch → discarding exporter;
 * (c) pino with `redact` → `pino.destination('/dev/null')` (sync: each line is written with writeSync);
 * (d) the floor of any signed OTel record: (a) plus a processor that only serializes the attributes
 *     with `JSON.stringify` and HMACs them (no PII, no chain, no helper), to show what part of (b) is
 *     the SDK, the serializer and the MAC themselves.
 * Each returns the per-event call and a `settle` that flushes and reports how many records reached the sink.
 */
import { randomBytes } from 'node:crypto';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadableLogRecord,
  type ReadWriteLogRecord,
} from '@opentelemetry/sdk-logs';
import { pino } from 'pino';
import { HmacSha256 } from '../src/processors/signing/hmac.js';
import { createAuditLogger } from '../src/logger/default-logger.js';
import { leadIngestedRecord, PII_PATHS, type BenchLead } from './workload.js';

/** Exporter that counts and drops records. */
export class DiscardingExporter implements LogRecordExporter {
  received = 0;
  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    this.received += records.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

/** A ready-to-measure pipeline. */
export interface Variant {
  readonly call: (i: number) => void;
  readonly settle: () => Promise<void>;
  /** Records that reached the sink so far. */
  readonly delivered: () => number;
  readonly close: () => Promise<void>;
}

/** Names of the variants. */
export type VariantName = 'a-raw-otel' | 'b-audit-pipeline' | 'c-pino-redact' | 'd-otel-sign-floor';

/** Variant (d)'s processor: `JSON.stringify` of the attributes, one HMAC-SHA256, one attribute set. */
class MinimalSigner implements LogRecordProcessor {
  private readonly mac = new HmacSha256(randomBytes(32));
  onEmit(log: ReadWriteLogRecord): void {
    log.setAttribute('sig', this.mac.digestBase64url(JSON.stringify(log.attributes)));
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** Builds variant `name` over `leads`. */
export function buildVariant(name: VariantName, leads: readonly BenchLead[]): Variant {
  const lead = (i: number): BenchLead => leads[i % leads.length] as BenchLead;
  switch (name) {
    case 'a-raw-otel':
    case 'd-otel-sign-floor': {
      const exporter = new DiscardingExporter();
      const batch = new BatchLogRecordProcessor({ exporter });
      const provider = new LoggerProvider({
        processors: name === 'a-raw-otel' ? [batch] : [new MinimalSigner(), batch],
      });
      const logger = provider.getLogger('bench');
      return {
        call: (i) => {
          const l = lead(i);
          logger.emit(leadIngestedRecord(l));
        },
        settle: () => provider.forceFlush(),
        delivered: () => exporter.received,
        close: () => provider.shutdown(),
      };
    }
    case 'b-audit-pipeline': {
      const exporter = new DiscardingExporter();
      const audit = createAuditLogger({
        signingKey: randomBytes(32),
        pii: { enabled: true, mode: 'redact' },
        processors: [new BatchLogRecordProcessor({ exporter })],
        env: {},
      });
      return {
        call: (i) => {
          const l = lead(i);
          audit.logLeadIngested(l.leadId, l.source, l.data, l.workflow);
        },
        settle: () => audit.forceFlush(),
        delivered: () => exporter.received,
        close: () => audit.shutdown(),
      };
    }
    case 'c-pino-redact': {
      const destination = pino.destination({ dest: '/dev/null', sync: true });
      const logger = pino({ redact: { paths: PII_PATHS, censor: '[REDACTED]' }, base: null }, destination);
      let lines = 0;
      return {
        call: (i) => {
          const l = lead(i);
          logger.info(
            { event: 'lead_ingested', leadId: l.leadId, workflow: l.workflow, source: l.source, data: l.data },
            `Lead ${l.leadId} ingested from ${l.source}`,
          );
          lines++;
        },
        settle: async () => destination.flushSync(),
        delivered: () => lines,
        close: async () => destination.end(),
      };
    }
  }
}
