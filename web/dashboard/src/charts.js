// SPDX-License-Identifier: Apache-2.0
// uPlot charts of the patient page. Times arrive in milliseconds since the epoch; uPlot wants
// seconds. Measured samples are points, the twin's median a line, its 90 % band a filled area.

import uPlot from 'uplot';

const colours = {
  measured: '#1f4e9c',
  estimate: '#c0392b',
  band: 'rgba(192, 57, 43, 0.15)',
  forecast: '#8e44ad',
  forecastBand: 'rgba(142, 68, 173, 0.15)',
  threshold: '#555',
};

// Merges series sampled at different times onto one sorted x axis (uPlot's data model).
export function align(seriesList) {
  const times = [...new Set(seriesList.flatMap((s) => s.map((p) => p.t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = seriesList.map(() => new Array(times.length).fill(null));
  seriesList.forEach((s, k) => s.forEach((p) => { columns[k][index.get(p.t)] = p.v; }));
  return [times.map((t) => t / 1000), ...columns];
}

function size(container) {
  return { width: Math.max(320, container.clientWidth || 800), height: 240 };
}

const line = (label, stroke, extra = {}) => ({
  label, stroke, width: 2, spanGaps: true, points: { show: false }, ...extra,
});
const points = (label, stroke) => ({
  label, stroke, width: 0, paths: () => null, points: { show: true, size: 5, fill: stroke },
});
const bandEdge = (label, stroke) => ({ label, stroke, width: 0, spanGaps: true, points: { show: false } });

// A chart of a measured series, the twin's estimate with its band, and optionally a forecast fan.
export class EstimateChart {
  constructor(container, { title, unit, hasMeasured = true, hasForecast = false, threshold }) {
    this.container = container;
    this.hasMeasured = hasMeasured;
    this.hasForecast = hasForecast;
    const series = [{}];
    const bands = [];
    if (hasMeasured) series.push(points('measured', colours.measured));
    const base = series.length;
    series.push(line('twin estimate', colours.estimate), bandEdge('5 %', colours.band),
                bandEdge('95 %', colours.band));
    bands.push({ series: [base + 2, base + 1], fill: colours.band });
    if (hasForecast) {
      const f = series.length;
      series.push(line('forecast', colours.forecast, { dash: [6, 4] }),
                  bandEdge('forecast 5 %', colours.forecastBand),
                  bandEdge('forecast 95 %', colours.forecastBand));
      bands.push({ series: [f + 2, f + 1], fill: colours.forecastBand });
    }
    if (threshold !== undefined) {
      series.push(line(`threshold ${threshold} ${unit}`, colours.threshold, { dash: [2, 4], width: 1 }));
    }
    this.threshold = threshold;
    this.plot = new uPlot({
      title, ...size(container), series, bands,
      scales: { x: { time: true } },
      axes: [{}, { label: unit, size: 60 }],
      legend: { live: false },
    }, [[]].concat(series.slice(1).map(() => [])), container);
  }

  // measured: [{t, v}], estimate: [{t, p05, p50, p95}], forecast: [{t, p05, p50, p95}]
  update({ measured = [], estimate = [], forecast = [] }) {
    const list = [];
    if (this.hasMeasured) list.push(measured);
    list.push(estimate.map((p) => ({ t: p.t, v: p.p50 })),
              estimate.map((p) => ({ t: p.t, v: p.p05 })),
              estimate.map((p) => ({ t: p.t, v: p.p95 })));
    if (this.hasForecast) {
      list.push(forecast.map((p) => ({ t: p.t, v: p.p50 })),
                forecast.map((p) => ({ t: p.t, v: p.p05 })),
                forecast.map((p) => ({ t: p.t, v: p.p95 })));
    }
    const data = align(list);
    if (this.threshold !== undefined) data.push(data[0].map(() => this.threshold));
    this.plot.setData(data);
    this.container.dataset.measuredPoints = String(measured.length);
    this.container.dataset.estimatePoints = String(estimate.length);
    this.container.dataset.forecastPoints = String(forecast.length);
  }

  destroy() { this.plot.destroy(); }
}

// Measured samples only (heart rate).
export class SamplesChart {
  constructor(container, { title, unit }) {
    this.container = container;
    this.plot = new uPlot({
      title, ...size(container),
      series: [{}, points('measured', colours.measured)],
      scales: { x: { time: true } },
      axes: [{}, { label: unit, size: 60 }],
      legend: { live: false },
    }, [[], []], container);
  }

  update(measured) {
    this.plot.setData(align([measured]));
    this.container.dataset.measuredPoints = String(measured.length);
  }

  destroy() { this.plot.destroy(); }
}
