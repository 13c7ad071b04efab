// Talks to the console's JSON API. The token lives in sessionStorage (this tab only) and goes in
// the Authorization header; the API takes no cookies.
const TOKEN_KEY = 'postoffice.token';
const base = new URL('api/', window.location.href.split('#')[0]).pathname;

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `request failed (${status})`);
    this.status = status;
    this.parameter = body ? body.parameter : undefined;
  }
}

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${token()}` };
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(base + path, init);
  const json = await response.json().catch(() => null);
  if (!response.ok && !(response.status === 503 && path === 'health')) {
    throw new ApiError(response.status, json);
  }
  return json;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);

export function query(params) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  });
  const s = q.toString();
  return s ? `?${s}` : '';
}
