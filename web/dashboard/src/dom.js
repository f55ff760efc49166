// SPDX-License-Identifier: Apache-2.0
// A small element builder and the number formats the pages share.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const percent = (p) => `${(100 * p).toFixed(0)} %`;
export const fixed = (x, digits = 0) => (x === null || x === undefined ? '—' : x.toFixed(digits));
export const interval = (q, digits = 0) =>
  `${fixed(q.p50, digits)} (${fixed(q.p05, digits)}–${fixed(q.p95, digits)})`;
export const clock = (ms) =>
  new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
