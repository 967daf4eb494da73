import { test as base, expect, type APIRequestContext } from '@playwright/test';
import { AppPage } from './pages/AppPage';

export interface Host {
  /** The URL the CLI printed, with its token. */
  url: string;
  origin: string;
  token: string;
  /** A folder for the projects the tests create. */
  root: string;
  home: string;
}

function host(): Host {
  const url = process.env.DISTILLERY_URL;
  if (!url) throw new Error('DISTILLERY_URL is not set: run the specs through playwright.config.ts (its global setup starts the host).');
  const u = new URL(url);
  return { url, origin: u.origin, token: u.searchParams.get('token') ?? '', root: process.env.DISTILLERY_E2E_ROOT ?? '', home: process.env.DISTILLERY_E2E_HOME ?? '' };
}

/** Calls a tRPC mutation over HTTP as the renderer would (Bearer token). */
export async function mutate(request: APIRequestContext, h: Host, proc: string, input?: unknown) {
  const res = await request.post(`${h.origin}/api/trpc/${proc}`, {
    headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
    data: input === undefined ? '' : JSON.stringify(input),
  });
  expect(res.status(), `${proc}: ${await res.text()}`).toBe(200);
  return res;
}

let seq = 0;

export const test = base.extend<{ host: Host; app: AppPage; uniqueDir: (prefix: string) => string }>({
  // Playwright requires a destructuring pattern for a fixture's first argument, even when it uses none.
  // eslint-disable-next-line no-empty-pattern -- see above
  host: async ({}, use) => {
    await use(host());
  },
  // Every test starts from the picker: the host is shared, so close whatever an earlier test left open.
  app: async ({ page, request, host: h }, use) => {
    await mutate(request, h, 'project.close');
    await use(new AppPage(page, h));
  },
  uniqueDir: async ({ host: h }, use) => {
    await use((prefix) => `${h.root}/${prefix}-${Date.now()}-${++seq}`);
  },
});

export { expect };
