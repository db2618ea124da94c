/** The inline stylesheet of reports (no external fonts or assets). */
export const REPORT_CSS = `
:root { --fg:#1d2433; --muted:#5b6475; --bg:#f5f7fb; --card:#fff; --line:#e3e7ef; --blue:#3366cc; --red:#d93f3f; --green:#2e9d5b; --amber:#d08a00; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif; color:var(--fg); background:var(--bg); }
header { padding:24px 32px 8px; }
header h1 { margin:0 0 4px; font-size:24px; }
header p { margin:0; color:var(--muted); }
main { padding:8px 32px 32px; display:grid; gap:16px; grid-template-columns: repeat(12, 1fr); }
section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:16px 20px; grid-column: span 12; min-width:0; }
section.half { grid-column: span 6; }
@media (max-width: 1000px) { section.half { grid-column: span 12; } }
h2 { font-size:16px; margin:0 0 12px; }
.kpis { display:grid; grid-template-columns:repeat(auto-fit,minmax(150px,1fr)); gap:12px; }
.kpi { border:1px solid var(--line); border-radius:6px; padding:10px 14px; }
.kpi .value { font-size:26px; font-weight:600; }
.kpi .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.msg { word-break: break-word; }
/* record content (ids, workflow names, error types) can be one long unbroken word: wrap it anywhere
   so a table never grows wider than its section */
td:not(.num), header p { overflow-wrap: anywhere; }
.muted { color:var(--muted); }
.badge { display:inline-block; padding:2px 10px; border-radius:12px; font-weight:600; font-size:13px; }
.status-clean { background:#e3f5ea; color:var(--green); }
.status-unsealed { background:#fff3d6; color:var(--amber); }
.status-tampered { background:#fde4e4; color:var(--red); }
.status-unknown { background:#eceff4; color:var(--muted); }
svg { display:block; max-width:100%; height:auto; }
svg .grid { stroke:var(--line); stroke-width:1; }
svg .axis-label { fill:var(--muted); font-size:11px; }
svg .bar-events { fill:var(--blue); }
svg .bar-errors { fill:var(--red); }
svg .funnel-bar { fill:var(--blue); opacity:.85; }
svg .funnel-label { fill:var(--fg); font-size:14px; }
svg .funnel-value { fill:var(--fg); font-size:14px; font-weight:600; }
svg .lat-p50 { fill:#7aa6e8; } svg .lat-p95 { fill:#3366cc; } svg .lat-p99 { fill:#1d3f85; } svg .lat-max { fill:#d93f3f; }
.scroll { max-height: 520px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.scroll thead th { position: sticky; top: 0; background: var(--card); }
svg .latency-label { font-size: 12px; }
footer { padding:0 32px 24px; color:var(--muted); font-size:12px; }
`;
