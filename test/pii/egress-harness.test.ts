/**
 * The egress harness: everything that leaves the process — journal bytes (active, rotated and
 * gzipped segments), OTLP logs, metrics and traces on a loopback receiver, webhook bodies, alert
 * payloads (Slack, Discord and generic webhooks on loopback HTTP, e-mail on a loopback SMTP peer,
 * custom handlers), the CSV and JSON exports and the HTML report of `audit-cli` — captured while
 * every public helper and `instrument()`ed code are driven with planted PII (in values, keys,
 * Map keys, event names, ids, workflows, Buffers and typed arrays, Unicode variants, values
 * straddling the length cut). With compliance mode on, no planted value appears anywhere, not even
 * as a 12-character prefix. The same run with compliance mode off finds them on every channel,
 * so the capture sees what it checks.
 */
import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { instrument } from '../../src/instrumentation/instrument.js';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { startSmtpPeer } from '../alerts/smtp-peer.js';
import { cli, FIXTURE_KEY, FIXTURE_VERIFY_KEYS, tempDir } from '../cli/fixture.js';
import { useAsyncContext } from '../instrumentation/fixture.js';
import { decodeQuotedPrintable, startCapturePeer, textsOfPayload } from './egress-capture.js';
import { needlesOf, PLAIN_PLANTS, plantedText, sentenceOf, VARIANT_PLANTS, type Plant } from './egress-corpus.js';

/** Texts that left the process, by channel. */
type Captured = Map<string, string[]>;

const PLANTS: readonly Plant[] = [...PLAIN_PLANTS, ...VARIANT_PLANTS];
/** A few plants for the control run (it only shows that the capture sees every channel). */
const CONTROL_PLANTS: readonly Plant[] = PLAIN_PLANTS.slice(0, 3);

/** Drives every public helper and instrumented code with `plants`; returns what left the process. */
async function runEgress(compliance: boolean, plants: readonly Plant[]): Promise<Captured> {
  const { dir, cleanup } = await tempDir('audit-egress-');
  const peer = await startCapturePeer();
  const smtp = await startSmtpPeer();
  const handled: string[] = [];
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${peer.url}/v1/traces` }))],
  });
  const tracer = tracerProvider.getTracer('egress-harness');
  const file = path.join(dir, 'logs', 'audit.log');
  try {
    const audit = createAuditLogger({
      auditFile: file,
      maxFileSizeMb: 0.02, // rotation and gzip happen during the run
      flushIntervalMs: 20,
      signingKey: FIXTURE_KEY,
      signingKeyId: 'k1',
      env: {},
      sealIntervalMs: 0,
      otlp: { endpoint: peer.url, metricIntervalMs: 3_600_000 },
    });
    if (compliance) audit.enableComplianceMode({ anonymizePii: true });
    audit.addWebhook(`${peer.url}/hook`);
    audit.configureAlerts({
      slackWebhook: `${peer.url}/alert/slack`,
      discordWebhook: `${peer.url}/alert/discord`,
      webhook: `${peer.url}/alert/webhook`,
      emailConfig: {
        host: '127.0.0.1',
        port: smtp.port,
        ignoreTLS: true,
        from: 'audit@localhost',
        to: ['ops@localhost'],
      },
      errorThreshold: 1,
      cooldownSeconds: 0,
    });
    audit.alertHandlers.push((message) => void handled.push(message));
    const steps = instrument(
      {
        async enrich(lead: { id: string; wf: string; email: string }): Promise<string> {
          return `enriched ${lead.email}`;
        },
        async charge(lead: { id: string; wf: string; email: string }): Promise<void> {
          throw new Error(`card declined for ${lead.email} (lead ${lead.id})`);
        },
      },
      {
        enrich: {
          event: 'lead_enriched',
          leadId: 'args.0.id',
          workflowFrom: 'args.0.wf',
          fields: { contact: 'args.0.email', result: 'result' },
          operation: 'enrich',
        },
        charge: { event: 'charged', leadId: 'args.0.id', workflowFrom: 'args.0.wf', operation: 'charge' },
      },
      { audit, tracer },
    );

    const all = sentenceOf(plants);
    for (const [i, p] of plants.entries()) {
      const v = plantedText(p);
      const lead = `LEAD-${i} ${v}`;
      const wf = `wf ${v}`;
      audit.logWorkflowStarted(wf);
      audit.logLeadIngested(
        lead,
        `form ${v}`,
        {
          email: v,
          note: `from ${v}`,
          [`key ${v}`]: 1,
          byMail: new Map<unknown, unknown>([[`mk ${v}`, v]]),
          doc: Buffer.from(`scan of ${v}`),
          wide: new Uint16Array([...`wide ${v}`].map((c) => c.charCodeAt(0))),
          nested: { list: [{ text: all }] },
        },
        wf,
      );
      audit.logLeadQualified(lead, false, `reason ${v}`, wf);
      audit.logLeadRouted(lead, `dest ${v}`, `cond ${v}`, wf);
      audit.logCrmCreate(lead, `crm ${v}`, `type ${v}`, wf);
      audit.logCrmUpdate(lead, `crm ${v}`, { [`field ${v}`]: v, phone: v }, wf);
      audit.logEmailSent(lead, v, `subject ${v}`, 1, wf);
      audit.logEmailScheduled(lead, v, 3, wf);
      audit.logEmailCancelled(lead, v, `why ${v}`, wf);
      audit.logError(
        `type ${v}`,
        `failed for ${v}`,
        lead,
        wf,
        `Error: failed for ${v}\n    at charge (file:///app/steps.js:12:5)`,
      );
      audit.logEvent(`signup ${v}`, { leadId: lead, workflow: wf, [`k ${v}`]: v });
      audit.trackPerformance(`sync ${v}`, 0.01 * (i + 1), wf);
      audit.track(`call ${v}`, () => i, wf);
      // the value straddles the 8,192-character cut: all but its last 3 characters fall before it
      const long = 'x'.repeat(8192 - v.length + 3 - 1) + ' ' + v + ' tail';
      audit.logError('import', long, lead, wf, long);
      audit.logLeadIngested(lead, 'bulk', { note: long }, wf);
      await steps.enrich({ id: lead, wf, email: v });
      await steps.charge({ id: lead, wf, email: v }).catch(() => undefined);
      audit.logWorkflowStopped(wf, `stopped after ${v}`);
    }
    await audit.forceFlush();
    await smtp.waitForMail(1, 10_000);
    await audit.shutdown();
    await tracerProvider.forceFlush();

    const captured: Captured = new Map();
    const add = (channel: string, texts: string[]): void =>
      void captured.set(channel, [...(captured.get(channel) ?? []), ...texts]);
    const segments = await readdir(path.dirname(file));
    expect(
      segments.some((s) => s.endsWith('.gz')),
      `rotated gzip segments in ${segments.join(', ')}`,
    ).to.equal(true);
    for (const name of segments) {
      const bytes = await readFile(path.join(path.dirname(file), name));
      add(
        name.endsWith('.gz') ? 'journal (gzip)' : 'journal',
        textsOfPayload((name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')),
      );
    }
    for (const [channel, prefix] of [
      ['otlp logs', '/v1/logs'],
      ['otlp metrics', '/v1/metrics'],
      ['otlp traces', '/v1/traces'],
      ['webhook', '/hook'],
      ['alert slack', '/alert/slack'],
      ['alert discord', '/alert/discord'],
      ['alert webhook', '/alert/webhook'],
    ] as const) {
      add(channel, peer.bodies(prefix).flatMap(textsOfPayload));
    }
    add(
      'alert email',
      smtp.mails.map((m) => decodeQuotedPrintable(m.raw)),
    );
    add('alert handler', handled);

    const env = { AUDIT_VERIFY_KEYS: FIXTURE_VERIFY_KEYS };
    for (const format of ['csv', 'json'] as const) {
      const out = path.join(dir, `export.${format}`);
      const r = await cli(['--file', file, 'export', '--format', format, '--output', out], env);
      expect(r.code, r.stderr).to.equal(0);
      add(`export ${format}`, textsOfPayload(await readFile(out, 'utf8')));
    }
    const html = path.join(dir, 'report.html');
    const report = await cli(['--file', file, 'report', '--daily', '--output', html], env);
    expect(report.code, report.stderr).to.equal(0);
    add('html report', [await readFile(html, 'utf8')]);
    await smtp.close();
    return captured;
  } finally {
    await tracerProvider.shutdown().catch(() => undefined);
    await peer.close();
    await smtp.close().catch(() => undefined);
    await cleanup();
  }
}

