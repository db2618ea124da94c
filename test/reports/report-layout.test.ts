/**
 * Report layout with hostile record content in headless Chromium: very long unbroken lead ids,
 * workflow names, error types and operation names must not widen the page beyond the viewport
 * or push chart labels out of their chart, and stay readable as text.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import type { AuditEvent } from '../../src/query/types.js';
import { ev } from './report-events.js';
import { renderReportHtml } from '../../src/reports/html.js';
import { reportDataOf } from '../../src/reports/report-data.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];

/** 256 characters without a break opportunity (the PII processor's id limit). */
const LONG = 'A'.repeat(250) + '<b>"x';
const LONG_OP = 'op.' + 'W'.repeat(253);

describe('HTML report layout with very long record values (Chromium)', function () {
  this.timeout(60000);
  let browser: Browser;
  let dir: string;

  before(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: install the Debian package (apt-get install chromium)`);
    dir = await mkdtemp(path.join(os.tmpdir(), 'audit-report-layout-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the page within the viewport and latency labels inside their chart', async () => {
    const now = new Date('2026-02-04T15:30:00.000Z');
    const t = '2026-02-04T15:00:00.000Z';
    const events = [
      ev('lead_ingested', t, { leadId: LONG, workflow: LONG }),
      ev('error', t, {
        leadId: LONG,
        workflow: LONG,
        attrs: { 'orchestrator.error.type': LONG, 'orchestrator.error.message': LONG },
      }),
      ev('performance', t, {
        workflow: LONG,
        attrs: { 'orchestrator.operation': LONG_OP, 'orchestrator.duration_s': 0.2 },
      }),
      ev('performance', t, { attrs: { 'orchestrator.operation': 'short', 'orchestrator.duration_s': 0.1 } }),
    ];
    const file = path.join(dir, 'daily.html');
    await writeFile(
      file,
      renderReportHtml(reportDataOf(events, { period: 'daily', now, source: `journal /logs/${LONG}` })),
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('html[data-charts="rendered"]', { timeout: 10000 });
      expect(problems).to.deep.equal([]);
      const layout = await page.$eval('html', (html) => ({
        scrollWidth: html.scrollWidth,
        clientWidth: html.clientWidth,
        tooWide: [...html.querySelectorAll('section')]
          .filter((s) => s.scrollWidth > s.clientWidth + 1)
          .map((s) => s.id),
      }));
      expect(layout.tooWide, 'sections wider than their box').to.deep.equal([]);
      expect(layout.scrollWidth).to.be.at.most(layout.clientWidth, 'page wider than the viewport');

      // the long operation name is cut with an ellipsis, starts inside the chart, full name as tooltip
      const labels = await page.$$eval('#chart-latency text.latency-label', (els) =>
        els.map((e) => {
          const svg = e.closest('svg')!.getBoundingClientRect();
          const box = e.getBoundingClientRect();
          return {
            left: box.left - svg.left,
            shown: e.firstChild?.textContent ?? '',
            title: e.querySelector('title')?.textContent ?? '',
          };
        }),
      );
      expect(labels).to.have.length(2);
      const long = labels.find((l) => l.title === LONG_OP);
      expect(long, 'label with the full name as tooltip').to.not.equal(undefined);
      expect(long!.left).to.be.at.least(0);
      expect(long!.shown).to.match(/^op\.W+…$/);
      expect(labels.find((l) => l.title === 'short')!.shown).to.equal('short');
      // the content is still all there, as text
      expect(await page.textContent('#errors-table td.msg')).to.equal(LONG);
    } finally {
      await page.close();
    }
  });

  it('funnel bars and the funnel table show the same percentages (199 of 200 is 99.5 %, not 100 %)', async () => {
    const now = new Date('2026-02-04T15:30:00.000Z');
    const t = '2026-02-04T15:00:00.000Z';
    const events: AuditEvent[] = [];
    for (let i = 0; i < 200; i++) {
      const leadId = `LEAD-${String(i).padStart(5, '0')}`;
      events.push(ev('lead_ingested', t, { leadId }), ev('lead_qualified', t, { leadId }));
      if (i < 199) events.push(ev('lead_routed', t, { leadId }));
      if (i < 1) events.push(ev('email_sent', t, { leadId }));
    }
    const file = path.join(dir, 'funnel.html');
    await writeFile(
      file,
      renderReportHtml(reportDataOf(events, { period: 'daily', now, source: 'journal logs/audit.log' })),
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('html[data-charts="rendered"]', { timeout: 10000 });
      const bars = await page.$$eval('#chart-funnel text.funnel-value', (els) => els.map((e) => e.textContent));
      const table = await page.$$eval('#funnel-table tbody tr', (rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
      );
      expect(table.map(([, leads, share]) => `${leads} (${share})`)).to.deep.equal(bars);
      expect(bars).to.deep.equal(['200 (100%)', '200 (100%)', '199 (99.5%)', '0 (0%)', '1 (0.5%)']);
    } finally {
      await page.close();
    }
  });
});
