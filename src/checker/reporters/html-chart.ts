import { escapeHtml } from './html-kit.js';

/** One bar: stacked segments, each with a CSS class (its colour) and a text for hover. */
export interface ChartBar {
  /** Under the bar, when there is room; escaped here. */
  label: string;
  segments: Array<{ value: number; className: string; title: string }>;
}

export interface BarChartOptions {
  /** What the chart shows, for screen readers (`role="img"`). */
  title: string;
  bars: readonly ChartBar[];
  unit: string;
  /** A dashed horizontal line, e.g. the time budget. */
  line?: { value: number; label: string } | undefined;
  width?: number;
  height?: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** The axis top: the next of 1, 1.5, 2, 2.5, 5 × 10ⁿ at or above `value`, so that its label is a round number. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 1.5, 2, 2.5, 5, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? 10 * power;
}

/**
 * An inline SVG bar chart (no script, no font): bars scaled to the largest value or the line,
 * whichever is higher, a y axis with its top value, and an optional dashed line.
 */
export function barChart({ title, bars, unit, line, width = 720, height = 220 }: BarChartOptions): string {
  const left = 56;
  const bottom = 28;
  const top = 12;
  const plotHeight = height - top - bottom;
  const plotWidth = width - left - 8;
  const totals = bars.map((bar) => bar.segments.reduce((sum, segment) => sum + segment.value, 0));
  const max = niceCeiling(Math.max(1, line?.value ?? 0, ...totals) * 1.05);
  const y = (value: number) => round(top + plotHeight - (value / max) * plotHeight);
  const slot = plotWidth / Math.max(1, bars.length);
  const barWidth = round(Math.max(1, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(bars.length / Math.floor(plotWidth / 40)));
  const parts: string[] = [];
  bars.forEach((bar, index) => {
    const x = round(left + index * slot + (slot - barWidth) / 2);
    let base = 0;
    for (const segment of bar.segments) {
      if (segment.value <= 0) continue;
      const y0 = y(base + segment.value);
      parts.push(`<rect class="${segment.className}" x="${x}" y="${y0}" width="${barWidth}" height="${round(y(base) - y0)}"><title>${escapeHtml(segment.title)}</title></rect>`);
      base += segment.value;
    }
    if (index % labelEvery === 0) parts.push(`<text x="${round(x + barWidth / 2)}" y="${height - 10}" text-anchor="middle">${escapeHtml(bar.label)}</text>`);
  });
  const axis = `<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}"/><line class="axis" x1="${left}" y1="${top + plotHeight}" x2="${width - 8}" y2="${top + plotHeight}"/>`;
  const ticks = `<text x="${left - 6}" y="${top + 10}" text-anchor="end">${round(max)} ${escapeHtml(unit)}</text><text x="${left - 6}" y="${top + plotHeight}" text-anchor="end">0</text>`;
  const budget =
    line === undefined
      ? ''
      : `<line class="budget" x1="${left}" y1="${y(line.value)}" x2="${width - 8}" y2="${y(line.value)}"/><text x="${width - 10}" y="${y(line.value) - 4}" text-anchor="end">${escapeHtml(line.label)}</text>`;
  return `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>${axis}${ticks}${parts.join('')}${budget}</svg>`;
}

/**
 * A horizontal bar on a fixed scale (a priority on 1–10), with the value written beside it.
 */
export function scaleBar(value: number, min: number, max: number, title: string): string {
  const width = 200;
  const filled = round(((value - min + 1) / (max - min + 1)) * width);
  return `<svg class="scale" role="img" width="${width + 40}" height="18" viewBox="0 0 ${width + 40} 18" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title><rect class="scale-track" x="0" y="3" width="${width}" height="12" rx="3"/><rect class="scale-fill" x="0" y="3" width="${filled}" height="12" rx="3"/><text x="${width + 6}" y="14">${value}/${max}</text></svg>`;
}
