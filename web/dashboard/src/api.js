// SPDX-License-Identifier: Apache-2.0
// The dashboard API of ptwin serve (docs/dashboard.md#api). Every call throws an Error carrying
// the server's message when the answer is not 2xx.

async function call(method, path) {
  const response = await fetch(path, { method, headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.error || `${method} ${path}: HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

const patientPath = (id) => `/api/patients/${encodeURIComponent(id)}`;

export const api = {
  model: () => call('GET', '/api/model'),
  patients: () => call('GET', '/api/patients'),
  vitals: (id, sinceMs) =>
    call('GET', `${patientPath(id)}/vitals${sinceMs === undefined ? '' : `?since=${sinceMs}`}`),
  forecast: (id) => call('GET', `${patientPath(id)}/forecast`),
  parameters: (id, sinceMs) =>
    call('GET', `${patientPath(id)}/parameters${sinceMs === undefined ? '' : `?since=${sinceMs}`}`),
  alerts: (patient) =>
    call('GET', `/api/alerts${patient ? `?patient=${encodeURIComponent(patient)}` : ''}`),
  acknowledge: (id) => call('POST', `/api/alerts/${id}/acknowledge`),
  snooze: (id, minutes) => call('POST', `/api/alerts/${id}/snooze?minutes=${minutes}`),
};
