// Small DOM helpers. Every text goes through textContent: nothing from the API is parsed as HTML.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v === undefined || v === null || v === false) return;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    // Through the CSSOM: the content security policy forbids style attributes.
    else if (k === 'style') el.style.cssText = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  });
  children.flat().forEach((c) => {
    if (c === undefined || c === null || c === false) return;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  });
  return el;
}

export function badge(status, name) {
  return h('span', { class: `badge s-${status.toLowerCase()}` }, name || status);
}

export function age(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)}`;
}

export function short(id) {
  return id && id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id;
}

let toastTimer;
export function toast(message, kind) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = `toast ${kind || ''}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 6000);
}

// Asks before a replay, naming how many entries it touches. Resolves to the reason, or null.
export function confirmReplay(text, action) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-yes').textContent = action || 'Replay';
  dialog.hidden = false;
  document.getElementById('confirm-reason').focus();
  return new Promise((resolve) => {
    const done = (value) => {
      dialog.hidden = true;
      yes.removeEventListener('click', onYes);
      no.removeEventListener('click', onNo);
      resolve(value);
    };
    const yes = document.getElementById('confirm-yes');
    const no = document.getElementById('confirm-no');
    const onYes = () => done(document.getElementById('confirm-reason').value.trim() || 'replayed from the console');
    const onNo = () => done(null);
    yes.addEventListener('click', onYes);
    no.addEventListener('click', onNo);
  });
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, error.message || String(error));
}
