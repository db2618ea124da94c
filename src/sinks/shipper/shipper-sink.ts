/**
 * The journal shipper as a sink of the AuditLogger: it takes no records itself (the journal
 * does), but `forceFlush` waits for the shipper to send what the journal holds and `shutdown`
 * does the same, then stops it. Both wait at most the drain limit; whatever is left stays in the
 * journal and is shipped by the next process that opens it.
 */
import type { Meter } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { AuditDiagnostics } from '../../events/diagnostics.js';
import { JournalLayout } from '../journal/layout.js';
import type { OpenedJournal } from '../journal/open-journal.js';
import type { ResolvedOtlpSinkOptions } from '../otlp-options.js';
import type { ShipperStatus } from './shipper-status.js';
import { resolveShipperOptions, type JournalShipperOptions } from './options.js';
import { ShipperThread, type ShipperHandle } from './shipper-thread.js';
import { cursorPathOf } from './cursor.js';
import { shipperRetentionGuard } from './retention-guard.js';
import type { LossRecorder } from '../../record/loss-record.js';

/** Metric instrument names of the shipper's lag. */
export const SHIPPER_METRIC = {
  /** Records in the journal not yet acknowledged by the collector. Prometheus: `orchestrator_audit_shipper_lag_records`. */
  lagRecords: 'orchestrator.audit.shipper.lag.records',
  /** Age of the oldest record not yet acknowledged. Prometheus: `orchestrator_audit_shipper_lag_seconds`. */
  lagSeconds: 'orchestrator.audit.shipper.lag.seconds',
} as const;

/** Resource attribute left out of shipped records (see {@link shippedResourceOf}). */
const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';

/**
 * The resource of shipped records: the logger's, without its per-process `service.instance.id`,
 * so a record sent again by the next process (at-least-once after a crash) is an exact copy.
 */
export function shippedResourceOf(resource: Resource): Resource {
  const attributes = { ...resource.attributes };
  delete attributes[ATTR_SERVICE_INSTANCE_ID];
  return resourceFromAttributes(attributes);
}

/** LogRecordProcessor face of a journal shipper (in a worker thread, or in this thread). */
export class JournalShipperSink implements LogRecordProcessor {
  private closed = false;

  constructor(readonly shipper: ShipperHandle) {}

  /** Records reach the shipper through the journal; nothing to do here. */
  onEmit(): void {}

  /** Waits (bounded) until everything written to the journal so far has been shipped. */
  async forceFlush(): Promise<void> {
    if (!this.closed) await this.shipper.drain();
  }

  /** Waits (bounded) for the shipper to catch up, then stops it. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.shipper.drain();
    await this.shipper.stop();
  }

  /** The shipper's state and lag. */
  status(): ShipperStatus {
    return this.shipper.status();
  }
}

/** What {@link startJournalShipper} needs. */
export interface StartShipperParams {
  readonly journal: OpenedJournal;
  readonly otlp: ResolvedOtlpSinkOptions;
  readonly resource: Resource;
  readonly diagnostics: AuditDiagnostics;
  readonly options?: JournalShipperOptions;
  /** Meter for the lag gauges ({@link SHIPPER_METRIC}). */
  readonly meter?: Meter;
  /**
   * Signs loss records into the current stream (the signing processor): retention then deletes
   * an unsent segment past `maxLagSeconds`, declaring its records lost; without it, unsent
   * segments are kept whatever the lag.
   */
  readonly recorder?: LossRecorder;
  /** Protocol and compression the environment gives (`OTEL_EXPORTER_OTLP_*PROTOCOL` / `*COMPRESSION`), under `options`. */
  readonly fromEnv?: Pick<JournalShipperOptions, 'protocol' | 'compression'>;
}

/**
 * Starts shipping `journal` to the collector, in a worker thread; returns the sink to add after
 * the journal.
 */
export function startJournalShipper(params: StartShipperParams): JournalShipperSink {
  const resolved = resolveShipperOptions(params.options, params.fromEnv);
  const options = { ...resolved, drainTimeoutMs: params.options?.drainTimeoutMs ?? params.otlp.shutdownTimeoutMillis };
  const journal = params.journal;
  const resource = shippedResourceOf(params.resource);
  const tip = () => journal.statistics();
  const flushJournal = () => journal.processor.forceFlush();
  const data = {
    activePath: journal.activePath,
    otlp: params.otlp,
    resourceAttributes: { ...resource.attributes },
    options,
  };
  const shipper: ShipperHandle = new ShipperThread(
    data,
    tip,
    params.diagnostics,
    options.drainTimeoutMs,
    flushJournal,
    () => params.recorder,
  );
  if (params.meter) registerShipperGauges(params.meter, () => shipper.status());
  journal.setRetentionGuard(
    shipperRetentionGuard({
      layout: new JournalLayout(journal.activePath),
      cursorPath: cursorPathOf(journal.activePath),
      secondsBehind: () => shipper.status().secondsBehind,
      maxLagSeconds: params.recorder ? options.maxLagSeconds : Number.POSITIVE_INFINITY,
      recorder: () => params.recorder,
      diagnostics: params.diagnostics,
    }),
  );
  return new JournalShipperSink(shipper);
}

/**
 * The shipper's lag gauges ({@link SHIPPER_METRIC}) on `meter`, observing `status` (in thread mode
 * the app thread registers them over the status the audit worker reports).
 */
export function registerShipperGauges(meter: Meter, status: () => ShipperStatus | undefined): void {
  meter
    .createObservableGauge(SHIPPER_METRIC.lagRecords, {
      description: 'Journal records not yet acknowledged by the collector',
      unit: '{record}',
    })
    .addCallback((r) => {
      const s = status();
      if (s && lagKnown(s)) r.observe(s.recordsBehind);
    });
  meter
    .createObservableGauge(SHIPPER_METRIC.lagSeconds, {
      description: 'Age of the oldest journal record not yet acknowledged by the collector',
      unit: 's',
    })
    .addCallback((r) => {
      const s = status();
      if (s && lagKnown(s)) r.observe(s.secondsBehind);
    });
}

/** False while the shipper has not counted its backlog yet (the lag would read low): no gauge value then. */
function lagKnown(status: ShipperStatus): boolean {
  return status.state !== 'starting' && status.state !== 'counting';
}
