// Health: the store and the host's checks (the broker), and each route's backlog.
import { get } from './api.js';
import { h, age } from './dom.js';

export async function healthView(root) {
  const health = await get('health');
  root.replaceChildren(
    h('h1', {}, 'Health ', h('span', { id: 'health-status', class: `badge ${health.status === 'UP' ? 's-acknowledged' : 's-failed'}` }, health.status)),
    h('section', { class: 'card' }, h('h2', {}, 'Reachable'),
      h('ul', { class: 'checks' }, Object.entries(health.checks).map(([name, c]) => h('li', {},
        h('span', { class: `badge ${c.up ? 's-acknowledged' : 's-failed'}` }, c.up ? 'up' : 'down'), ` ${name}`,
        c.error ? h('span', { class: 'error-text' }, ` ${c.error}`) : null)))),
    h('section', { class: 'card' }, h('h2', {}, 'Backlog'),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'route'), h('th', {}, 'backlog'), h('th', {}, 'oldest waiting'), h('th', {}, ''))),
        h('tbody', {}, health.routes.map((r) => h('tr', {},
          h('td', {}, r.route), h('td', {}, String(r.backlog)), h('td', {}, age(r.oldestWaitingSeconds)),
          h('td', {}, r.paused ? h('span', { class: 'badge paused' }, 'paused') : '')))))));
}
