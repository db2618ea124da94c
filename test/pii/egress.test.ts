/**
 * With compliance mode on, PII leaves the process through no door besides the log record body and
 * values: not as metric attribute values, span status or exception events of instrumented code,
 * keys (attribute keys, map keys, Map keys), event names, the text inside bytes, nor as the start
 * of a value cut at the length limits.
 */
import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { MAX_ID_LENGTH } from '../../src/events/sanitize.js';
import { instrument } from '../../src/instrumentation/instrument.js';
import { PiiAnonymizingProcessor } from '../../src/processors/pii/pii-processor.js';
import { testAudit, type TestAudit } from '../logger/fixture.js';
import { testTracer, useAsyncContext } from '../instrumentation/fixture.js';

const MAIL = 'carol.smith@example.com';
const CARD = '4111111111111111';
const IBAN = 'DE89370400440532013000';
/** The longest prefix of a planted value that may survive anywhere. */
const PREFIX = 12;

/** Every string inside `value` (keys included), and the decoded text of `base64:` strings. */
function textsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
    if (value.startsWith('base64:'))
      out.push(Buffer.from(value.slice(7).replace(/[^A-Za-z0-9+/=].*$/s, ''), 'base64').toString('utf8'));
  } else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) for (const v of value) textsOf(v, out);
  else if (value instanceof Map) for (const [k, v] of value) textsOf([k, v], out);
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) textsOf([k, v], out);
  return out;
}

/** Fails when any text holds `secret` or its first {@link PREFIX} characters. */
function expectAbsent(texts: readonly string[], secrets: readonly string[], where: string): void {
  for (const secret of secrets) {
    const prefix = secret.slice(0, PREFIX);
    const hit = texts.find((t) => t.includes(prefix));
    expect(hit, `${where}: ${JSON.stringify(prefix)} found in ${JSON.stringify(hit?.slice(0, 200))}`).to.equal(
      undefined,
    );
  }
}

/** The parsed JSON of a signed record's body (the signed content), or `undefined`. */
function jsonOf(body: unknown): unknown {
  try {
    return typeof body === 'string' ? JSON.parse(body) : undefined;
  } catch {
    return undefined;
  }
}

function metricTexts(rm: ResourceMetrics | undefined): string[] {
  const out: string[] = [];
  for (const scope of rm?.scopeMetrics ?? [])
    for (const m of scope.metrics) for (const p of m.dataPoints) textsOf(p.attributes, out);
  return out;
}

