/** Shared set-up of the instrumentation tests: in-memory AuditLogger, async context, a local tracer. */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { contentOf, testAudit, type TestAudit } from '../logger/fixture.js';

export { contentOf, testAudit, type TestAudit };

/** Installs an AsyncLocalStorage context manager for the suite (mocha hooks); restores the global afterwards. */
export function useAsyncContext(): void {
  let installed = false;
  before(() => {
    installed = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    if (!installed) throw new Error('another global context manager is installed');
  });
  after(() => {
    if (installed) context.disable();
  });
}

/**
 * Suite set-up shared by the wrap, decorator and robustness tests: an async context manager for
 * the suite and a fresh {@link TestAudit} per test (closed after it). The returned object forwards
 * to the current test's one; use it only inside tests and hooks.
 */
export function useTestAudit(): TestAudit {
  useAsyncContext();
  let current: TestAudit | undefined;
  beforeEach(() => {
    current = testAudit();
  });
  afterEach(() => current?.close());
  const now = (): TestAudit => {
    if (!current) throw new Error('useTestAudit(): no test is running');
    return current;
  };
  return {
    get audit() {
      return now().audit;
    },
    records: () => now().records(),
    metrics: () => now().metrics(),
    close: () => now().close(),
  };
}

/** A tracer (not registered globally) whose finished spans are kept in memory. */
export function testTracer(): { tracer: ReturnType<BasicTracerProvider['getTracer']>; spans: InMemorySpanExporter } {
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  return { tracer: provider.getTracer('instrumentation-test'), spans };
}

/** Event type, lead id and workflow of each record (seal excluded by the fixture). */
export function summaryOf(
  records: readonly ReadableLogRecord[],
): { type: unknown; lead: unknown; workflow: unknown }[] {
  return records.map((r) => {
    const a = contentOf(r).attrs;
    return {
      type: a['orchestrator.event.type'],
      lead: a['orchestrator.lead.id'],
      workflow: a['orchestrator.workflow'],
    };
  });
}
