// Bulk replay jobs: their progress, and cancel for operators.
import { get, post } from './api.js';
import { h, time, toast } from './dom.js';

let timer;

export async function replaysView(root, me, id) {
  clearTimeout(timer);
  const jobs = id ? [await get(`replays/${encodeURIComponent(id)}`)] : (await get('replays')).jobs;
  root.replaceChildren(h('h1', {}, id ? 'Bulk replay' : 'Bulk replays'));
  if (jobs.length === 0) root.append(h('p', { class: 'muted' }, 'No bulk replay yet. Filter the entries of a route by status, then "Replay all".'));
  jobs.forEach((j) => root.append(jobCard(j, me, () => replaysView(root, me, id))));
  if (jobs.some((j) => j.running)) {
    const hash = window.location.hash;
    timer = setTimeout(() => { if (window.location.hash === hash) replaysView(root, me, id).catch(() => {}); }, 1000);
  }
}

function jobCard(j, me, refresh) {
  const filter = Object.entries(j.filter).map(([k, v]) => `${k}=${v}`).join(' ');
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuenow': Math.round(j.percent), 'aria-valuemin': 0, 'aria-valuemax': 100 },
    h('div', { class: 'bar', style: `width:${j.percent}%` }));
  const card = h('section', { class: 'card job', dataset: { job: j.id, state: j.state } },
    h('h2', {}, h('a', { href: `#/replays/${encodeURIComponent(j.id)}` }, j.id), ' ', h('span', { class: `badge job-${j.state.toLowerCase()}` }, j.state)),
    h('p', { class: 'mono' }, filter),
    bar,
    h('p', { class: 'facts job-progress' },
      h('span', {}, `${j.replayed} of ${j.total} replayed`),
      j.skipped ? h('span', {}, `${j.skipped} skipped`) : null,
      h('span', {}, `asked by ${j.requestedBy}: ${j.reason}`),
      h('span', {}, `started ${time(j.createdAt)}`)),
    j.detail ? h('p', { class: 'muted' }, j.detail) : null);
  if (me.role === 'OPERATOR' && j.running) {
    card.append(h('button', {
      class: 'secondary cancel-job',
      onclick: async () => {
        try {
          await post(`replays/${encodeURIComponent(j.id)}/cancel`, {});
          toast('Cancelled; entries replayed so far stay replayed.');
          refresh();
        } catch (e) {
          toast(e.message, 'bad');
        }
      },
    }, 'Cancel'));
  }
  return card;
}
