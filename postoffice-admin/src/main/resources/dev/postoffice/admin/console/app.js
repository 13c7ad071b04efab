// The console's entry point: sign-in, the hash router, the id lookup.
import { get, token, setToken, ApiError } from './api.js';
import { h, errorBox } from './dom.js';
import { routesView } from './routes.js';
import { entriesView } from './entries.js';
import { entryView } from './entry.js';
import { replaysView } from './replays.js';
import { healthView } from './health.js';

const view = document.getElementById('view');
const signInView = document.getElementById('sign-in-view');
let me = null;

async function signIn(candidate) {
  setToken(candidate);
  try {
    me = await get('me');
  } catch (e) {
    setToken(null);
    me = null;
    throw e;
  }
  document.getElementById('whoami').textContent = `${me.name} · ${me.role.toLowerCase()}`;
  document.getElementById('nav').hidden = false;
  document.getElementById('lookup-form').hidden = false;
  document.getElementById('sign-out').hidden = false;
}

async function render() {
  if (!me) {
    view.replaceChildren(signInView);
    return;
  }
  const hash = window.location.hash || '#/routes';
  const [path, q] = hash.slice(1).split('?');
  const params = new URLSearchParams(q || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const root = h('div', { class: 'page', id: `page-${parts[0] || 'routes'}` });
  view.replaceChildren(root);
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.getAttribute('href') === hash));
  try {
    if (parts[0] === 'entries') await entriesView(root, me, params);
    else if (parts[0] === 'entry') await entryView(root, me, parts[1]);
    else if (parts[0] === 'replays') await replaysView(root, me, parts[1]);
    else if (parts[0] === 'health') await healthView(root);
    else if (parts[0] === 'lookup') await lookupView(root, params.get('q'));
    else await routesView(root, me);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setToken(null);
      me = null;
      render();
      return;
    }
    root.append(errorBox(e));
  }
}

async function lookupView(root, q) {
  const { matches } = await get(`lookup?q=${encodeURIComponent(q)}`);
  if (matches.length === 1) {
    window.location.hash = `#/entry/${encodeURIComponent(matches[0].entry.id)}`;
    return;
  }
  root.replaceChildren(h('h1', {}, `Found ${matches.length} for `, h('span', { class: 'mono' }, q)),
    h('ul', { class: 'matches' }, matches.map((m) => h('li', {},
      h('a', { href: `#/entry/${encodeURIComponent(m.entry.id)}` }, `${m.entry.route} ${m.entry.layer} ${m.entry.statusName}`),
      h('span', { class: 'muted' }, ` matched by ${m.matchedBy}`)))));
}

document.getElementById('sign-in-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const error = document.getElementById('sign-in-error');
  error.textContent = '';
  try {
    await signIn(document.getElementById('token-input').value.trim());
    document.getElementById('token-input').value = '';
    render();
  } catch (e) {
    error.textContent = e.status === 401 ? 'That token is not valid.' : e.message;
  }
});

document.getElementById('sign-out').addEventListener('click', () => {
  setToken(null);
  window.location.reload();
});

document.getElementById('lookup-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('lookup-input').value.trim();
  if (q) window.location.hash = `#/lookup?q=${encodeURIComponent(q)}`;
});

window.addEventListener('hashchange', () => {
  document.getElementById('toast').hidden = true; // a message about the page left behind
  render();
});

(async () => {
  if (token()) {
    try {
      await signIn(token());
    } catch (e) {
      // the stored token no longer works: ask again
    }
  }
  render();
})();
