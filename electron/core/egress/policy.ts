/**
 * The one egress policy. Every outbound connection the engine makes asks it first: loopback always; a host
 * off this machine only while online, only when the user allows remote teachers, and only when its host:port
 * is a registered teacher's endpoint; nothing else. Each non-loopback attempt is written to the egress log,
 * allowed or refused. Child processes get the same rule through `childEnv`.
 */
import net from 'node:net';
import { UserError } from '../util/errors';
import { recordEgress } from './log';
import { offlineState, type OfflineState } from './settings';
import { isTeacherHost, urlEndpoint } from './teachers';

/** Names and addresses that never leave this machine. 0.0.0.0 and :: connect to the local host too. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '0.0.0.0' || h === '::' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  if (net.isIPv4(v4)) return v4.startsWith('127.');
  return false;
}

export type EgressReason = 'loopback' | 'teacher' | 'user-command' | 'offline' | 'remote-teachers-off' | 'not-a-teacher';

export interface EgressDecision {
  allowed: boolean;
  reason: EgressReason;
}

/** The decision alone (nothing logged): loopback, then offline, then the remote-teachers setting, then the registry. */
export function egressDecision(host: string, port: number, s: OfflineState = offlineState()): EgressDecision {
  if (isLoopbackHost(host)) return { allowed: true, reason: 'loopback' };
  if (s.offline) return { allowed: false, reason: 'offline' };
  if (!s.allowRemoteTeachers) return { allowed: false, reason: 'remote-teachers-off' };
  return isTeacherHost(host, port) ? { allowed: true, reason: 'teacher' } : { allowed: false, reason: 'not-a-teacher' };
}

function offlineSetting(s: OfflineState): string {
  return s.source === 'env'
    ? 'DISTILLERY_OFFLINE is set in the environment: unset it'
    : `the offline setting is on (${s.file}): turn it off with "distillery config set offline false" or on the Project step`;
}

/** The sentence a refused connection is reported with: the host, who asked, why, and what to change. */
export function refusalSentence(host: string, port: number, who: string, s: OfflineState = offlineState(), reason: EgressReason = 'offline'): string {
  const head = `Refused the ${who} connection to ${host}:${port} because`;
  if (reason === 'remote-teachers-off') {
    return `${head} remote teachers are not allowed (allowRemoteTeachers is false in ${s.file}): turn on "Allow remote teachers" on the Project step or run "distillery config set allowRemoteTeachers true", or use a server on 127.0.0.1.`;
  }
  if (reason === 'not-a-teacher') {
    return `${head} ${host}:${port} is not the address of a registered teacher and only teachers may be reached off this machine: register it as a teacher (the Teacher step or "distillery teacher add") and try again, or use a server on 127.0.0.1.`;
  }
  return `${head} Distillery is offline and only this machine (loopback) may be reached; ${offlineSetting(s)}, or use a server on 127.0.0.1.`;
}

/**
 * Asks the policy about one connection and logs the attempt when it would leave the machine.
 * Returns null when allowed, else the refusal sentence.
 */
export function egressRefusal(host: string, port: number, who: string): string | null {
  const s = offlineState();
  const d = egressDecision(host, port, s);
  if (d.reason === 'loopback') return null;
  recordEgress({ host, port, who, allowed: d.allowed });
  return d.allowed ? null : refusalSentence(host, port, who, s, d.reason);
}

/**
 * For a command the user runs to download on purpose (building the offline bundle: pip and npm fetch from
 * their registries): refused only while offline, logged like any other attempt.
 */
export function userCommandRefusal(host: string, port: number, who: string): string | null {
  if (isLoopbackHost(host)) return null;
  const s = offlineState();
  recordEgress({ host, port, who, allowed: !s.offline });
  return s.offline ? refusalSentence(host, port, who, s, 'offline') : null;
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
  const e = urlEndpoint(url);
  if (!e) return; // fetch() itself rejects an unparsable URL or another scheme, with no connection made
  const refused = egressRefusal(e.host, e.port, who);
  if (refused) throw new EgressRefused(refused, e.host, e.port);
}
