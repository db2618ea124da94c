/**
 * Report computation and rendering without a browser: window and buckets, funnel rules,
 * escaping of record content, and a page with no external resource.
 */
import { expect } from 'chai';
import { ev } from './report-events.js';
import { escapeHtml, jsonForScript } from '../../src/reports/escape.js';
import { formatShare, funnelOf } from '../../src/reports/funnel.js';
import { periodWindow, reportDataOf } from '../../src/reports/report-data.js';
import { renderReportHtml } from '../../src/reports/html.js';

describe('report data and HTML', () => {
  const now = new Date('2026-02-04T15:30:45.000Z');

  it('daily = the 24 whole hours up to the current one; weekly = 7 whole UTC days', () => {
    const d = periodWindow('daily', now);
    expect([d.from.toISOString(), d.to.toISOString(), d.buckets]).to.deep.equal([
      '2026-02-03T16:00:00.000Z',
      '2026-02-04T16:00:00.000Z',
      24,
    ]);
    const w = periodWindow('weekly', now);
    expect([w.from.toISOString(), w.to.toISOString(), w.buckets]).to.deep.equal([
      '2026-01-29T00:00:00.000Z',
      '2026-02-05T00:00:00.000Z',
      7,
    ]);
  });

  it('puts events in their hour, drops events outside the window, and counts errors per bucket', () => {
    const events = [
      ev('lead_ingested', '2026-02-03T15:59:59.999Z'), // before the window
      ev('lead_ingested', '2026-02-03T16:00:00.000Z', { leadId: 'A' }), // first bucket
      ev('error', '2026-02-04T15:00:00.000Z', {
        attrs: { 'orchestrator.error.type': 'X', 'orchestrator.error.message': 'boom' },
        leadId: 'A',
      }),
      ev('performance', '2026-02-04T15:10:00.000Z', {
        attrs: { 'orchestrator.operation': 'op', 'orchestrator.duration_s': 0.5 },
      }),
      ev('lead_ingested', '2026-02-04T16:00:00.000Z'), // at the exclusive end
    ];
    const data = reportDataOf(events, { period: 'daily', now, source: 'test' });
    expect(data.timeline[0]).to.include({ start: '2026-02-03T16:00:00.000Z', label: '16:00', events: 1, errors: 0 });
    expect(data.timeline[23]).to.include({ label: '15:00', events: 2, errors: 1 });
    expect(data.totals).to.deep.equal({ events: 3, leads: 1, errors: 1, workflows: 0, operations: 1 });
    expect(data.errors).to.deep.equal([
      { ts: '2026-02-04T15:00:00.000Z', errorType: 'X', message: 'boom', leadId: 'A' },
    ]);
    expect(data.latency.op).to.include({ count: 1, p95: 0.5 });
  });

  it('funnel counts only leads of the window, like the totals', () => {
    const data = reportDataOf(
      [
        ev('lead_ingested', '2026-02-03T15:59:59.999Z', { leadId: 'BEFORE' }),
        ev('lead_ingested', '2026-02-04T10:00:00.000Z', { leadId: 'IN' }),
        ev('email_sent', '2026-02-04T16:00:00.000Z', { leadId: 'AFTER' }),
      ],
      { period: 'daily', now, source: 'test' },
    );
    expect(data.totals.leads).to.equal(1);
    expect(data.funnel.map((s) => [s.key, s.leads])).to.deep.equal([
      ['ingested', 1],
      ['qualified', 0],
      ['routed', 0],
      ['crm', 0],
      ['email_sent', 0],
    ]);
  });

  it('funnel counts distinct leads per stage; a lead qualified=false does not pass qualification', () => {
    const t = '2026-02-04T10:00:00.000Z';
    const f = funnelOf([
      ev('lead_ingested', t, { leadId: 'A' }),
      ev('lead_ingested', t, { leadId: 'A' }),
      ev('lead_ingested', t, { leadId: 'B' }),
      ev('lead_qualified', t, { leadId: 'A', attrs: { 'orchestrator.lead.qualified': true } }),
      ev('lead_qualified', t, { leadId: 'B', attrs: { 'orchestrator.lead.qualified': false } }),
      ev('lead_routed', t, { leadId: 'A' }),
      ev('crm_update', t, { leadId: 'A' }),
      ev('email_sent', t, { leadId: 'A' }),
      ev('email_sent', t, { leadId: 'A' }),
    ]);
    expect(f.map((s) => [s.key, s.leads, s.ofIngested])).to.deep.equal([
      ['ingested', 2, 1],
      ['qualified', 1, 0.5],
      ['routed', 1, 0.5],
      ['crm', 1, 0.5],
      ['email_sent', 1, 0.5],
    ]);
  });

  it('funnel shares never round to a bound they do not reach', () => {
    expect([1, 199 / 200, 1999 / 2000, 0.5, 1 / 3, 1 / 10_000, 0].map(formatShare)).to.deep.equal([
      '100%',
      '99.5%',
      '>99.9%',
      '50.0%',
      '33.3%',
      '<0.1%',
      '0%',
    ]);
  });

  it('escapes markup in text and script-closing sequences in embedded JSON', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const json = jsonForScript({ s: '</script><!-- \u2028 &' });
    expect(json).to.not.match(/[<>&\u2028]/);
    expect(JSON.parse(json)).to.deep.equal({ s: '</script><!-- \u2028 &' });
  });

  it('renders a page that loads nothing external and carries record content only escaped', () => {
    const evil = '<img src=x onerror=alert(1)></script>';
    const data = reportDataOf(
      [
        ev('error', '2026-02-04T15:00:00.000Z', {
          leadId: evil,
          workflow: evil,
          attrs: {
            'orchestrator.error.type': evil,
            'orchestrator.error.message': evil,
            'orchestrator.operation': evil,
          },
        }),
      ],
      { period: 'daily', now, source: evil },
    );
    const html = renderReportHtml(data);
    expect(html).to.not.contain('<img');
    expect(html).to.contain('&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;');
    expect(html.match(/<\/script>/g)).to.have.length(2, 'only the two script elements of the page close');
    expect(html).to.not.match(/\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).to.contain(`content="default-src 'none'`);
  });
});
