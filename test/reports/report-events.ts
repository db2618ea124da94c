/** Audit events for the report tests: an event of `type` at `ts`, with `extra` fields over the defaults. */
import type { AuditEvent } from '../../src/query/types.js';

/** One audit event of `type` at `ts` (stream `s`, seq 1, no attributes unless `extra` sets them). */
export function ev(type: string, ts: string, extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    ts,
    tsNanos: 0,
    type,
    event: `orchestrator.${type}`,
    severity: 'INFO',
    message: type,
    attrs: {},
    stream: 's',
    seq: 1,
    ...extra,
  };
}
