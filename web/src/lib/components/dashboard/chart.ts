/**
 * What the dashboard's ECharts charts share: one Svelte action that loads ECharts in the browser only
 * (dynamic import, so neither the server render nor the first paint carries it), draws, follows the
 * element's size and disposes; and the option builders, so every chart has the same legend, grid,
 * accessibility description and percent formatting.
 */

type Chart = {
  setOption: (o: unknown, notMerge?: boolean) => void;
  resize: () => void;
  dispose: () => void;
};

export interface ChartParams {
  /** The ECharts option; a new object redraws the chart. */
  option: unknown;
  /** Called after each draw (the components hide their "loading" hint and mark data-rendered). */
  onRendered?: () => void;
}

/** use:echart={{ option, onRendered }} on the element the chart fills. */
export function echart(node: HTMLElement, initial: ChartParams) {
  let params = initial;
  let chart: Chart | null = null;
  let observer: ResizeObserver | null = null;
  let destroyed = false;

  const draw = () => {
    if (!chart) return;
    chart.setOption(params.option, true);
    params.onRendered?.();
  };

  void (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ]);
    if (destroyed) return;
    core.use([
      charts.BarChart,
      charts.LineChart,
      components.GridComponent,
      components.TooltipComponent,
      components.LegendComponent,
      components.AriaComponent,
      renderers.CanvasRenderer,
    ]);
    chart = core.init(node, undefined, { renderer: 'canvas' });
    observer = new ResizeObserver(() => chart?.resize());
    observer.observe(node);
    draw();
  })();

  return {
    update(next: ChartParams) {
      params = next;
      draw();
    },
    destroy() {
      destroyed = true;
      observer?.disconnect();
      chart?.dispose();
      chart = null;
    },
  };
}

/** A share in 0..1 (or null when nothing was counted) as a percentage with one decimal, for the axis. */
export const toPercent = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 10);

const percentTooltip = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);

/** What every chart has: described for screen readers, the palette, legend on top, labels inside. */
function base(colors: string[]) {
  return {
    aria: { enabled: true },
    color: colors,
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
  };
}

/** Grouped bars of rates (0..1) per category, on a 0–100 % axis. */
export function ratesBarOption(
  colors: string[],
  labels: string[],
  series: { name: string | undefined; values: (number | null)[] }[],
) {
  return {
    ...base(colors),
    tooltip: { trigger: 'axis', valueFormatter: percentTooltip },
    xAxis: {
      type: 'category',
      data: labels,
      axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0 },
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: series.map((s) => ({ name: s.name, type: 'bar', data: s.values.map(toPercent) })),
  };
}

/** Counts as bars per category and one rate (0..1) as a line on a second, 0–100 % axis. */
export function countsAndRateOption(
  colors: string[],
  labels: string[],
  counts: { name: string | undefined; values: number[] }[],
  rate: { name: string; values: (number | null)[] },
) {
  return {
    ...base(colors),
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: labels },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      ...counts.map((c) => ({ name: c.name, type: 'bar', data: c.values })),
      {
        name: rate.name,
        type: 'line',
        yAxisIndex: 1,
        connectNulls: true,
        data: rate.values.map(toPercent),
      },
    ],
  };
}
