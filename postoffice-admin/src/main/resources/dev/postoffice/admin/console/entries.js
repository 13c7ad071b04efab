// A filtered list of entries, newest first, a page at a time (the API's keyset cursor), with a
// bulk replay of everything the filter selects.
import { get, post, query } from './api.js';
import { h, badge, time, short, toast, confirmReplay } from './dom.js';

const FIELDS = ['route', 'direction', 'layer', 'status', 'error', 'from', 'to'];

export async function entriesView(root, me, params) {
  const filter = {};
  FIELDS.forEach((f) => { if (params.get(f)) filter[f] = params.get(f); });
  const form = filterForm(filter);
  const body = h('tbody', {});
  const table = h('table', { class: 'entries' },
    h('thead', {}, h('tr', {},
      h('th', {}, 'created'), h('th', {}, 'route'), h('th', {}, 'layer'), h('th', {}, 'status'),
      h('th', {}, 'last error'), h('th', { class: 'wide' }, 'delivery or entry id'))),
    body);
  const more = h('button', { id: 'load-more', class: 'secondary', hidden: true }, 'Load more');
  const summary = h('p', { id: 'match-count', class: 'facts' });
  root.replaceChildren(
    h('h1', {}, filter.status === 'REJECTED,FAILED' ? 'Needs attention' : 'Entries'),
    form, summary, h('div', { class: 'scroll' }, table), more);

  let cursor = null;
  const load = async () => {
    const page = await get(`entries${query({ ...filter, cursor, limit: 50 })}`);
    page.entries.forEach((e) => body.append(row(e)));
    if (page.entries.length === 0 && !cursor) {
      body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No entries match.')));
    }
    cursor = page.next;
    more.hidden = !cursor;
  };
  more.addEventListener('click', () => load().catch((e) => toast(e.message, 'bad')));
  await load();

  const { count } = await get(`entries/count${query(filter)}`);
  summary.replaceChildren(h('span', {}, `${count} matching`));
  if (me.role === 'OPERATOR' && filter.route && filter.status && count > 0) {
    summary.append(h('button', {
      id: 'bulk-replay',
      class: 'danger',
      onclick: async () => {
        const reason = await confirmReplay(
          `Replay ${count} ${count === 1 ? 'entry' : 'entries'} of ${filter.route} (${filter.status})? `
          + 'Each runs again through the current stages; their previous outputs are kept as Superseded.',
          `Replay ${count}`);
        if (reason === null) return;
        try {
          const job = await post('replays', { ...filter, reason, expectedCount: count });
          window.location.hash = `#/replays/${encodeURIComponent(job.id)}`;
        } catch (e) {
          toast(e.message, 'bad');
        }
      },
    }, `Replay all ${count}…`));
  } else if (me.role === 'OPERATOR' && count > 0) {
    summary.append(h('span', { class: 'muted' }, 'choose a route and a status to replay them all'));
  }
}

function row(e) {
  return h('tr', { class: 'entry-row', dataset: { id: e.id } },
    h('td', {}, h('a', { href: `#/entry/${encodeURIComponent(e.id)}` }, time(e.createdAt))),
    h('td', {}, e.route),
    h('td', {}, e.layer),
    h('td', {}, badge(e.status, e.statusName)),
    h('td', { class: 'error-text' }, e.lastError || ''),
    h('td', { class: 'wide mono' }, e.dedupKey || short(e.id)));
}

function filterForm(filter) {
  const input = (name, label, attrs) => h('label', {}, label,
    h('input', { id: `filter-${name}`, name, value: filter[name] || '', ...attrs }));
  const select = (name, label, options) => h('label', {}, label,
    h('select', { id: `filter-${name}`, name },
      options.map(([v, text]) => h('option', { value: v, selected: (filter[name] || '') === v }, text))));
  const form = h('form', { id: 'filter-form', class: 'filters card' },
    input('route', 'Route', { placeholder: 'any' }),
    select('direction', 'Direction', [['', 'any'], ['UPSTREAM', 'upstream'], ['DOWNSTREAM', 'downstream']]),
    select('layer', 'Layer', [['', 'any'], ['L1', 'L1'], ['L2', 'L2'], ['L3', 'L3'], ['L4', 'L4']]),
    select('status', 'Status', [['', 'any'], ['REJECTED,FAILED', 'Rejected or Failed'], ['REJECTED', 'Rejected'],
      ['FAILED', 'Failed'], ['RETRYING', 'Retrying'], ['JUST_IN', 'Just In'], ['QUEUED', 'Queued'],
      ['ACKNOWLEDGED', 'Acknowledged'], ['DISPATCHED', 'Dispatched'], ['PROCESSED', 'Processed'],
      ['DUPLICATE', 'Duplicate'], ['FILTERED', 'Filtered'], ['SUPERSEDED', 'Superseded']]),
    input('error', 'Error contains', { placeholder: 'text' }),
    input('from', 'Created from', { placeholder: '2026-12-07T03:00:00Z' }),
    input('to', 'Created before', { placeholder: 'ISO time' }),
    h('button', { id: 'filter-apply', type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = {};
    new FormData(form).forEach((v, k) => { if (String(v).trim()) next[k] = String(v).trim(); });
    window.location.hash = `#/entries${query(next)}`;
  });
  return form;
}
