/** Shared by the egress tests: a real JSON server on every interface, this machine's own address, the engine's sources. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

// The machine's own non-loopback address, when it has one: a real connection that is not loopback and
// still never leaves the machine, so the "online, allowed and logged" path runs without a network.
export const ownAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === 'IPv4')?.address;

/** An OpenAI-style /v1/models answer on 0.0.0.0 (so reachable on ownAddress too); onRequest counts the hits. */
export async function modelsServer(onRequest: () => void = () => undefined): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((_req, res) => {
    onRequest();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: [{ id: 'm' }] }));
  });
  await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Every engine source file (no tests, no testing helpers), with its path relative to electron/core. */
export function engineSources(): { rel: string; text: string }[] {
  const root = path.resolve(import.meta.dirname, '..');
  const out: { rel: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, n.name);
      if (n.isDirectory()) walk(p);
      else if (/\.ts$/.test(n.name) && !/\.test\.ts$|testing/.test(p)) out.push({ rel: path.relative(root, p).split(path.sep).join('/'), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(root);
  return out;
}
