import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Filler, Legend,
  LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';
import { count, minute, money, share } from './format.js';
import { t } from './i18n.js';

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Filler, Legend, LinearScale,
  LineController, LineElement, PointElement, Tooltip);

export const palette = {
  sold: '#8b5cf6',
  held: '#f59e0b',
  available: '#27324f',
  revenue: '#22d3ee',
  cancelled: '#f43f5e',
  grid: 'rgba(148, 163, 184, 0.12)',
  text: '#94a3b8',
};

Chart.defaults.color = palette.text;
Chart.defaults.font.family = "'Inter', 'Segoe UI', system-ui, -apple-system, sans-serif";
Chart.defaults.font.size = 12;
Chart.defaults.animation.duration = 300;
Chart.defaults.plugins.legend.labels.boxWidth = 10;
Chart.defaults.plugins.legend.labels.boxHeight = 10;
Chart.defaults.plugins.legend.labels.usePointStyle = true;

const MINUTES_SHOWN = 60;

/** Orders per minute (bars) and revenue per minute (line) for the last hour, in the main currency. */
export class SalesChart {
  constructor(canvas) {
    this.currency = '';
    this.chart = new Chart(canvas, {
      data: {
        labels: [],
        datasets: [
          { type: 'bar', label: t('sales.confirmed'), data: [], backgroundColor: palette.sold, borderRadius: 3, stack: 'orders', yAxisID: 'orders', order: 2 },
          { type: 'bar', label: t('sales.cancelled'), data: [], backgroundColor: palette.cancelled, borderRadius: 3, stack: 'orders', yAxisID: 'orders', order: 2 },
          {
            type: 'line', label: t('sales.revenue'), data: [], borderColor: palette.revenue, backgroundColor: 'rgba(34, 211, 238, 0.12)',
            fill: true, tension: 0.35, pointRadius: 0, borderWidth: 2, yAxisID: 'revenue', order: 1,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, grid: { display: false }, ticks: { maxTicksLimit: 8, maxRotation: 0 } },
          orders: { stacked: true, position: 'left', beginAtZero: true, grid: { color: palette.grid }, ticks: { precision: 0 }, title: { display: true, text: t('sales.ordersPerMinute') } },
          revenue: {
            position: 'right', beginAtZero: true, grid: { display: false },
            ticks: { callback: (value) => money(value, this.currency, { compact: true }) },
          },
        },
        plugins: {
          legend: { position: 'top', align: 'end' },
          tooltip: { callbacks: { label: (item) => item.dataset.yAxisID === 'revenue' ? `${t('sales.revenue')} ${money(item.parsed.y, this.currency)}` : `${item.dataset.label} ${count(item.parsed.y)}` } },
        },
      },
    });
  }

  update(perMinute, currency, now = new Date()) {
    this.currency = currency;
    const byMinute = new Map(perMinute.map((point) => [new Date(point.minute).getTime(), point]));
    const end = Math.floor(now.getTime() / 60000) * 60000;
    const labels = [];
    const confirmed = [];
    const cancelled = [];
    const revenue = [];
    for (let t = end - (MINUTES_SHOWN - 1) * 60000; t <= end; t += 60000) {
      const point = byMinute.get(t);
      labels.push(minute(new Date(t)));
      confirmed.push(point?.confirmed ?? 0);
      cancelled.push(point?.cancelled ?? 0);
      revenue.push(point?.revenue?.[currency] ?? 0);
    }
    this.chart.data.labels = labels;
    this.chart.data.datasets[0].data = confirmed;
    this.chart.data.datasets[1].data = cancelled;
    this.chart.data.datasets[2].data = revenue;
    this.chart.data.datasets[2].label = currency ? t('sales.revenueIn', { currency }) : t('sales.revenue');
    this.chart.update('none');
  }
}

/** Sell-through per tier: sold, held and available seats as one stacked bar per tier. */
export class TierChart {
  constructor(canvas) {
    this.chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: t('status.sold'), data: [], backgroundColor: palette.sold, borderRadius: 4 },
          { label: t('status.held'), data: [], backgroundColor: palette.held, borderRadius: 4 },
          { label: t('status.available'), data: [], backgroundColor: palette.available, borderRadius: 4 },
        ],
      },
      options: {
        indexAxis: 'y',
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true, beginAtZero: true, grid: { color: palette.grid }, ticks: { precision: 0 } },
          y: { stacked: true, grid: { display: false } },
        },
        plugins: {
          legend: { position: 'top', align: 'end' },
          tooltip: { callbacks: { afterBody: (items) => this.tiers?.[items[0].dataIndex] ? `Sell-through ${share(this.tiers[items[0].dataIndex].sellThrough)}` : '' } },
        },
      },
    });
  }

  update(tiers) {
    this.tiers = tiers;
    this.chart.data.labels = tiers.map((t) => `${t.name} · ${share(t.sellThrough)}`);
    this.chart.data.datasets[0].data = tiers.map((t) => t.sold);
    this.chart.data.datasets[1].data = tiers.map((t) => t.held);
    this.chart.data.datasets[2].data = tiers.map((t) => t.available);
    this.chart.update('none');
  }
}

/** A half-doughnut stock gauge: sold, reserved by open orders, and still available. */
export class StockGauge {
  constructor(canvas) {
    this.chart = new Chart(canvas, {
      type: 'doughnut',
      data: {
        labels: [t('status.sold'), t('status.reserved'), t('status.available')],
        datasets: [{ data: [0, 0, 1], backgroundColor: [palette.sold, palette.held, palette.available], borderWidth: 0 }],
      },
      options: {
        rotation: -90,
        circumference: 180,
        cutout: '74%',
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => `${item.label} ${count(item.parsed)}` } } },
      },
    });
  }

  update(product) {
    const data = [product.sold, product.reserved, product.available];
    this.chart.data.datasets[0].data = data.every((n) => n === 0) ? [0, 0, 1] : data;
    this.chart.update('none');
  }

  destroy() {
    this.chart.destroy();
  }
}
