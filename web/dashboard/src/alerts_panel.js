// SPDX-License-Identifier: Apache-2.0
// The alerts of one patient, newest first, with Acknowledge (snoozes for the rule's time) and
// Snooze (for the minutes chosen) on open ones.

import { api } from './api.js';
import { clock, h, percent } from './dom.js';

export function renderAlerts(container, patient, { onChange, onError }) {
  const list = h('ul', { class: 'alerts', 'data-testid': 'alerts' });
  // The snooze length chosen per alert, kept across the re-renders of each poll.
  const chosenMinutes = new Map();
  container.replaceChildren(h('h2', {}, 'Alerts'), list);
  const act = (action) => async (event) => {
    event.target.disabled = true;
    try {
      await action();
      await onChange();
    } catch (error) {
      onError(error);
    }
  };
  let shown = null;
  return async () => {
    const { alerts } = await api.alerts(patient);
    // Rebuilt only when something changed, so that a button is not replaced under the pointer.
    const key = JSON.stringify(alerts);
    if (key === shown) return;
    shown = key;
    list.replaceChildren(...alerts.map((a) => {
      const chosen = chosenMinutes.get(a.id) ?? 15;
      const minutes = h('select', { 'data-testid': 'snooze-minutes', 'aria-label': 'snooze minutes',
                                    onchange: (event) => chosenMinutes.set(a.id, Number(event.target.value)) },
        ...[5, 15, 30, 60].map((m) => h('option', { value: m, selected: m === chosen }, `${m} min`)));
      const actions = a.state === 'open'
        ? [h('button', { 'data-testid': 'acknowledge', onclick: act(() => api.acknowledge(a.id)) },
             'Acknowledge'),
           minutes,
           h('button', { 'data-testid': 'snooze',
                          onclick: act(() => api.snooze(a.id, Number(minutes.value))) }, 'Snooze')]
        : [];
      const detail = a.state === 'snoozed'
        ? `acknowledged by ${a.acknowledged_by}, snoozed until ${clock(a.snoozed_until)}`
        : a.state === 'cleared' ? `cleared ${clock(a.changed_at)}`
        : `raised ${clock(a.raised_at)}, level ${a.level}`;
      return h('li', { class: `alert state-${a.state}`, 'data-testid': 'alert',
                       'data-alert-id': a.id, 'data-state': a.state },
        h('span', { class: 'alert-state', 'data-testid': 'alert-state' }, a.state),
        h('span', { class: 'alert-rule' }, `${a.rule}: risk ${percent(a.value)}`),
        h('span', { class: 'alert-detail' }, detail),
        h('span', { class: 'alert-actions' }, ...actions));
    }));
    if (alerts.length === 0) list.append(h('li', { class: 'empty' }, 'No alert for this patient.'));
  };
}
