/**
 * ECharts for the dashboard: only the chart types and components it draws are registered, and this
 * module is imported by the (lazy) overview page alone, so the initial bundle carries none of it.
 */
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { BarChart, GaugeChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { EChartsOption } from 'echarts';

use([CanvasRenderer, BarChart, GaugeChart, PieChart, GridComponent, LegendComponent, TooltipComponent]);

export { default as VChart } from 'vue-echarts';

/** One clickable slice or bar: its label, value and the console route listing what it counts. */
export interface ChartDatum {
  name: string;
  value: number;
  link: string;
  color?: string;
}

export function pieOption(data: ChartDatum[]): EChartsOption {
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
    series: [
      {
        type: 'pie',
        radius: ['45%', '70%'],
        center: ['50%', '42%'],
        label: { show: true, formatter: '{c}', fontSize: 11 },
        // A zero slice has no area: its label and leader line would only clutter the ring.
        data: data.map((d) => ({
          name: d.name,
          value: d.value,
          link: d.link,
          label: { show: d.value > 0 },
          labelLine: { show: d.value > 0 },
          ...(d.color ? { itemStyle: { color: d.color } } : {}),
        })),
      },
    ],
  };
}

export function barOption(data: ChartDatum[], horizontal = false): EChartsOption {
  // Horizontal bars read top-down in the order given.
  const category = {
    type: 'category' as const,
    data: data.map((d) => d.name),
    axisLabel: { fontSize: 11 },
    inverse: horizontal,
  };
  const value = { type: 'value' as const, minInterval: 1, axisLabel: { fontSize: 11 } };
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 16, top: 12, bottom: 8, containLabel: true },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: [
      {
        type: 'bar',
        barMaxWidth: 28,
        label: { show: true, position: horizontal ? 'right' : 'top', fontSize: 11 },
        data: data.map((d) => ({
          value: d.value,
          link: d.link,
          ...(d.color ? { itemStyle: { color: d.color } } : {}),
        })),
      },
    ],
  };
}

export function gaugeOption(percent: number | null, label: string): EChartsOption {
  return {
    series: [
      {
        type: 'gauge',
        min: 0,
        max: 100,
        radius: '90%',
        center: ['50%', '58%'],
        startAngle: 200,
        endAngle: -20,
        progress: { show: true, width: 12 },
        axisLine: { lineStyle: { width: 12 } },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        pointer: { show: false },
        title: { offsetCenter: [0, '30%'], fontSize: 12 },
        detail: { offsetCenter: [0, '-5%'], fontSize: 22, formatter: percent === null ? '—' : '{value} %' },
        data: [{ value: percent ?? 0, name: label }],
      },
    ],
  };
}

/** The link carried by a clicked datum (ECharts passes the raw data item back). */
export function linkOf(params: unknown): string | null {
  if (typeof params !== 'object' || params === null) return null;
  const data = (params as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return null;
  const link = (data as { link?: unknown }).link;
  return typeof link === 'string' ? link : null;
}
