import i18next from 'i18next';
import type { EngineMessage } from '../../electron/core/util/messages';

/**
 * An engine message in the UI's language: `notes.<code>` with its params when the UI knows the code, else
 * the engine's English sentence (a plain string comes from a record written before messages had codes).
 */
export function messageText(m: EngineMessage | string): string {
  if (typeof m === 'string') return m;
  const key = `notes.${m.code}`;
  return i18next.exists(key) ? i18next.t(key, m.params) : m.text;
}
