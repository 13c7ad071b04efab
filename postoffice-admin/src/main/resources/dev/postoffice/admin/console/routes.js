// The overview: one card per route with its counts per layer and status, backlog, oldest wait,
// and pause/resume for operators.
import { get, post } from './api.js';
import { h, badge, age, toast } from './dom.js';

const LAYERS = ['L1', 'L2', 'L3', 'L4'];

export async function routesView(root, me) {
  const { routes } = await get('routes');
  root.replaceChildren(h('h1', {}, 'Routes'));
  if (routes.length === 0) {
    root.append(h('p', { class: 'muted' }, 'No entries yet.'));
    return;
  }
  const grid = h('div', { class: 'route-grid' });
  routes.forEach((r) => grid.append(routeCard(r, me, () => routesView(root, me))));
  root.append(grid);
}

function routeCard(r, me, refresh) {
  const statuses = [...new Set(LAYERS.flatMap((l) => Object.keys(r.layers[l] || {})))];
  const table = h('table', { class: 'counts' },
    h('thead', {}, h('tr', {}, h('th', {}, 'layer'), statuses.map((s) => h('th', {}, badge(s, label(s)))))),
    h('tbody', {}, LAYERS.filter((l) => r.layers[l]).map((l) => h('tr', {},
      h('th', {}, l),
      statuses.map((s) => {
        const n = (r.layers[l] || {})[s];
        if (!n) return h('td', { class: 'muted' }, '–');
        const link = h('a', { href: `#/entries?route=${encodeURIComponent(r.route)}&layer=${l}&status=${s}` }, String(n));
        return h('td', {}, link);
      })))));
  const attention = r.needsOperator > 0
    ? h('a', { class: 'attention', href: `#/entries?route=${encodeURIComponent(r.route)}&status=REJECTED,FAILED` },
      `${r.needsOperator} need an operator`)
    : h('span', { class: 'ok' }, 'nothing needs an operator');
  const card = h('section', { class: 'card route', dataset: { route: r.route } },
    h('div', { class: 'route-head' },
      h('h2', {}, r.route),
      r.paused ? h('span', { class: 'badge paused' }, `paused by ${r.pausedBy}`) : null),
    h('p', { class: 'facts' },
      h('span', {}, `backlog ${r.backlog}`),
      h('span', {}, `oldest waiting ${age(r.oldestWaitingSeconds)}`),
      attention),
    h('div', { class: 'scroll' }, table));
  if (me.role === 'OPERATOR') {
    const action = r.paused ? 'resume' : 'pause';
    card.append(h('button', {
      class: `secondary ${action}`,
      dataset: { route: r.route },
      onclick: async () => {
        try {
          await post(`routes/${encodeURIComponent(r.route)}/${action}`, { reason: 'from the console' });
          toast(`${r.route} ${r.paused ? 'resumed' : 'paused'}`);
          refresh();
        } catch (e) {
          toast(e.message, 'bad');
        }
      },
    }, r.paused ? 'Resume route' : 'Pause route'));
  }
  return card;
}

export function label(status) {
  return status.split('_').map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join(' ');
}
