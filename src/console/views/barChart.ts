import { html, type Html } from "./html";

export interface Bar {
  label: string;
  value: number;
}

/**
 * A horizontal bar chart as inline SVG, drawn on the server: no chart
 * library, nothing to download on a phone. Labels and numbers are SVG text,
 * so screen readers and the tests read them as written.
 */
export function barChart(title: string, bars: readonly Bar[], color = "#1f6f4a"): Html {
  if (bars.length === 0) return html`<p class="muted">${title}：暂无数据</p>`;
  const max = Math.max(1, ...bars.map((b) => b.value));
  // The label sits above its bar: long Chinese labels ("人事已登记，待员工确认") never collide with it on a phone.
  const rowHeight = 40;
  const barArea = 200;
  const width = barArea + 60;
  const height = bars.length * rowHeight + 4;
  return html`<figure style="margin:0">
<svg role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">
${bars.map((b, i) => {
  const y = i * rowHeight + 4;
  const w = Math.round((barArea * b.value) / max);
  return html`<text x="0" y="${y + 12}" font-size="13" fill="#1f2328">${b.label}</text>
<rect x="0" y="${y + 18}" width="${w}" height="16" fill="${color}" rx="3"></rect>
<text x="${w + 6}" y="${y + 31}" font-size="13" fill="#1f2328">${b.value}</text>`;
})}
</svg>
<figcaption class="muted">${title}</figcaption>
</figure>`;
}
