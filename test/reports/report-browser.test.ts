/**
 * The HTML reports in a real headless Chromium (Debian `chromium` + playwright-core): generated
 * by `audit-cli report` from a real journal, loaded from file://, they render their charts with
 * no console or page errors and no network, show the journal's figures, and do not execute or
 * render markup from record content. Screenshots are kept in test-artifacts/.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cli, FIXTURE_ENV, tempDir, writeFixtureJournal, type FixtureExpectations } from '../cli/fixture.js';

/** Chromium installed by the Debian package. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

/** Record content that would inject markup and script if it were not escaped. */
const PAYLOAD = `</script><img src=x onerror="window.__pwned=1"><b id="injected">bold</b> & "q" 'a' <!--`;

interface LoadedPage {
  readonly page: Page;
  readonly problems: string[];
  readonly requests: string[];
}

describe('HTML reports in headless Chromium', function () {
  this.timeout(60000);
  let browser: Browser;
  let cleanup: () => Promise<void>;
  let dir: string;
  let expected: FixtureExpectations;
  const now = new Date();

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install the Debian package (apt-get install chromium) to run the report tests`,
      );
    }
    ({ dir, cleanup } = await tempDir('audit-report-test-'));
    const file = path.join(dir, 'logs', 'audit.log');
    expected = await writeFixtureJournal(file, {
      leads: 24,
      now,
      maxFileSizeMb: 0.004,
      errorMessage: (i) => `${PAYLOAD} #${i}`,
    });
    const r = await cli(['--file', file, 'report', '--output', path.join(dir, 'reports'), '--json'], FIXTURE_ENV, {
      now: () => now,
    });
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    expect(out.reports.map((x: { period: string }) => x.period)).to.deep.equal(['daily', 'weekly']);
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await cleanup?.();
  });

  async function load(name: string): Promise<LoadedPage> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(path.join(dir, 'reports', name)).href, { waitUntil: 'load' });
    await page.waitForSelector('html[data-charts="rendered"]', { timeout: 10000 });
    return { page, problems, requests };
  }

  it('daily report: loads cleanly, draws its charts, and its figures match the journal', async () => {
    const { page, problems, requests } = await load('daily_audit_report.html');
    try {
      expect(problems).to.deep.equal([]);
      expect(requests.every((u) => u.startsWith('file://'))).to.equal(true, `network requests: ${requests.join(', ')}`);

      // events over time: 24 hourly buckets, bar heights add up to every event of the window
      const bars = await page.$$eval('#chart-timeline rect.bar.bar-events', (els) =>
        els.map((e) => Number(e.getAttribute('data-count'))),
      );
      const errBars = await page.$$eval('#chart-timeline rect.bar.bar-errors', (els) =>
        els.map((e) => Number(e.getAttribute('data-count'))),
      );
      expect(bars).to.have.length(24);
      expect(bars.reduce((a, b) => a + b, 0) + errBars.reduce((a, b) => a + b, 0)).to.equal(expected.totalEvents);
      expect(errBars.reduce((a, b) => a + b, 0)).to.equal(expected.errors);
      const drawn = await page.$$eval(
        '#chart-timeline rect.bar.bar-events',
        (els) => els.filter((e) => e.getBoundingClientRect().height > 1).length,
      );
      expect(drawn).to.be.greaterThan(5, 'bars have a visible height');

      // funnel: five stages with the journal's distinct lead counts, in chart and table
      const funnel = await page.$$eval('#chart-funnel rect.funnel-bar', (els) =>
        els.map((e) => [e.getAttribute('data-stage'), Number(e.getAttribute('data-leads'))]),
      );
      expect(funnel).to.deep.equal([
        ['ingested', expected.funnel[0]],
        ['qualified', expected.funnel[1]],
        ['routed', expected.funnel[2]],
        ['crm', expected.funnel[3]],
        ['email_sent', expected.funnel[4]],
      ]);
      const funnelTable = await page.$$eval('#funnel-table tbody tr td:nth-child(2)', (tds) =>
        tds.map((t) => Number(t.textContent)),
      );
      expect(funnelTable).to.deep.equal(expected.funnel);

      // latency: p50/p95/p99/max bars for each of the two operations, and the table
      expect(await page.$$eval('#chart-latency rect.latency-bar', (els) => els.length)).to.equal(2 * 4);
      const ops = await page.$$eval('#latency-table tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
      expect(ops).to.deep.equal(['crm_sync', 'email_send']);

      // totals
      expect(await page.textContent('#kpi-events .value')).to.equal(String(expected.totalEvents));
      expect(await page.textContent('#kpi-leads .value')).to.equal(String(expected.leads));
      expect(await page.textContent('#kpi-errors .value')).to.equal(String(expected.errors));

      // errors table: every error, content shown as text, nothing injected
      const messages = await page.$$eval('#errors-table tbody tr td.msg', (tds) => tds.map((t) => t.textContent));
      expect(messages).to.have.length(expected.errors);
      expect(messages).to.deep.equal([...expected.errorMessages].reverse());
      expect(await page.$$eval('img', (els) => els.length)).to.equal(0);
      expect(await page.$('#injected')).to.equal(null);
      expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).to.equal(undefined);

      // integrity: the whole journal verified clean, with the verifier's figures
      expect(await page.textContent('#integrity-status')).to.equal('clean');
      const integrityRows = await page.$$eval('#integrity-totals tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
      expect(integrityRows).to.deep.include(
        ['Records verified', String(expected.totalEvents + 1)],
        'every record plus the shutdown seal',
      );
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-daily.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('weekly report: seven daily buckets holding every event', async () => {
    const { page, problems } = await load('weekly_audit_report.html');
    try {
      expect(problems).to.deep.equal([]);
      const bars = await page.$$eval('#chart-timeline rect.bar.bar-events', (els) =>
        els.map((e) => Number(e.getAttribute('data-count'))),
      );
      const errBars = await page.$$eval('#chart-timeline rect.bar.bar-errors', (els) =>
        els.map((e) => Number(e.getAttribute('data-count'))),
      );
      expect(bars).to.have.length(7);
      expect(bars.reduce((a, b) => a + b, 0) + errBars.reduce((a, b) => a + b, 0)).to.equal(expected.totalEvents);
      expect(await page.$$eval('#chart-funnel rect.funnel-bar', (els) => els.length)).to.equal(5);
      expect(await page.title()).to.match(/^Weekly audit report/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-weekly.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
