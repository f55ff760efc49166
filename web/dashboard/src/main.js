// SPDX-License-Identifier: Apache-2.0
// The dashboard's entry: the model banner, a hash router (#/ the patient list,
// #/patients/<id> one patient) and polling. ?poll=<ms> sets the polling period (default 2000).

import 'uplot/dist/uPlot.min.css';
import './style.css';
import { api } from './api.js';
import { h } from './dom.js';
import { renderPatientList } from './patient_list.js';
import { renderPatientView } from './patient_view.js';

const pollMs = Number(new URLSearchParams(window.location.search).get('poll')) || 2000;
const app = document.getElementById('app');
const errorBox = document.getElementById('error');
let current = null;
let timer = null;

function showError(error) {
  errorBox.hidden = false;
  errorBox.textContent = error.message;
}

async function run(refresh) {
  try {
    await refresh();
    errorBox.hidden = true;
    app.dataset.loaded = String(Number(app.dataset.loaded || 0) + 1);
  } catch (error) {
    showError(error);
  }
}

function route() {
  clearInterval(timer);
  if (current && current.destroy) current.destroy();
  app.dataset.loaded = '0';
  const match = window.location.hash.match(/^#\/patients\/(.+)$/);
  current = match
    ? renderPatientView(app, decodeURIComponent(match[1]), { onError: showError })
    : renderPatientList(app);
  const refresh = current;
  run(refresh);
  timer = setInterval(() => run(refresh), pollMs);
}

async function banner() {
  const box = document.getElementById('model-banner');
  try {
    const model = await api.model();
    const status = model.verification.status;
    box.replaceChildren(
      h('span', { 'data-testid': 'model-name' }, model.name), ' ',
      h('span', { 'data-testid': 'model-version' }, model.version), ' ',
      h('code', { title: 'settings digest' }, model.settings_digest.slice(0, 19)), ' ',
      h('span', { 'data-testid': 'model-recalibration',
                  title: model.recalibration ? `recalibration maps ${model.recalibration.digest}` : 'raw risk, not recalibrated' },
        model.recalibration
          ? `recalibrated: ${model.recalibration.maps} (maps ${model.recalibration.digest.slice(0, 12)})`
          : 'risk not recalibrated'), ' ',
      h('span', { class: `badge vv-${status}`, 'data-testid': 'vv-status', title: model.verification.detail },
        `V&V: ${status}`));
  } catch (error) {
    box.textContent = `model: ${error.message}`;
  }
}

window.addEventListener('hashchange', route);
banner();
route();
