/**
 * A message the engine sends the UI (a note, a warning): a code and parameters the UI translates
 * (`notes.<code>` in renderer/i18n/*.json, interpolating the params), and the English sentence for the
 * CLI, the logs and a UI that does not know the code. renderer/i18n/engine-messages.test.ts checks that
 * every code built with `message(...)` or listed as `code: '…'` beside it has both languages.
 */
export type MessageParams = Record<string, string | number>;

export interface EngineMessage {
  code: string;
  params: MessageParams;
  text: string;
}

export function message(code: string, params: MessageParams, text: string): EngineMessage {
  return { code, params, text };
}

/** Notes gathered while a result is built: the English lines (`texts`) and the same notes with codes. */
export class Notes {
  readonly texts: string[] = [];
  readonly messages: EngineMessage[] = [];

  add(m: EngineMessage): void {
    this.texts.push(m.text);
    this.messages.push(m);
  }

  addAll(ms: readonly EngineMessage[]): void {
    for (const m of ms) this.add(m);
  }
}
