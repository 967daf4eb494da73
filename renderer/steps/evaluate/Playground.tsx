import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError, type ApiError } from '../../api/hooks';
import { messageText } from '../../api/messages';
import { Button, Card, ErrorNote, inputClass } from '../../app/ui';
import { evalApi, type ModelOption, type PlaygroundEvent } from './api';
import { ms, muted, num } from './format';
import { TraceText, wrapAnywhere } from './Trace';
import { initialChoice, ModelPicker, optionKey, specOf, type Chosen } from './ModelPicker';

interface Turn {
  question: string;
  model: string;
  thinking: string;
  thinkingTokens: number;
  answer: string;
  waits: number;
  status: string | null;
  ttftMs: number | null;
  tokensPerSecond: number | null;
  totalMs: number | null;
  hitBudget: boolean;
  error: ApiError | null;
  done: boolean;
}

interface Settings {
  maxThinking: string;
  minThinking: string;
  waits: string;
  maxAnswer: string;
  temperature: string;
}

const int = (s: string, d: number) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : d);

function TurnView({ turn }: { turn: Turn }) {
  const { t } = useTranslation();
  const streaming = !turn.done;
  return (
    <li className={`min-w-0 space-y-2 ${wrapAnywhere}`} data-testid="pg-turn" data-done={turn.done ? 'yes' : 'no'}>
      <div className="ml-auto max-h-64 w-fit max-w-[85%] overflow-y-auto rounded-lg bg-indigo-600 px-3 py-2 text-sm whitespace-pre-wrap text-white" data-testid="pg-question">
        {turn.question}
      </div>
      <div className="min-w-0 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
        <div className="mb-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-300" data-testid="pg-stats">
          <span className="font-semibold">{turn.model}</span>
          <span>
            {t('evaluate.playground.ttft')}: <span data-testid="pg-ttft">{ms(turn.ttftMs)}</span>
          </span>
          <span>
            {t('evaluate.playground.tps')}: <span data-testid="pg-tps">{num(turn.tokensPerSecond, 1)}</span>
          </span>
          <span data-testid="pg-thinking-tokens" data-n={turn.thinkingTokens}>
            {t('evaluate.playground.thinkingTokens', { n: turn.thinkingTokens })}
          </span>
          {turn.waits > 0 && <span>{t('evaluate.playground.waits', { n: turn.waits })}</span>}
          {turn.hitBudget && <span>{t('evaluate.playground.hitBudget')}</span>}
          {turn.totalMs !== null && <span>{t('evaluate.playground.total', { time: ms(turn.totalMs) })}</span>}
          {streaming && <span className="text-indigo-600 dark:text-indigo-300">{turn.status ?? t('evaluate.playground.streaming')}</span>}
        </div>
        <details open className="rounded bg-slate-50 p-2 dark:bg-slate-950">
          <summary className="cursor-pointer text-xs font-semibold text-slate-500 dark:text-slate-400">{t('evaluate.playground.thinking')}</summary>
          <div className="mt-1 max-h-96 overflow-y-auto" data-testid="pg-thinking">
            <TraceText text={turn.thinking} empty={streaming ? '…' : t('evaluate.drill.noThinking')} />
          </div>
        </details>
        <div className="mt-2 max-h-96 overflow-y-auto" data-testid="pg-answer">
          <h4 className="mb-1 text-xs font-semibold text-slate-500 dark:text-slate-400">{t('evaluate.playground.answer')}</h4>
          <TraceText text={turn.answer} empty={streaming ? '…' : t('evaluate.drill.noAnswer')} />
        </div>
        <div data-testid="pg-error">
          <ErrorNote error={turn.error} />
        </div>
      </div>
    </li>
  );
}

