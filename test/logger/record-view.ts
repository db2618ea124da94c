/** The public fields of a log record as a processor or exporter reads them, for record-by-record comparisons. */
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

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
