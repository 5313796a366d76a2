import UCharts, { type UChartsOptions } from '../../vendor/u-charts';

type CanvasNode = {
  width: number;
  height: number;
  getContext?: (kind: '2d') => unknown;
};

/**
 * A chart drawn by uCharts on a 2D canvas (the operations center's charts): `type`,
 * `categories` and `series` as uCharts takes them; redrawn when they change. Where there
 * is no canvas to draw on, nothing is drawn — the page shows its figures as text too.
 */
Component({
  properties: {
    title: { type: String, value: '' },
    type: { type: String, value: 'column' },
    categories: { type: Array, value: [] },
    series: { type: Array, value: [] },
    height: { type: Number, value: 220 },
    /** Extra uCharts options (`extra`), e.g. stacked columns. */
    extra: { type: Object, value: {} },
  },
  observers: {
    'type, categories, series, extra'() {
      this.draw();
    },
  },
  lifetimes: {
    ready() {
      this.draw();
    },
  },
  methods: {
    draw() {
      const series = this.data.series as UChartsOptions['series'];
      if (!series.length) return;
      wx.createSelectorQuery()
        .in(this)
        .select('#chart')
        .fields({ node: true, size: true })
        .exec((res: { node?: CanvasNode; width: number; height: number }[] | null) => {
          const box = res?.[0];
          const canvas = box?.node;
          if (!box || !canvas?.getContext || !box.width) return;
          const ratio = wx.getWindowInfo?.().pixelRatio ?? 2;
          canvas.width = box.width * ratio;
          canvas.height = box.height * ratio;
          new UCharts({
            type: this.data.type as UChartsOptions['type'],
            context: canvas.getContext('2d'),
            width: box.width * ratio,
            height: box.height * ratio,
            pixelRatio: ratio,
            categories: this.data.categories as string[],
            series,
            animation: false,
            background: '#FFFFFF',
            padding: [12, 12, 8, 8],
            legend: { show: true, position: 'bottom' },
            xAxis: { disableGrid: true, fontSize: 10 },
            yAxis: { gridType: 'dash' },
            extra: this.data.extra as Record<string, unknown>,
          });
        });
    },
  },
});
