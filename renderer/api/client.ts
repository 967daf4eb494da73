import { createTRPCClient, httpBatchStreamLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import { ipcLink } from 'trpc-electron/renderer';
import type { AppRouter } from '../../electron/core/api/router';
import { noteStreamError, trackedFetch, watchConnection } from './connection';
import { takeToken } from './token';

export type Transport = 'ipc' | 'http';

declare global {
  interface Window {
    /** Set by the Electron preload (trpc-electron's exposeElectronTRPC). */
    electronTRPC?: unknown;
  }
}

/** EventSource cannot send headers, so subscriptions carry the token in the query string. */
function eventSourceWithToken(token: string): typeof EventSource {
  return class TokenEventSource extends EventSource {
    constructor(url: string | URL, init?: EventSourceInit) {
      const u = new URL(String(url), window.location.href);
      u.searchParams.set('token', token);
      super(u.toString(), init);
      this.addEventListener('error', noteStreamError);
    }
  };
}

function httpLinks(): TRPCLink<AppRouter> {
  const token = takeToken() ?? '';
  watchConnection();
  const url = '/api/trpc';
  // Queries go as POST (the server allows the override): a long input never makes the URL too long.
  // The stream link answers each call of a batch as soon as it is done: a slow env.check never holds up project.info.
  return splitLink({
    condition: (op) => op.type === 'subscription',
    true: httpSubscriptionLink({ url, EventSource: eventSourceWithToken(token) }),
    false: httpBatchStreamLink({ url, methodOverride: 'POST', headers: () => ({ Authorization: `Bearer ${token}` }), fetch: trackedFetch(token) }),
  });
}

/** Picks the transport once at start-up; the rest of the renderer never knows which one it got. */
export const transport: Transport = typeof window !== 'undefined' && window.electronTRPC ? 'ipc' : 'http';

export const api = createTRPCClient<AppRouter>({
  links: [transport === 'ipc' ? ipcLink<AppRouter>() : httpLinks()],
});
