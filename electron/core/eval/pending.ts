/**
 * Playground questions waiting for their stream. A subscription's input travels in the URL of an
 * EventSource (GET only), so a 20,000-character question made the URL too long for the server; the
 * renderer now sends the input with a POST (`playground.prepare`) and subscribes with the short key it got.
 * A key is taken once and forgotten after a minute.
 */
import crypto from 'node:crypto';
import { UserError } from '../util/errors';
import type { PlaygroundInput } from './types';

const TTL_MS = 60_000;
const MAX_PENDING = 64;
const pending = new Map<string, { input: PlaygroundInput; at: number }>();

function sweep(now: number): void {
  for (const [key, p] of pending) if (now - p.at > TTL_MS || pending.size > MAX_PENDING) pending.delete(key);
}

export function putPending(input: PlaygroundInput): { key: string } {
  const now = Date.now();
  sweep(now);
  const key = crypto.randomBytes(12).toString('hex');
  pending.set(key, { input, at: now });
  return { key };
}

export function takePending(key: string): PlaygroundInput {
  const p = pending.get(key);
  pending.delete(key);
  if (!p || Date.now() - p.at > TTL_MS) {
    throw new UserError(
      'This Playground question is no longer waiting to be answered (it was sent more than a minute ago, or already answered); send it again.',
      'playground_key_unknown',
    );
  }
  return p.input;
}
