import { html, type Html } from "./html";

export interface TrendSeries {
  label: string;
  color: string;
  /** One value per point, 0–100 (a percentage), or null where there is nothing to show yet. */
  values: readonly (number | null)[];
}

/**
 * A percentage trend (e.g. retention per handover month) as inline SVG drawn
 * on the server, like barChart: no chart library, nothing to download on a
 * phone. Each series is a polyline broken where a value is missing (a month
 * whose day 30 or 90 has not come yet); every point carries its number as
 * SVG text so screen readers and tests read what is drawn — the first series
 * above its points, the second below, so equal values stay readable.
 */
export function trendChart(title: string, points: readonly string[], series: readonly TrendSeries[]): Html {
  if (points.length === 0 || series.every((s) => s.values.every((v) => v === null))) return html`<p class="muted">${title}：暂无数据</p>`;
  const left = 40;
  const top = 24;
  const plotH = 150;
  const step = Math.max(60, Math.min(130, Math.floor(560 / Math.max(1, points.length))));
  const width = left + step * Math.max(1, points.length - 1) + 40;
  const height = top + plotH + 48;
  const x = (i: number) => left + 16 + i * step;
  const y = (v: number) => top + plotH - (plotH * Math.max(0, Math.min(100, v))) / 100;
  const segments = (values: readonly (number | null)[]) => {
    const runs: string[] = [];
    let run: string[] = [];
    values.forEach((v, i) => {
      if (v === null) {
        if (run.length) runs.push(run.join(" "));
        run = [];
      } else run.push(`${x(i)},${y(v).toFixed(1)}`);
    });
    if (run.length) runs.push(run.join(" "));
    return runs;
  };
  return html`<figure style="margin:0">
<svg role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">
${[0, 50, 100].map((g) => html`<line x1="${left}" x2="${width - 8}" y1="${y(g)}" y2="${y(g)}" stroke="#d0d7de"></line><text x="0" y="${y(g) + 4}" font-size="11" fill="#57606a">${g}%</text>`)}
${points.map((p, i) => html`<text x="${x(i)}" y="${top + plotH + 18}" font-size="11" fill="#57606a" text-anchor="middle">${p}</text>`)}
${series.map((s, n) => html`${segments(s.values).map((pts) => html`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"></polyline>`)}
${s.values.map((v, i) => (v === null ? "" : html`<circle cx="${x(i)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${s.color}"></circle><text x="${x(i)}" y="${(n % 2 === 0 ? y(v) - 8 : y(v) + 17).toFixed(1)}" font-size="12" fill="${s.color}" text-anchor="middle">${Math.round(v)}%</text>`))}`)}
${series.map((s, i) => html`<rect x="${left + i * 110}" y="${top + plotH + 28}" width="12" height="4" fill="${s.color}"></rect><text x="${left + i * 110 + 16}" y="${top + plotH + 34}" font-size="11" fill="#1f2328">${s.label}</text>`)}
</svg>
<figcaption class="muted">${title}</figcaption>
</figure>`;
}
