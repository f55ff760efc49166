// SPDX-License-Identifier: Apache-2.0
// The list of patients with a twin: the 15-minute risk as a badge, the 5-minute risk, the
// latest vitals and the open alerts. A row links to the patient's page.

import { api } from './api.js';
import { clock, fixed, h, percent } from './dom.js';

export function riskBadge(risk, testid) {
  return h('span', { class: `badge risk-${risk.band}`, 'data-testid': testid,
                     'data-value': risk.in_15_min, 'data-band': risk.band },
           `${percent(risk.in_15_min)} · ${risk.band}`);
}

const latest = (vital, digits) => (vital ? fixed(vital.v, digits) : '—');

export function renderPatientList(container) {
  const body = h('tbody', { 'data-testid': 'patient-rows' });
  container.replaceChildren(
    h('h1', {}, 'Patients'),
    h('table', { class: 'patients', 'data-testid': 'patients' },
      h('thead', {}, h('tr', {},
        h('th', {}, 'patient'), h('th', {}, 'risk in 15 min'), h('th', {}, 'risk in 5 min'),
        h('th', {}, 'MAP mmHg'), h('th', {}, 'HR /min'), h('th', {}, 'CO L/min'),
        h('th', {}, 'open alerts'), h('th', {}, 'twin updated (UTC)'))),
      body));
  let shown = null;
  return async () => {
    const { patients } = await api.patients();
    // Rebuilt only when something changed, so that a link is not replaced under the pointer.
    const key = JSON.stringify(patients);
    if (key === shown) return;
    shown = key;
    body.replaceChildren(...patients.map((p) =>
      h('tr', { 'data-testid': 'patient-row', 'data-patient': p.id },
        h('td', {}, h('a', { href: `#/patients/${encodeURIComponent(p.id)}`,
                              'data-testid': 'patient-link' }, p.id)),
        h('td', {}, riskBadge(p.risk, 'risk-badge')),
        h('td', { 'data-testid': 'risk-5', 'data-value': p.risk.in_5_min }, percent(p.risk.in_5_min)),
        h('td', { 'data-testid': 'latest-map' }, latest(p.vitals.map, 0)),
        h('td', {}, latest(p.vitals.heart_rate, 0)),
        h('td', {}, latest(p.vitals.cardiac_output, 1)),
        h('td', { 'data-testid': 'open-alerts', class: p.open_alerts ? 'alerting' : '' },
          String(p.open_alerts)),
        h('td', {}, clock(p.updated_to)))));
    if (patients.length === 0) {
      body.append(h('tr', {}, h('td', { colspan: 8, class: 'empty' },
        'No patient yet: a twin starts with its first mean arterial pressure.')));
    }
  };
}