/** `[channel, needle, excerpt]` of every needle of `plants` found in `captured`. */
function leaksOf(captured: Captured, plants: readonly Plant[]): [string, string, string][] {
  const leaks: [string, string, string][] = [];
  for (const [channel, texts] of captured) {
    for (const plant of plants) {
      for (const needle of needlesOf(plant)) {
        const hit = texts.find((t) => t.includes(needle));
        if (hit === undefined) continue;
        const at = hit.indexOf(needle);
        leaks.push([channel, needle, hit.slice(Math.max(0, at - 40), at + needle.length + 20)]);
        break;
      }
    }
  }
  return leaks;
}

function leakReport(leaks: readonly [string, string, string][]): string {
  return leaks.map(([c, n, x]) => `${c}: ${JSON.stringify(n)} in …${JSON.stringify(x)}…`).join('\n');
}

const CHANNELS = [
  'journal',
  'journal (gzip)',
  'otlp logs',
  'otlp metrics',
  'otlp traces',
  'webhook',
  'alert slack',
  'alert discord',
  'alert webhook',
  'alert email',
  'alert handler',
  'export csv',
  'export json',
  'html report',
];

describe('PII egress harness: nothing planted leaves the process in compliance mode', function () {
  this.timeout(60_000);
  useAsyncContext();

  let captured: Captured;
  before(async () => {
    captured = await runEgress(true, PLANTS);
  });

  it('every channel captured something, the journal holds anonymized values', () => {
    for (const channel of CHANNELS)
      expect(captured.get(channel)?.length ?? 0, `${channel} captured something`).to.be.greaterThan(0);
    const journal = [...(captured.get('journal') ?? []), ...(captured.get('journal (gzip)') ?? [])];
    expect(
      journal.some((t) => t.includes('[REDACTED:')),
      'the journal holds anonymized values',
    ).to.equal(true);
  });

  it('no planted e-mail, card, IBAN, phone or IP, nor its 12-character prefix, on any channel', () => {
    const leaks = leaksOf(captured, PLAIN_PLANTS);
    expect(leaks, leakReport(leaks)).to.deep.equal([]);
  });

  it('no fullwidth, zero-width or NBSP-separated value, nor an SSN after its cue, either', () => {
    const leaks = leaksOf(captured, VARIANT_PLANTS);
    expect(leaks, leakReport(leaks)).to.deep.equal([]);
  });

  it('control: with compliance mode off the same capture finds the planted values on every channel', async () => {
    const captured = await runEgress(false, CONTROL_PLANTS);
    const leaks = leaksOf(captured, CONTROL_PLANTS);
    for (const channel of CHANNELS)
      expect(
        leaks.some(([c]) => c === channel),
        `${channel} shows planted values`,
      ).to.equal(true);
  });
});
