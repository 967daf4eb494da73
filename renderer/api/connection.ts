import i18next from 'i18next';

/**
 * Browser mode's link to the engine, watched in one place. A stopped server used to show a raw
 * "Failed to fetch" in every panel while the Jobs panel said "No jobs"; a stale token (the server was
 * restarted and printed a new one) read as "Unknown error". Now every HTTP call goes through
 * `trackedFetch`, which notes a network failure (→ `down`, and a health poll every 2 s until the engine
 * answers again, → `ok` with a new epoch so that views load again) or a 401 (→ `unauthorized`: this tab's
 * token is no longer valid). One banner shows the state; panels leave these two errors to it.
 */
export type ConnectionState = 'ok' | 'down' | 'unauthorized';

let state: ConnectionState = 'ok';
let epoch = 0;
let token = '';
let poll: ReturnType<typeof setTimeout> | null = null;
const listeners = new Set<() => void>();

export const POLL_MS = 2_000;

function set(next: ConnectionState): void {
  if (next === state) return;
  const recovered = state !== 'ok' && next === 'ok';
  state = next;
  if (recovered) epoch++;
  for (const l of listeners) l();
  if (next === 'down') schedulePoll();
}

export function connectionSnapshot(): { state: ConnectionState; epoch: number } {
  return snapshot;
}
let snapshot: { state: ConnectionState; epoch: number } = { state, epoch };
listeners.add(() => {
  snapshot = { state, epoch };
});

export function subscribeConnection(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function connectionState(): ConnectionState {
  return state;
}

function schedulePoll(): void {
  if (poll) return;
  poll = setTimeout(() => {
    poll = null;
    void checkHealth();
  }, POLL_MS);
}

async function checkHealth(): Promise<void> {
  try {
    const r = await fetch('/api/health', { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (r.status === 401) return set('unauthorized');
    if (r.ok) return set('ok');
  } catch {
    // No answer: the engine is (still) gone.
  }
  if (state === 'down') schedulePoll();
  else set('down');
}

/**
 * While the page is visible, a cheap health call every 5 s: a tab left open on a quiet step (no call of its
 * own) still learns that the engine stopped, or that its token is no longer valid.
 */
export function watchConnection(): void {
  if (typeof window === 'undefined') return;
  setInterval(() => {
    if (state === 'ok' && document.visibilityState === 'visible') void checkHealth();
  }, 5_000);
}

/** The fetch every HTTP link uses. */
export function trackedFetch(authToken: string): typeof fetch {
  token = authToken;
  return async (input, init) => {
    let res: Response;
    try {
      res = await fetch(input, init);
    } catch (e) {
      // An abort is the caller's choice, not a lost engine.
      if (!(init?.signal?.aborted || (e instanceof DOMException && e.name === 'AbortError'))) set('down');
      throw e;
    }
    if (res.status === 401) set('unauthorized');
    else if (state !== 'ok') set('ok');
    // The host's own answer to an over-long request is not tRPC's shape: one sentence, never "Unknown error".
    if (res.status === 413 || res.status === 414 || res.status === 431) throw new Error(i18next.t('connection.tooLong'));
    return res;
  };
}

/** For subscriptions (EventSource cannot use fetch): an error event while the engine is gone. */
export function noteStreamError(): void {
  if (state === 'ok') void checkHealth();
}
