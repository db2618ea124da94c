/**
 * Panel factories shared by the dashboards: every panel gets an explicit id, grid position,
 * datasource and targets whose expressions come from queries.ts (by query id).
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as text from '@grafana/grafana-foundation-sdk/text';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LOKI, PROMETHEUS } from './datasources.js';
import { dashboardQuery } from './queries.js';

/** One target: the query id (from queries.ts), and how to label/run it. */
export interface TargetSpec {
  /** Query id in queries.ts. */
  readonly query: string;
  /** Legend, e.g. `{{orchestrator_operation}}`. */
  readonly legend?: string;
  /** Instant query (tables, stats, funnels) instead of a range query. */
  readonly instant?: boolean;
  /** Prometheus result as a table (one row per series), for table panels. */
  readonly table?: boolean;
}

/** Places panels left to right on Grafana's 24-column grid, wrapping to new rows. */
export class GridLayout {
  private x = 0;
  private y = 0;
  private rowHeight = 0;
  private nextId = 1;

  /** Position of the next panel of width `w` and height `h`. */
  place(w: number, h: number): dashboard.GridPos {
    if (this.x + w > 24) this.newRow();
    const pos = { x: this.x, y: this.y, w, h };
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
    return pos;
  }

  /** Starts a new row of panels. */
  newRow(): void {
    if (this.x === 0) return;
    this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }

  /** A fresh panel id (unique within the dashboard). */
  id(): number {
    return this.nextId++;
  }
}

function refId(i: number): string {
  return String.fromCharCode(65 + i);
}

/** Prometheus targets of the given query ids. */
export function promTargets(specs: readonly TargetSpec[]): prometheus.DataqueryBuilder[] {
  return specs.map((s, i) => {
    const t = new prometheus.DataqueryBuilder().refId(refId(i)).datasource(PROMETHEUS).expr(dashboardQuery(s.query));
    if (s.legend !== undefined) t.legendFormat(s.legend);
    if (s.instant) t.instant();
    else t.range();
    if (s.table) t.format(prometheus.PromQueryFormat.Table);
    return t;
  });
}

/** Loki targets of the given query ids. */
export function lokiTargets(specs: readonly TargetSpec[]): loki.DataqueryBuilder[] {
  return specs.map((s, i) => {
    const t = new loki.DataqueryBuilder().refId(refId(i)).datasource(LOKI).expr(dashboardQuery(s.query));
    if (s.legend !== undefined) t.legendFormat(s.legend);
    if (s.instant) t.instant(true).range(false);
    return t;
  });
}

/** Common panel settings. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly w: number;
  readonly h: number;
  readonly targets: readonly TargetSpec[];
  readonly datasource?: 'prometheus' | 'loki';
  readonly unit?: string;
}

function legend(): common.VizLegendOptionsBuilder {
  return new common.VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(common.LegendDisplayMode.Table)
    .placement(common.LegendPlacement.Bottom)
    .calcs(['mean', 'max']);
}

/** Time series panel (range queries). */
export function timeSeriesPanel(
  layout: GridLayout,
  spec: PanelSpec & { stacked?: boolean; bars?: boolean },
): timeseries.PanelBuilder {
  const p = new timeseries.PanelBuilder()
    .id(layout.id())
    .title(spec.title)
    .description(spec.description)
    .gridPos(layout.place(spec.w, spec.h))
    .legend(legend())
    .unit(spec.unit ?? 'short');
  if (spec.stacked) p.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (spec.bars) p.drawStyle(common.GraphDrawStyle.Bars).fillOpacity(80);
  return withTargets(p, spec);
}

/** Single-value panel (instant queries, `lastNotNull`). */
export function statPanel(
  layout: GridLayout,
  spec: PanelSpec & { thresholds?: dashboard.Threshold[] },
): stat.PanelBuilder {
  const p = new stat.PanelBuilder()
    .id(layout.id())
    .title(spec.title)
    .description(spec.description)
    .gridPos(layout.place(spec.w, spec.h))
    .unit(spec.unit ?? 'short')
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  if (spec.thresholds) {
    p.thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(spec.thresholds),
    );
  }
  return withTargets(p, { ...spec, targets: spec.targets.map((t) => ({ ...t, instant: true })) });
}

/** Horizontal bar gauge (funnel), one bar per target, in target order. */
export function barGaugePanel(layout: GridLayout, spec: PanelSpec): bargauge.PanelBuilder {
  const p = new bargauge.PanelBuilder()
    .id(layout.id())
    .title(spec.title)
    .description(spec.description)
    .gridPos(layout.place(spec.w, spec.h))
    .unit(spec.unit ?? 'short')
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  return withTargets(p, { ...spec, targets: spec.targets.map((t) => ({ ...t, instant: true })) });
}

/** Table of instant-query results, optionally with a data link on one column. */
export function tablePanel(
  layout: GridLayout,
  spec: PanelSpec & { link?: { field: string; title: string; url: string } },
): table.PanelBuilder {
  const p = new table.PanelBuilder()
    .id(layout.id())
    .title(spec.title)
    .description(spec.description)
    .gridPos(layout.place(spec.w, spec.h))
    .unit(spec.unit ?? 'short')
    .transformations([{ id: 'merge', options: {} }]);
  if (spec.link) {
    p.overrideByName(spec.link.field, [
      { id: 'links', value: [{ title: spec.link.title, url: spec.link.url, targetBlank: false }] },
      { id: 'unit', value: 'string' },
    ]);
  }
  return withTargets(p, { ...spec, targets: spec.targets.map((t) => ({ ...t, instant: true, table: true })) });
}

/** Logs panel over a Loki log query (log details show the structured metadata, with derived-field links). */
export function logsPanel(layout: GridLayout, spec: Omit<PanelSpec, 'datasource' | 'unit'>): logs.PanelBuilder {
  const p = new logs.PanelBuilder()
    .id(layout.id())
    .title(spec.title)
    .description(spec.description)
    .gridPos(layout.place(spec.w, spec.h))
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .prettifyLogMessage(false)
    .sortOrder(common.LogsSortOrder.Descending);
  return withTargets(p, { ...spec, datasource: 'loki' });
}

/** Markdown text panel (explanations). */
export function textPanel(
  layout: GridLayout,
  title: string,
  w: number,
  h: number,
  markdown: string,
): text.PanelBuilder {
  return new text.PanelBuilder()
    .id(layout.id())
    .title(title)
    .gridPos(layout.place(w, h))
    .mode(text.TextMode.Markdown)
    .content(markdown);
}

interface TargetedPanel {
  datasource(ref: common.DataSourceRef): unknown;
  targets(t: cog.Builder<cog.Dataquery>[]): unknown;
}

function withTargets<P extends TargetedPanel>(p: P, spec: Pick<PanelSpec, 'targets' | 'datasource'>): P {
  if (spec.datasource === 'loki') {
    p.datasource(LOKI);
    p.targets(lokiTargets(spec.targets));
  } else {
    p.datasource(PROMETHEUS);
    p.targets(promTargets(spec.targets));
  }
  return p;
}
