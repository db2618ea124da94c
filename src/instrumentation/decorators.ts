/**
 * Standard (TC39, TypeScript 5 `experimentalDecorators: false`) method decorators:
 *
 *   class Pipeline {
 *     @audited('lead_qualified', { leadId: 'args.0.id', fields: { qualified: 'result.qualified' }, operation: 'lead.qualify' })
 *     qualify(lead: Lead): Qualification { … }
 *     @auditedRun({ workflow: 'sales' })
 *     async run(): Promise<void> { … }
 *   }
 *
 * The AuditLogger is resolved at each call (`options.audit`, else `getAuditLogger()`).
 */
import type { CallAuditSpec, InstrumentOptions } from './spec.js';
import { wrapFunction } from './wrap-function.js';

/** A standard method decorator returned by {@link audited} / {@link auditedRun}. */
export type AuditMethodDecorator = <This, Args extends unknown[], Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) => (this: This, ...args: Args) => Return;

/** Audits a method as event `event` (a step span); `spec` says where lead id, workflow and fields come from. */
export function audited(
  event: string,
  spec: Omit<CallAuditSpec, 'event'> = {},
  options: InstrumentOptions = {},
): AuditMethodDecorator {
  return (method, context) => wrapFunction(method, String(context.name), { ...spec, event }, options);
}

/** Audits a method as a workflow run: a root span, its duration (when `spec.operation` is set) and its errors; no event of its own unless `spec.event`. */
export function auditedRun(
  spec: Omit<CallAuditSpec, 'kind'> = {},
  options: InstrumentOptions = {},
): AuditMethodDecorator {
  return (method, context) => wrapFunction(method, String(context.name), { ...spec, kind: 'run' }, options);
}
