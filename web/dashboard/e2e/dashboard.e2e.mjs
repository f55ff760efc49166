// SPDX-License-Identifier: Apache-2.0
// Drives the dashboard of a running `ptwin serve` in headless Chromium (Debian's, through
// playwright-core) and checks that what the page shows is what the API says:
//   node dashboard.e2e.mjs --origin http://127.0.0.1:PORT --patient ID --out DIR
//                          [--action acknowledge|snooze]
// 1. the patient list shows the patient, its risk badge holds the API's 15-minute risk, the
//    banner the model's version and V&V status;
// 2. the patient page draws MAP, the twin's estimate and band, the forecast fan, heart rate and
//    the parameter trends with as many points as the API returns, and the forecast table holds
//    the API's probabilities and medians;
// 3. Acknowledge on the open alert (or Snooze for 5 min with --action snooze) turns it to
//    snoozed on the page and in the API.
// Screenshots go to DIR (list.png, patient.png, acknowledged.png; failure.png on a failure).
// Exit code 0 when every check holds, 1 otherwise. Run by the e2e test dashboard_e2e_test.cpp.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

function argument(name) {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0 || !process.argv[at + 1]) {
    console.error(`usage: node dashboard.e2e.mjs --origin URL --patient ID --out DIR (missing --${name})`);
    process.exit(2);
  }
  return process.argv[at + 1];
}

const origin = argument('origin');
const patient = argument('patient');
const out = argument('out');
const action = process.argv.includes('--action') ? argument('action') : 'acknowledge';
if (action !== 'acknowledge' && action !== 'snooze') {
  console.error(`--action: '${action}' is not acknowledge or snooze`);
  process.exit(2);
}
const executablePath = process.env.PTWIN_CHROMIUM || '/usr/bin/chromium';
const timeout = 15000;

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`ok: ${message}`);
}

async function apiGet(resource) {
  const response = await fetch(`${origin}${resource}`);
  if (!response.ok) throw new Error(`GET ${resource}: HTTP ${response.status}`);
  return response.json();
}

async function attribute(locator, name) {
  const value = await locator.getAttribute(name, { timeout });
  if (value === null) throw new Error(`no ${name} on ${locator}`);
  return value;
}

// Waits until the chart has been given data at least once (the attribute set by charts.js).
async function chartPoints(page, testid, kind) {
  const chart = page.getByTestId(testid);
  await chart.locator('canvas').first().waitFor({ timeout });
  await page.waitForFunction(
    ([id, key]) => document.querySelector(`[data-testid="${id}"]`)?.dataset[key] !== undefined,
    [testid, kind], { timeout });
  return Number(await chart.evaluate((element, key) => element.dataset[key], kind));
}

