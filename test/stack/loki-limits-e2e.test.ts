/**
 * @e2e The largest records the SDK allows (every string at the sanitizer's maxStringLength in 3-byte
 * UTF-8 characters, maps at maxItems leaves or at the maxBytes budget) go through the real
 * collector to the loopback OTLP receiver; each one that arrives is then mapped the way Loki's OTLP
 * ingestion maps it, under loki/loki-config.yaml's otlp_config, and held to its limits (line size,
 * structured-metadata entries and bytes; rules and upstream files in test/stack/loki-rules.ts).
 * Under Loki's default otlp_config the same records are refused: the check finds that defect.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createAuditLogger } from '../../src/logger/default-logger.js';
import { DEFAULT_SANITIZE_LIMITS } from '../../src/events/sanitize.js';
import { readYaml } from '../grafana/repo-files.js';
import {
  byteSize,
  entryRefusals,
  lokiEntryOf,
  LOKI_DEFAULTS,
  type EffectiveLimits,
  type OtlpConfig,
} from './loki-rules.js';
import { OtlpLogReceiver } from './otlp-log-receiver.js';
import { assertReachable, stackEnv } from './stack-env.js';

const KEY = randomBytes(32).toString('base64');
/** A character of 3 UTF-8 bytes and 1 UTF-16 unit: the most bytes per counted unit. */
const WIDE = '€';
const MAX_TEXT = WIDE.repeat(DEFAULT_SANITIZE_LIMITS.maxStringLength);
const MAX_ID = 'L'.repeat(256);

/** A map with maxItems leaves (short values): the most structured-metadata entries. */
function widestMap(): Record<string, string> {
  return Object.fromEntries(Array.from({ length: DEFAULT_SANITIZE_LIMITS.maxItems }, (_, i) => [`k${i}`, `v${i}`]));
}

/** A character JSON escapes to 6 bytes (`\u0001`): the most bytes in the log line per counted unit. */
const ESCAPED = '\u0001';

/** A map that fills the maxBytes budget with `ch`: the most bytes. */
function heaviestMap(ch = WIDE): Record<string, string> {
  const each = 4000;
  const n = Math.floor(DEFAULT_SANITIZE_LIMITS.maxBytes / each) + 1;
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`field_${i}`, ch.repeat(each)]));
}

