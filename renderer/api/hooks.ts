import { TRPCClientError } from '@trpc/client';
import i18next from 'i18next';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { connectionSnapshot, connectionState, subscribeConnection } from './connection';

export interface ApiError {
  message: string;
  /** The engine's machine-readable code for a user error (e.g. `project_exists`), when it has one. */
  code: string | null;
}

/** Errors that the connection banner explains; panels do not repeat them. */
export const CONNECTION_CODES = ['engine_unreachable', 'token_invalid'] as const;

/** API errors carry a sentence meant for the user; anything else is shown with its own message. */
export function toApiError(e: unknown): ApiError {
  const link = connectionState();
  if (link === 'unauthorized') return { message: i18next.t('connection.tokenInvalid'), code: 'token_invalid' };
  if (link === 'down') return { message: i18next.t('connection.down'), code: 'engine_unreachable' };
  if (e instanceof TRPCClientError) {
    const data = (e as TRPCClientError<never>).data as { userCode?: string | null } | undefined;
    return { message: e.message, code: data?.userCode ?? null };
  }
  return { message: e instanceof Error ? e.message : String(e), code: null };
}

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  refetch: () => Promise<void>;
}

/** A query that runs when `key` changes; `enabled: false` holds it. Small on purpose: no cache, no react-query. */
export function useApiQuery<T>(fn: () => Promise<T>, key: unknown[], enabled = true): QueryState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(enabled);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const seq = useRef(0);

  const refetch = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const d = await fnRef.current();
      if (mine === seq.current) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(toApiError(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  const keyString = JSON.stringify(key);
  // Load again when the engine comes back after it stopped responding.
  const { epoch } = useConnection();
  useEffect(() => {
    if (enabled) void refetch();
  }, [keyString, enabled, refetch, epoch]);

  return { data, error, loading, refetch };
}

export interface MutationState<A extends unknown[], T> {
  run: (...args: A) => Promise<T | undefined>;
  error: ApiError | null;
  pending: boolean;
  reset: () => void;
}

/** A mutation whose error is kept for inline display; `run` resolves undefined when it failed. */
export function useApiMutation<A extends unknown[], T>(fn: (...args: A) => Promise<T>): MutationState<A, T> {
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(async (...args: A) => {
    setPending(true);
    setError(null);
    try {
      return await fnRef.current(...args);
    } catch (e) {
      setError(toApiError(e));
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  const reset = useCallback(() => setError(null), []);
  return { run, error, pending, reset };
}

/** The engine link's state (browser mode); `epoch` grows each time the engine comes back. */
export function useConnection(): { state: 'ok' | 'down' | 'unauthorized'; epoch: number } {
  return useSyncExternalStore(subscribeConnection, connectionSnapshot, connectionSnapshot);
}

/**
 * An event handler that runs an async action: React gets a function returning nothing, so no promise is handed
 * where a void callback is expected (@typescript-eslint/no-misused-promises). Actions here report their errors
 * through useApiMutation; a rejection still surfaces as an unhandled one, as before.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): (...args: A) => void {
  return (...args) => void fn(...args);
}