/** Chat with any model the project knows, with budget forcing: thinking and answer apart while streaming, TTFT and tokens/s. */
export function Playground({ models, nativePicker, onModelsChanged }: { models: ModelOption[]; nativePicker: boolean; onModelsChanged: () => void }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<Map<string, Chosen>>(new Map());
  const [s, setS] = useState<Settings>({ maxThinking: '1024', minThinking: '0', waits: '0', maxAnswer: '512', temperature: '0' });
  const [text, setText] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const sub = useRef<{ unsubscribe: () => void } | null>(null);
  /** Grows with each send and each stop: a key that arrives after Stop starts no stream. */
  const turnSeq = useRef(0);
  const busy = turns.length > 0 && !(turns[turns.length - 1] as Turn).done;
  const option = models.find((m) => chosen.has(optionKey(m)));
  const patch = (p: Partial<Turn>) => setTurns((ts) => ts.map((x, i) => (i === ts.length - 1 ? { ...x, ...p } : x)));

  const stop = () => {
    turnSeq.current++;
    sub.current?.unsubscribe();
    sub.current = null;
    patch({ done: true, status: null });
  };
  useEffect(() => () => sub.current?.unsubscribe(), []);
  const failed = (err: unknown) => {
    setError(toApiError(err));
    patch({ done: true, status: null });
  };

  const send = () => {
    const q = text.trim();
    if (!q || !option || busy) return;
    const spec = specOf(option, chosen.get(optionKey(option)) ?? initialChoice(option));
    const history = turns.filter((x) => x.done && !x.error).flatMap((x) => [
      { role: 'user' as const, content: x.question },
      { role: 'assistant' as const, content: x.answer },
    ]);
    const maxThinking = int(s.maxThinking, 1024);
    const temperature = Number(s.temperature);
    setError(null);
    setText('');
    setTurns((ts) => [...ts, { question: q, model: spec.label, thinking: '', thinkingTokens: 0, answer: '', waits: 0, status: null, ttftMs: null, tokensPerSecond: null, totalMs: null, hitBudget: false, error: null, done: false }]);
    const input = {
      model: spec,
      messages: [...history, { role: 'user' as const, content: q }],
      maxThinking,
      minThinking: Math.min(maxThinking, int(s.minThinking, 0)),
      waits: Math.min(16, int(s.waits, 0)),
      maxAnswerTokens: Math.max(1, int(s.maxAnswer, 512)),
      temperature: temperature >= 0 && temperature <= 2 ? temperature : 0,
    };
    // The question goes by POST (it can be 20,000 characters); the stream (an EventSource, GET) carries only its key.
    const mine = ++turnSeq.current;
    evalApi.playground.prepare.mutate(input).then(({ key }) => mine === turnSeq.current && subscribe(key), failed);
  };

  const subscribe = (key: string) => {
    sub.current = evalApi.playground.generate.subscribe(
      { key },
      {
        onData: (e: PlaygroundEvent) => {
          switch (e.type) {
            case 'status':
              patch({ status: e.note ? messageText(e.note) : e.message });
              break;
            case 'thinking':
              patch({ thinking: e.text, thinkingTokens: e.tokens, status: null });
              break;
            case 'wait':
              patch({ waits: e.waits });
              break;
            case 'answer':
              patch({ answer: e.text });
              break;
            case 'stats':
              patch({ ttftMs: e.ttftMs, tokensPerSecond: e.tokensPerSecond });
              break;
            case 'done':
              patch({ thinking: e.result.thinking, answer: e.result.answer, thinkingTokens: e.result.thinkingTokens, waits: e.result.waitsInserted, hitBudget: e.result.hitBudget, ttftMs: e.result.ttftMs, tokensPerSecond: e.result.tokensPerSecond, totalMs: e.result.totalMs, done: true, status: null });
              sub.current?.unsubscribe();
              sub.current = null;
              break;
            case 'error':
              patch({ error: { message: e.message, code: e.code ?? null }, done: true, status: null });
              sub.current?.unsubscribe();
              sub.current = null;
              break;
          }
        },
        onError: failed,
      },
    );
  };

  // Esc stops the answer being streamed.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && busy) stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const field = (id: keyof Settings, label: string, min: number, max: number, step = 1) => (
    <div>
      <label htmlFor={`pg-${id}`} className={muted}>
        {label}
      </label>
      <input id={`pg-${id}`} type="number" min={min} max={max} step={step} className={inputClass} value={s[id]} onChange={(e) => setS((p) => ({ ...p, [id]: e.target.value }))} />
    </div>
  );

  return (
    <div className="grid grid-cols-1 gap-5 xl:grid-cols-[22rem_minmax(0,1fr)]" data-testid="playground">
      <div className="space-y-5">
        <Card title={t('evaluate.playground.model')} labelId="pg-model-title">
          <ModelPicker options={models} chosen={chosen} onChange={setChosen} onListChanged={onModelsChanged} nativePicker={nativePicker} multiple={false} />
        </Card>
        <Card title={t('evaluate.playground.budget')} labelId="pg-budget-title">
          <div className="grid grid-cols-2 gap-3">
            {field('maxThinking', t('evaluate.playground.maxThinking'), 0, 131072)}
            {field('minThinking', t('evaluate.playground.minThinking'), 0, 131072)}
            {field('waits', t('evaluate.playground.waitsField'), 0, 16)}
            {field('maxAnswer', t('evaluate.playground.maxAnswer'), 1, 32768)}
            {field('temperature', t('evaluate.run.temperature'), 0, 2, 0.1)}
          </div>
        </Card>
      </div>
      <Card title={t('evaluate.playground.title')} labelId="pg-chat-title">
        {turns.length === 0 ? (
          <p className={muted}>{t('evaluate.playground.empty')}</p>
        ) : (
          <ol className="space-y-4" aria-live="polite">
            {turns.map((turn, i) => (
              <TurnView key={i} turn={turn} />
            ))}
          </ol>
        )}
        <ErrorNote error={error} />
        <div className="mt-4">
          <label htmlFor="pg-input" className="sr-only">
            {t('evaluate.playground.message')}
          </label>
          <textarea
            id="pg-input"
            rows={3}
            className={inputClass}
            placeholder={t('evaluate.playground.placeholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                send();
              }
            }}
          />
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <Button variant="primary" onClick={send} disabled={!option || !text.trim() || busy} aria-keyshortcuts="Control+Enter">
              {t('evaluate.playground.send')}
            </Button>
            {busy && (
              <Button variant="danger" onClick={stop} aria-keyshortcuts="Escape">
                {t('evaluate.playground.stop')}
              </Button>
            )}
            {turns.length > 0 && !busy && <Button onClick={() => setTurns([])}>{t('evaluate.playground.clear')}</Button>}
            <span className={`${muted} ml-auto`}>{!option ? t('evaluate.playground.pickModel') : t('evaluate.playground.keys')}</span>
          </div>
        </div>
      </Card>
    </div>
  );
}