async function main() {
  await mkdir(out, { recursive: true });
  const args = typeof process.getuid === 'function' && process.getuid() === 0 ? ['--no-sandbox'] : [];
  const browser = await chromium.launch({ executablePath, headless: true, args, timeout });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  page.setDefaultTimeout(timeout);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    // 1. The list.
    await page.goto(`${origin}/dashboard/?poll=500`);
    const row = page.locator(`[data-testid="patient-row"][data-patient="${patient}"]`);
    await row.waitFor();
    const patients = await apiGet('/api/patients');
    const fromApi = patients.patients.find((p) => p.id === patient);
    check(fromApi !== undefined, `the API lists patient ${patient}`);
    const badge = row.getByTestId('risk-badge');
    check(Number(await attribute(badge, 'data-value')) === fromApi.risk.in_15_min,
          `the list's risk badge holds the API's 15-minute risk ${fromApi.risk.in_15_min}`);
    check(await attribute(badge, 'data-band') === fromApi.risk.band,
          `the badge shows the risk band ${fromApi.risk.band}`);
    check((await badge.textContent()).includes(`${(100 * fromApi.risk.in_15_min).toFixed(0)} %`),
          'the badge text is the risk in percent');
    // Every patient of the API has its row, with its own risk and band.
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="patient-row"]').length === n,
                               patients.patients.length, { timeout });
    for (const p of patients.patients) {
      const other = page.locator(`[data-testid="patient-row"][data-patient="${p.id}"]`).getByTestId('risk-badge');
      check(Number(await attribute(other, 'data-value')) === p.risk.in_15_min &&
            await attribute(other, 'data-band') === p.risk.band,
            `patient ${p.id} is listed with risk ${p.risk.in_15_min} (${p.risk.band})`);
    }
    const model = await apiGet('/api/model');
    await page.getByTestId('vv-status').waitFor();
    check(await page.getByTestId('model-version').textContent() === model.version,
          `the banner shows the model version ${model.version}`);
    check(await page.getByTestId('vv-status').textContent() === `V&V: ${model.verification.status}`,
          `the banner shows the V&V status ${model.verification.status}`);
    const recalibration = model.recalibration
      ? `recalibrated: ${model.recalibration.maps} (maps ${model.recalibration.digest.slice(0, 12)})`
      : 'risk not recalibrated';
    check(await page.getByTestId('model-recalibration').textContent() === recalibration,
          `the banner says how the risk is recalibrated: ${recalibration}`);
    await page.screenshot({ path: path.join(out, 'list.png'), fullPage: true });

    // 2. The patient.
    await row.getByTestId('patient-link').click();
    await page.getByTestId('patient-id').waitFor();
    check(await page.getByTestId('patient-id').textContent() === patient, 'the patient page opened');
    const vitals = await apiGet(`/api/patients/${encodeURIComponent(patient)}/vitals`);
    const forecast = await apiGet(`/api/patients/${encodeURIComponent(patient)}/forecast`);
    const parameters = await apiGet(`/api/patients/${encodeURIComponent(patient)}/parameters`);
    const mapSamples = vitals.series.map.samples.length;
    check(mapSamples > 0, `the API has ${mapSamples} MAP samples`);
    check(await chartPoints(page, 'chart-map', 'measuredPoints') === mapSamples,
          'the MAP chart draws every measured MAP sample');
    check(await chartPoints(page, 'chart-map', 'estimatePoints') === vitals.estimate.points.length,
          `the MAP chart draws the twin's ${vitals.estimate.points.length} estimates and band`);
    check(await chartPoints(page, 'chart-map', 'forecastPoints') === forecast.horizons.length + 1,
          'the MAP chart draws the forecast fan from the estimate through both horizons');
    check(await chartPoints(page, 'chart-hr', 'measuredPoints') === vitals.series.heart_rate.samples.length,
          'the heart-rate chart draws every heart rate');
    check(await chartPoints(page, 'chart-svr', 'estimatePoints') === parameters.parameters.svr.points.length,
          'the SVR chart draws the estimated resistance over time');
    for (const horizon of forecast.horizons) {
      const cells = page.locator(`[data-testid="forecast-row"][data-horizon="${horizon.horizon_s}"]`);
      check(Number(await attribute(cells.getByTestId('forecast-probability'), 'data-value')) === horizon.probability,
            `the ${horizon.horizon_s / 60}-minute forecast shows the API's probability ${horizon.probability}`);
      check(Number(await attribute(cells.getByTestId('forecast-map'), 'data-value')) === horizon.map_mmhg.p50,
            `the ${horizon.horizon_s / 60}-minute forecast shows the API's median MAP`);
    }
    const risk = page.getByTestId('patient-risk');
    check(Number(await attribute(risk, 'data-value')) === fromApi.risk.in_15_min,
          'the patient page shows the same risk as the list');
    await page.screenshot({ path: path.join(out, 'patient.png'), fullPage: true });

    // 3. The alert.
    const alerts = await apiGet(`/api/alerts?patient=${encodeURIComponent(patient)}&state=open`);
    check(alerts.alerts.length === 1, 'the API has one open alert for the patient');
    const id = alerts.alerts[0].id;
    const alert = page.locator(`[data-testid="alert"][data-alert-id="${id}"]`);
    await alert.waitFor();
    check(await attribute(alert, 'data-state') === 'open', `alert ${id} is shown open`);
    if (action === 'snooze') {
      await alert.getByTestId('snooze-minutes').selectOption('5');
      await alert.getByTestId('snooze').click();
    } else {
      await alert.getByTestId('acknowledge').click();
    }
    await page.locator(`[data-testid="alert"][data-alert-id="${id}"][data-state="snoozed"]`).waitFor();
    check((await alert.getByTestId('alert-state').textContent()) === 'snoozed',
          `alert ${id} is shown snoozed after ${action}`);
    check(await alert.getByTestId('acknowledge').count() === 0, 'a snoozed alert offers no Acknowledge');
    const after = await apiGet(`/api/alerts?patient=${encodeURIComponent(patient)}`);
    const acknowledged = after.alerts.find((a) => a.id === id);
    check(acknowledged.state === 'snoozed' && acknowledged.acknowledged_by !== null,
          `the API has alert ${id} snoozed, acknowledged by ${acknowledged.acknowledged_by}`);
    const snoozeMinutes = action === 'snooze' ? 5 : after.rules[0].snooze_s / 60;
    check(acknowledged.snoozed_until - acknowledged.changed_at === snoozeMinutes * 60000,
          `the snooze lasts ${snoozeMinutes} min`);
    await page.screenshot({ path: path.join(out, 'acknowledged.png'), fullPage: true });
    check(pageErrors.length === 0, `no script error on the page (${pageErrors.join('; ')})`);
  } catch (error) {
    await page.screenshot({ path: path.join(out, 'failure.png'), fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await browser.close();
  }
}

main().then(() => console.log('dashboard e2e: all checks passed'), (error) => {
  console.error(`dashboard e2e: ${error.stack || error.message}`);
  process.exit(1);
});
