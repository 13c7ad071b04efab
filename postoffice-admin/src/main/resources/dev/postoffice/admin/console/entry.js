// One entry: what it is, why it failed, its trace as a timeline layer by layer, the payloads along
// its lineage side by side, its history, and a replay button for operators.
import { get, post } from './api.js';
import { h, badge, time, short, toast, confirmReplay, errorBox } from './dom.js';

const LAYERS = ['L1', 'L2', 'L3', 'L4'];
let refreshTimer;

export async function entryView(root, me, id) {
  clearTimeout(refreshTimer);
  const data = await get(`entries/${encodeURIComponent(id)}`);
  const e = data.entry;
  root.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: `#/entries?route=${encodeURIComponent(e.route)}` }, e.route), ` / ${e.layer} / `, short(e.id)),
    header(data, me, () => entryView(root, me, id)),
    section('Trace, layer by layer', timeline(data.trace, e.id)),
    section('Payloads along the lineage', await payloads(data)),
    section('Lineage', lineage(data)),
    section('History', history(data.history)));
  // Keep watching while anything in the trace is still on its way (after a replay, say).
  const moving = data.trace.some((t) => !t.entry.terminal);
  if (moving && document.body.contains(root)) {
    refreshTimer = setTimeout(() => {
      if (window.location.hash === `#/entry/${encodeURIComponent(id)}`) {
        entryView(root, me, id).catch((err) => root.append(errorBox(err)));
      }
    }, 1000);
  }
}

function section(title, content) {
  return h('section', { class: 'card' }, h('h2', {}, title), content);
}

function header(data, me, refresh) {
  const e = data.entry;
  const facts = h('dl', { class: 'facts-grid' },
    fact('Entry id', e.id, 'entry-id'),
    fact('Trace id', e.traceId),
    // The partner's delivery id is kept on the original receipt, the first of the lineage.
    fact('Delivery id', (data.ancestors.length ? data.ancestors[0].entry : e).dedupKey || '–', 'delivery-id'),
    fact('Route', `${e.route} (${e.direction.toLowerCase()})`),
    fact('Layer', e.layer),
    fact('Attempts', String(e.attempts)),
    fact('Produced by', e.producedBy || '–'),
    fact('Created', time(e.createdAt)),
    fact('Updated', time(e.updatedAt)));
  const card = h('section', { class: 'card entry-head' },
    h('h1', {}, 'Entry ', h('span', { id: 'entry-status' }, badge(e.status, e.statusName))),
    e.lastError ? h('p', { id: 'entry-error', class: 'error-box' }, e.lastError) : null,
    facts);
  if (me.role === 'OPERATOR') {
    card.append(h('button', {
      id: 'replay-one',
      class: 'danger',
      onclick: async () => {
        const reason = await confirmReplay(
          `Replay 1 entry (${e.layer} of ${e.route}, now ${e.statusName})? It runs again through the current stages.`,
          'Replay 1');
        if (reason === null) return;
        try {
          await post(`entries/${encodeURIComponent(e.id)}/replay`, { reason });
          toast('Replayed: watch it move through the layers below.');
          refresh();
        } catch (err) {
          toast(err.message, 'bad');
        }
      },
    }, 'Replay this entry…'));
  }
  return card;
}

function fact(name, value, id) {
  return [h('dt', {}, name), h('dd', { class: 'mono', id }, value)];
}

function timeline(trace, currentId) {
  const lanes = h('div', { class: 'timeline' });
  LAYERS.forEach((layer) => {
    const here = trace.filter((t) => t.entry.layer === layer);
    lanes.append(h('div', { class: 'lane', dataset: { layer } },
      h('h3', {}, layer, h('span', { class: 'muted' }, ` ${layerName(layer)}`)),
      here.length === 0 ? h('p', { class: 'muted' }, 'nothing yet') : here.map((t) => step(t, currentId))));
  });
  return lanes;
}

function layerName(layer) {
  return { L1: 'partner edge', L2: 'normalize', L3: 'translate', L4: 'core exchange' }[layer];
}

function step(t, currentId) {
  const e = t.entry;
  const last = t.history[t.history.length - 1];
  return h('a', {
    class: `step${e.id === currentId ? ' current' : ''}`,
    href: `#/entry/${encodeURIComponent(e.id)}`,
    dataset: { id: e.id, status: e.status },
  },
  badge(e.status, e.statusName),
  h('span', { class: 'mono' }, short(e.id)),
  e.producedBy ? h('span', { class: 'muted' }, e.producedBy) : null,
  last ? h('span', { class: 'muted' }, time(last.at)) : null,
  e.lastError ? h('span', { class: 'error-text' }, e.lastError) : null);
}

async function payloads(data) {
  const along = [...data.ancestors, { entry: data.entry, payload: data.payload }];
  // The first outputs too, so a translation can be compared with what it produced.
  for (const d of data.descendants.slice(0, 3)) {
    try {
      along.push({ entry: d, payload: await get(`entries/${encodeURIComponent(d.id)}/payload`) });
    } catch (err) {
      along.push({ entry: d, payload: { present: false } });
    }
  }
  return h('div', { class: 'payloads' }, along.map(({ entry, payload }) => h('div', { class: 'payload', dataset: { layer: entry.layer } },
    h('h3', {}, `${entry.layer} `, badge(entry.status, entry.statusName)),
    payloadBody(payload))));
}

function payloadBody(p) {
  if (!p.present) return h('p', { class: 'muted' }, 'no payload (purged, or not kept)');
  const meta = h('p', { class: 'muted' }, `${p.contentType}, ${p.size} bytes${p.redacted ? ', redacted' : ''}${p.truncated ? ', cut' : ''}`);
  if (p.encoding === 'text') return [meta, h('pre', { class: 'raw' }, pretty(p.text, p.contentType))];
  return [meta, h('pre', { class: 'raw hex' }, p.hex), h('details', {}, h('summary', {}, 'base64'), h('pre', { class: 'raw' }, p.base64))];
}

function pretty(text, contentType) {
  if (!/json/.test(contentType)) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (err) {
    return text; // not valid JSON: show the bytes as they are, which is likely why it was rejected
  }
}

function lineage(data) {
  const link = (e) => h('li', {}, h('a', { href: `#/entry/${encodeURIComponent(e.id)}` }, `${e.layer} ${short(e.id)}`), ' ', badge(e.status, e.statusName));
  return h('div', { class: 'lineage' },
    h('div', {}, h('h3', {}, 'Came from'), data.ancestors.length ? h('ol', {}, data.ancestors.map((a) => link(a.entry))) : h('p', { class: 'muted' }, 'the original receipt')),
    h('div', {}, h('h3', {}, 'Produced'),
      data.descendants.length ? h('ul', {}, data.descendants.map(link)) : h('p', { class: 'muted' }, 'nothing (yet)'),
      data.descendantCount > data.descendants.length
        ? h('p', { class: 'muted' }, `and ${data.descendantCount - data.descendants.length} more (filter the entries by route and time to see them)`)
        : null));
}

function history(records) {
  return h('div', { class: 'scroll' }, h('table', { class: 'history' },
    h('thead', {}, h('tr', {}, h('th', {}, 'when'), h('th', {}, 'from'), h('th', {}, 'to'), h('th', {}, 'detail'))),
    h('tbody', {}, records.map((r) => h('tr', {},
      h('td', {}, time(r.at)), h('td', {}, r.from || '(new)'), h('td', {}, badge(r.to, r.toName)), h('td', {}, r.detail || ''))))));
}
