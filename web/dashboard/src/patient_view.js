// SPDX-License-Identifier: Apache-2.0
// One patient: the risk, live MAP with the twin's estimate and 90 % band and the forecast fan,
// heart rate, cardiac output, the forecasts as numbers, the estimated parameters (SVR and CO)
// over time, and the alerts.

import { api } from './api.js';
import { renderAlerts } from './alerts_panel.js';
import { EstimateChart, SamplesChart } from './charts.js';
import { clock, h, interval, percent } from './dom.js';
import { riskBadge } from './patient_list.js';

const quantiles = (points, key) => points.map((p) => ({ t: p.t, ...p[key] }));

// The forecast fan starts at the twin's latest estimate and passes through each horizon.
function fan(estimatePoints, forecast, key) {
  const last = estimatePoints[estimatePoints.length - 1];
  const start = last ? [{ t: last.t, ...last[key] }] : [];
  return start.concat(forecast.horizons.map((f) => ({ t: f.at, ...f[key] })));
}

export function renderPatientView(container, patient, { onError }) {
  const chartBox = (testid) => h('div', { class: 'chart', 'data-testid': testid });
  const header = h('div', { class: 'patient-header' });
  const mapBox = chartBox('chart-map');
  const hrBox = chartBox('chart-hr');
  const coBox = chartBox('chart-co');
  const svrBox = chartBox('chart-svr');
  const forecastBody = h('tbody', { 'data-testid': 'forecast-rows' });
  const alertsBox = h('section', { class: 'panel' });
  container.replaceChildren(
    h('p', {}, h('a', { href: '#/', 'data-testid': 'back' }, '← all patients')),
    header,
    h('section', { class: 'panel' }, h('h2', {}, 'Vitals and the twin'), mapBox, hrBox),
    h('section', { class: 'panel' }, h('h2', {}, 'Forecasts (90 % intervals)'),
      h('table', { class: 'forecast', 'data-testid': 'forecast' },
        h('thead', {}, h('tr', {}, h('th', {}, 'horizon'), h('th', {}, 'P(MAP < 65 mmHg ≥ 1 min)'),
          h('th', {}, 'MAP mmHg'), h('th', {}, 'CO L/min'))),
        forecastBody)),
    h('section', { class: 'panel' }, h('h2', {}, 'Estimated parameters (90 % bands)'), svrBox, coBox),
    alertsBox);
  const charts = {
    map: new EstimateChart(mapBox, { title: 'Mean arterial pressure', unit: 'mmHg', hasForecast: true, threshold: 65 }),
    hr: new SamplesChart(hrBox, { title: 'Heart rate', unit: '/min' }),
    co: new EstimateChart(coBox, { title: 'Cardiac output', unit: 'L/min' }),
    svr: new EstimateChart(svrBox, { title: 'Systemic vascular resistance', unit: 'dyn·s/cm⁵', hasMeasured: false }),
  };
  let refresh;
  const refreshAlerts = renderAlerts(alertsBox, patient, { onChange: () => refresh(), onError });

  refresh = async () => {
    const [vitals, forecast, parameters, patients] = await Promise.all([
      api.vitals(patient), api.forecast(patient), api.parameters(patient), api.patients()]);
    const summary = patients.patients.find((p) => p.id === patient);
    header.replaceChildren(
      h('h1', { 'data-testid': 'patient-id' }, patient),
      summary ? riskBadge(summary.risk, 'patient-risk') : null,
      h('span', { class: 'muted' }, ` twin updated ${clock(forecast.from)}`));
    const estimate = vitals.estimate.points;
    const series = vitals.series;
    const sample = (p) => ({ t: p.t, v: p.v });
    charts.map.update({ measured: series.map.samples.map(sample),
                        estimate: quantiles(estimate, 'map_mmhg'),
                        forecast: fan(estimate, forecast, 'map_mmhg') });
    charts.hr.update(series.heart_rate.samples.map(sample));
    charts.co.update({ measured: series.cardiac_output.samples.map(sample),
                       estimate: quantiles(estimate, 'cardiac_output_l_min') });
    charts.svr.update({ estimate: parameters.parameters.svr.points });
    forecastBody.replaceChildren(...forecast.horizons.map((f) =>
      h('tr', { 'data-testid': 'forecast-row', 'data-horizon': f.horizon_s },
        h('td', {}, `${f.horizon_s / 60} min`),
        h('td', { 'data-testid': 'forecast-probability', 'data-value': f.probability }, percent(f.probability)),
        h('td', { 'data-testid': 'forecast-map', 'data-value': f.map_mmhg.p50 }, interval(f.map_mmhg, 0)),
        h('td', {}, interval(f.cardiac_output_l_min, 2)))));
    await refreshAlerts();
  };
  refresh.destroy = () => Object.values(charts).forEach((c) => c.destroy());
  return refresh;
}
