import { fetchEventSource } from '@microsoft/fetch-event-source';
import { t } from './i18n.js';

const TOKEN_KEY = 'ticketing.ops.session';

/** The signed-in operator ({ userName, token, expiresAt }) or null. Kept for this browser tab only. */
export function currentSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null');
    if (session && session.expiresAt > Date.now() + 5_000) return session;
  } catch {
    /* a damaged entry is no session */
  }
  sessionStorage.removeItem(TOKEN_KEY);
  return null;
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
  }
}

async function problemOf(response) {
  let title = response.statusText;
  let detail = '';
  try {
    const problem = await response.json();
    title = problem.title ?? title;
    detail = problem.detail ?? (problem.errors ? Object.values(problem.errors).flat().join(' ') : '');
  } catch {
    /* not a problem document */
  }
  return new ApiError(response.status, title, detail);
}

/** Signs in with the gateway's local token issuer as an operator. */
export async function signIn(userName) {
  const response = await fetch('/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userName, role: 'operator' }),
  });
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 404) error.message = t('signIn.issuerOff');
    throw error;
  }
  const { accessToken, expiresIn } = await response.json();
  const session = { userName, token: accessToken, expiresAt: Date.now() + expiresIn * 1000 };
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(session));
  return session;
}

export async function getJson(path, session, signal) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${session.token}` }, signal });
  if (!response.ok) throw await problemOf(response);
  return response.json();
}

class FatalStreamError extends Error {}

/**
 * Follows /api/insights/stream (server-sent events, with the bearer token that EventSource cannot send).
 * Calls onOverview for each overview, onState with 'live' | 'reconnecting', and onDenied when the token is refused.
 */
export function followOverview(session, { onOverview, onState, onDenied }) {
  const controller = new AbortController();
  fetchEventSource('/api/insights/stream', {
    headers: { Authorization: `Bearer ${session.token}`, Accept: 'text/event-stream' },
    signal: controller.signal,
    openWhenHidden: true,
    async onopen(response) {
      if (response.ok && response.headers.get('content-type')?.startsWith('text/event-stream')) {
        onState('live');
        return;
      }
      if (response.status === 401 || response.status === 403) {
        throw new FatalStreamError(String(response.status));
      }
      throw new Error(`stream answered ${response.status}`);
    },
    onmessage(message) {
      if (message.event === 'overview') onOverview(JSON.parse(message.data));
    },
    onclose() {
      onState('reconnecting');
      throw new Error('stream closed'); // reconnect
    },
    onerror(error) {
      if (error instanceof FatalStreamError) {
        onDenied(Number(error.message));
        throw error; // stop
      }
      onState('reconnecting');
      return 2000;
    },
  }).catch(() => {});
  return () => controller.abort();
}
