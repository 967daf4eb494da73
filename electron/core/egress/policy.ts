/**
 * The one egress policy. Every outbound connection the engine makes asks it first: loopback is always
 * allowed; any other host is allowed only while the offline setting is off (the user allowed the teachers
 * and judges they registered by registering them), and refused while it is on. Each non-loopback attempt
 * is written to the egress log, allowed or refused. Child processes get the same rule through `childEnv`.
 */
import net from 'node:net';
import { UserError } from '../util/errors';
import { recordEgress } from './log';
import { offlineState, type OfflineState } from './settings';

/** Names and addresses that never leave this machine. 0.0.0.0 and :: connect to the local host too. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '0.0.0.0' || h === '::' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  if (net.isIPv4(v4)) return v4.startsWith('127.');
  return false;
}

function settingName(s: OfflineState): string {
  return s.source === 'env'
    ? 'DISTILLERY_OFFLINE is set in the environment: unset it'
    : `the offline setting is on (${s.file}): turn it off with "distillery config set offline false" or on the Project step`;
}

/** The sentence a refused connection is reported with: the host, who asked, and the setting to change. */
export function refusalSentence(host: string, port: number, who: string, s: OfflineState = offlineState()): string {
  return `Refused the ${who} connection to ${host}:${port} because Distillery is offline and only this machine (loopback) may be reached; ${settingName(s)}, or use a server on 127.0.0.1.`;
}

/**
 * Asks the policy about one connection and logs the attempt when it would leave the machine.
 * Returns null when allowed, else the refusal sentence.
 */
export function egressRefusal(host: string, port: number, who: string): string | null {
  if (isLoopbackHost(host)) return null;
  const s = offlineState();
  const allowed = !s.offline;
  recordEgress({ host, port, who, allowed });
  return allowed ? null : refusalSentence(host, port, who, s);
}

export class EgressRefused extends UserError {
  constructor(
    message: string,
    readonly host: string,
    readonly port: number,
  ) {
    super(message, 'egress_refused');
  }
}

/** For callers that use fetch(): throws EgressRefused when the policy refuses the URL's host. */
export function assertEgress(url: string, who: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return; // fetch() itself rejects an unparsable URL, with no connection made
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  const refused = egressRefusal(host, port, who);
  if (refused) throw new EgressRefused(refused, host, port);
}