describe('@e2e Loki limits: the SDK’s largest records through the real collector, held to loki/loki-config.yaml', function () {
  this.timeout(60_000);
  const env = stackEnv();
  const receiver = new OtlpLogReceiver(env.logReceiverPort);
  const lokiConfig = readYaml('loki/loki-config.yaml') as {
    limits_config: Record<string, unknown> & { otlp_config?: OtlpConfig };
  };
  const lc = lokiConfig.limits_config;
  const limits: EffectiveLimits = {
    maxLineSizeBytes: byteSize(lc.max_line_size, LOKI_DEFAULTS.maxLineSizeBytes),
    maxStructuredMetadataSizeBytes: byteSize(
      lc.max_structured_metadata_size,
      LOKI_DEFAULTS.maxStructuredMetadataSizeBytes,
    ),
    maxStructuredMetadataEntries: Number(
      lc.max_structured_metadata_entries_count ?? LOKI_DEFAULTS.maxStructuredMetadataEntries,
    ),
  };

  before(async () => {
    await assertReachable('collector health check', env.collectorHealthUrl);
    await receiver.start();
  });
  after(async () => receiver.stop());

  it('every record fits Loki’s line and structured-metadata limits; under Loki’s default otlp_config the map records do not', async () => {
    const service = `e2e-loki-limits-${randomBytes(4).toString('hex')}`;
    const logger = createAuditLogger({
      signingKey: KEY,
      signingKeyId: 'e2e',
      serviceName: service,
      otlp: { endpoint: env.collectorOtlpUrl, metrics: false },
      sealIntervalMs: 0,
      sealEveryRecords: 0,
    });
    const cases: [string, () => void][] = [
      ['lead, widest data', () => logger.logLeadIngested(MAX_ID, MAX_TEXT, widestMap(), MAX_ID)],
      ['lead, heaviest data', () => logger.logLeadIngested(MAX_ID, MAX_TEXT, heaviestMap(), MAX_ID)],
      [
        'lead, heaviest data in escaped characters',
        () =>
          logger.logLeadIngested(
            MAX_ID,
            ESCAPED.repeat(DEFAULT_SANITIZE_LIMITS.maxStringLength),
            heaviestMap(ESCAPED),
            MAX_ID,
          ),
      ],
      ['crm update, widest fields', () => logger.logCrmUpdate(MAX_ID, MAX_ID, widestMap(), MAX_ID)],
      ['crm update, heaviest fields', () => logger.logCrmUpdate(MAX_ID, MAX_ID, heaviestMap(), MAX_ID)],
      [
        'custom event, widest fields',
        () => logger.logEvent('custom_big', { leadId: MAX_ID, workflow: MAX_ID, ...widestMap() }),
      ],
      [
        'custom event, heaviest fields',
        () => logger.logEvent('custom_big', { leadId: MAX_ID, workflow: MAX_ID, ...heaviestMap() }),
      ],
      ['error, longest message and traceback', () => logger.logError(MAX_ID, MAX_TEXT, MAX_ID, MAX_ID, MAX_TEXT)],
      ['email, longest subject', () => logger.logEmailSent(MAX_ID, MAX_TEXT, MAX_TEXT, 1, MAX_ID)],
      ['qualification, longest reason', () => logger.logLeadQualified(MAX_ID, true, MAX_TEXT, MAX_ID)],
      ['routing, longest condition', () => logger.logLeadRouted(MAX_ID, MAX_TEXT, MAX_TEXT, MAX_ID)],
    ];
    for (const [, log] of cases) log();
    await logger.shutdown();
    // inputs past the budget are cut by the sanitizer (that is what makes them the largest allowed); nothing else failed
    const failures = logger.getDiagnostics().failures as readonly { kind: string }[];
    expect(
      failures.filter((f) => f.kind !== 'sanitize.truncated'),
      JSON.stringify(failures),
    ).to.deep.equal([]);

    const expected = cases.length + 1; // + the shutdown seal
    await receiver.waitFor(
      () => receiver.logs.filter((l) => l.resource['service.name'] === service).length >= expected,
      30_000,
      `${expected} records at the receiver`,
    );
    const arrived = receiver.logs.filter((l) => l.resource['service.name'] === service);
    expect(arrived).to.have.length(expected);

    const refusedByDefault: string[] = [];
    let largestLine = 0;
    let largestSm = 0;
    for (const rec of arrived) {
      const line = rec.body ?? '';
      const what = `seq ${rec.attributes['audit.seq']} (${rec.attributes['orchestrator.event.type']})`;
      const shape = lokiEntryOf(rec.otlp, lc.otlp_config);
      expect(entryRefusals(line, shape, limits), what).to.deep.equal([]);
      expect(shape.labels.map((l) => l.name).sort(), what).to.deep.equal(['service_name']);
      largestLine = Math.max(largestLine, Buffer.byteLength(line));
      largestSm = Math.max(largestSm, shape.structuredMetadata.length);
      if (entryRefusals(line, lokiEntryOf(rec.otlp, undefined), limits).length > 0)
        refusedByDefault.push(String(rec.attributes['orchestrator.event.type']));
    }
    // the records carry what was logged (the maps are in the signed line, not lost)
    expect(arrived.some((l) => (l.body ?? '').includes('"k999"'))).to.equal(true);
    // Loki's default otlp_config (maps as one entry per leaf) refuses all six map records:
    expect(refusedByDefault.sort()).to.deep.equal([
      'crm_update',
      'crm_update',
      'custom_big',
      'custom_big',
      'lead_ingested',
      'lead_ingested',
      'lead_ingested',
    ]);
    console.log(
      `      largest line ${largestLine} B of ${limits.maxLineSizeBytes}; most structured-metadata entries ${largestSm} of ${limits.maxStructuredMetadataEntries}`,
    );
  });
});
