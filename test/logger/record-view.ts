/** The public fields of a log record as a processor or exporter reads them, for record-by-record comparisons. */
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';

/** A processor that keeps every record and the context it came with. */
export class Capture implements LogRecordProcessor {
  readonly records: ReadWriteLogRecord[] = [];
  readonly contexts: (Context | undefined)[] = [];
  onEmit(log: ReadWriteLogRecord, context?: Context): void {
    this.records.push(log);
    this.contexts.push(context);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** Resource, scope, times, trace context, severity, body, event name, attributes (text and values) and dropped count. */
export function recordView(log: ReadableLogRecord): unknown {
  return {
    resource: log.resource.attributes,
    scope: log.instrumentationScope,
    hrTime: log.hrTime,
    hrTimeObserved: log.hrTimeObserved,
    spanContext: log.spanContext,
    severityNumber: log.severityNumber,
    severityText: log.severityText,
    body: log.body,
    eventName: log.eventName,
    // the text keeps the key order, the values the types
    attributes: JSON.stringify(log.attributes),
    attributeValues: log.attributes,
    droppedAttributesCount: log.droppedAttributesCount,
  };
}