describe('PII egress: every way out is anonymized in compliance mode', function () {
  this.timeout(20000);
  let t: TestAudit;
  beforeEach(() => {
    t = testAudit();
    t.audit.enableComplianceMode({ anonymizePii: true });
  });
  afterEach(() => t.close());

  async function recordTexts(): Promise<string[]> {
    const out: string[] = [];
    for (const r of await t.records()) textsOf([r.eventName, r.body, jsonOf(r.body), r.attributes], out);
    return out;
  }

  it('metric attribute values: operation, error type, workflow, event type', async () => {
    t.audit.trackPerformance(`sync ${MAIL}`, 0.25, `wf ${IBAN}`);
    t.audit.logError(`bad ${CARD}`, 'failed', 'LEAD-1', `wf ${MAIL}`);
    t.audit.logEvent(`signup ${MAIL}`, { workflow: 'sales' });
    const texts = metricTexts(await t.metrics());
    expect(texts.some((s) => s.includes('[REDACTED:email]'))).to.equal(true, 'the series are still there, anonymized');
    expectAbsent(texts, [MAIL, CARD, IBAN], 'metrics');
    expectAbsent(await recordTexts(), [MAIL, CARD, IBAN], 'records');
  });

  it('logEvent event names, attribute keys, map keys and Map keys', async () => {
    t.audit.logEvent(`signup ${MAIL}`, { [`from ${MAIL}`]: 1, nested: { [CARD]: 'x' } });
    t.audit.logLeadIngested(
      'LEAD-2',
      'form',
      {
        byMail: new Map<unknown, unknown>([
          [MAIL, 'a'],
          [`iban ${IBAN}`, 'b'],
        ]),
      },
      'sales',
    );
    const records = await t.records();
    expect(records[0]?.eventName).to.equal('orchestrator.custom.signup [REDACTED:email]');
    const texts = await recordTexts();
    expectAbsent(texts, [MAIL, CARD, IBAN], 'records');
    // both Map members kept (under anonymized keys), nothing silently dropped
    const data = JSON.parse(String(records[1]?.body)).attrs['orchestrator.lead.data'];
    expect(Object.keys(data.byMail)).to.have.length(2);
  });

  it('two keys anonymized to the same text both keep their values', async () => {
    t.audit.logLeadIngested('LEAD-3', 'form', { [MAIL]: 1, ['bob@example.org']: 2 }, 'sales');
    const data = JSON.parse(String((await t.records())[0]?.body)).attrs['orchestrator.lead.data'];
    expect(Object.values(data).sort()).to.deep.equal([1, 2]);
  });

  it('Buffers and typed arrays: their text is scanned (base64 of the PII never stored)', async () => {
    t.audit.logLeadIngested(
      'LEAD-4',
      'upload',
      {
        doc: Buffer.from(`card ${CARD} mail ${MAIL}`),
        wide: new Uint16Array([...`iban ${IBAN}`].map((c) => c.charCodeAt(0))),
      },
      'sales',
    );
    const texts = await recordTexts();
    expectAbsent(texts, [MAIL, CARD, IBAN], 'records');
    expect(
      texts.some((s) => s.includes('[REDACTED:card]')),
      'decoded text anonymized',
    ).to.equal(true);
  });

  it('bytes emitted straight into the processor are scanned too', () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [new PiiAnonymizingProcessor(), new SimpleLogRecordProcessor({ exporter })],
    });
    provider
      .getLogger('t')
      .emit({ attributes: { raw: Buffer.from(`to ${MAIL}`), clean: Buffer.from('nothing here') } });
    const [rec] = exporter.getFinishedLogRecords();
    expect(Buffer.from(rec?.attributes['raw'] as Uint8Array).toString()).to.equal('to [REDACTED:email]');
    expect(Buffer.from(rec?.attributes['clean'] as Uint8Array).toString()).to.equal('nothing here');
  });

  it('a value straddling the 8,192-character cut leaves no prefix behind', async () => {
    for (const secret of [CARD, MAIL, IBAN, '4111 1111 1111 1111', '+44 20 7946 0958']) {
      // all but the last 3 characters of the value fall before the cut
      const text = 'x'.repeat(8192 - secret.length + 3 - 1) + ' ' + secret + ' tail';
      t.audit.logError('import', text, 'LEAD-5', 'sales', text);
      t.audit.logLeadIngested('LEAD-5', 'form', { note: text, list: [text] }, 'sales');
    }
    const texts = await recordTexts();
    expect(texts.some((s) => s.includes('…[truncated'))).to.equal(true, 'values were cut');
    expectAbsent(texts, [CARD, MAIL, IBAN, '4111 1111 1111 1111', '+44 20 7946 0958'], 'records');
  });

  it('an id straddling the 256-character id cut leaves no prefix behind', async () => {
    const id = 'L'.repeat(MAX_ID_LENGTH - 16) + ' ' + MAIL; // 15 characters of the address before the cut
    t.audit.logLeadQualified(id, true, 'ok', id);
    expectAbsent(await recordTexts(), [MAIL], 'records');
    expectAbsent(metricTexts(await t.metrics()), [MAIL], 'metrics');
  });

  it('record bodies are composed of anonymized parts (a value glued to ": reason" by the body text is still found)', async () => {
    const ip = '2001:db8:85a3::8a2e:370:7334';
    t.audit.logEmailCancelled(`LEAD ${ip}`, MAIL, 'unsubscribed', 'sales');
    t.audit.logError(`sync ${ip}`, 'timeout', 'LEAD-6', 'sales');
    const texts = await recordTexts();
    expect(texts.some((s) => s.includes('[REDACTED:ipv6]: unsubscribed'))).to.equal(true);
    expectAbsent(texts, [ip], 'records');
  });

  it('without compliance mode values pass unchanged', async () => {
    t.audit.enableComplianceMode({ anonymizePii: false });
    t.audit.trackPerformance(`sync ${MAIL}`, 0.25);
    expect(metricTexts(await t.metrics()).some((s) => s.includes(MAIL))).to.equal(true);
  });
});

describe('PII egress: spans of instrumented code', function () {
  this.timeout(20000);
  useAsyncContext();

  it('status message, exception event (message, stack) and workflow attribute are anonymized', async () => {
    const t = testAudit();
    t.audit.enableComplianceMode({ anonymizePii: true });
    const { tracer, spans } = testTracer();
    const steps = instrument(
      {
        async charge(lead: { id: string; wf: string }): Promise<void> {
          throw new Error(`card ${CARD} of ${MAIL} declined (lead ${lead.id})`);
        },
      },
      { charge: { event: 'charged', leadId: 'args.0.id', workflowFrom: 'args.0.wf' } },
      { audit: t.audit, tracer },
    );
    await steps.charge({ id: 'LEAD-9', wf: `billing ${IBAN}` }).catch(() => undefined);
    const [span] = spans.getFinishedSpans();
    expect(span?.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span?.status.message).to.contain('[REDACTED:card]');
    const exception = span?.events.find((e) => e.name === 'exception');
    expect(exception, 'exception event recorded').to.not.equal(undefined);
    expect(String(exception?.attributes?.['exception.stacktrace'])).to.contain('[REDACTED:email]');
    const texts = textsOf([
      span?.name,
      span?.status,
      span?.attributes,
      span?.events.map((e) => [e.name, e.attributes]),
    ]);
    expectAbsent(texts, [MAIL, CARD, IBAN], 'span');
    expectAbsent(
      (await t.records()).flatMap((r) => textsOf([r.body, jsonOf(r.body), r.attributes])),
      [MAIL, CARD, IBAN],
      'records',
    );
    await t.close();
  });
});
