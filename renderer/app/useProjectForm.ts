import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';

type Step = 'curate' | 'train' | 'traces' | 'evaluate' | 'export';

/**
 * A step's form kept in the project: `saved` is what was there last time (null if never saved, undefined
 * while loading); `save(value)` stores it, debounced, so typing does not write on every key. Leaving a step
 * used to forget its form; now it comes back, also after a restart.
 */
export function useProjectForm<T extends object>(step: Step, projectPath: string): { saved: T | null | undefined; save: (value: T) => void } {
  const [saved, setSaved] = useState<T | null | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef<T | null>(null);

  useEffect(() => {
    let live = true;
    setSaved(undefined);
    api.forms.get
      .query({ step })
      .then((v) => live && setSaved((v as T | null) ?? null))
      .catch(() => live && setSaved(null));
    return () => {
      live = false;
    };
  }, [step, projectPath]);

  // Whatever is still pending is written when the step is left.
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      if (pending.current) void api.forms.put.mutate({ step, value: pending.current as Record<string, unknown> }).catch(() => undefined);
    },
    [step, projectPath],
  );

  const save = (value: T) => {
    pending.current = value;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      const v = pending.current;
      pending.current = null;
      if (v) void api.forms.put.mutate({ step, value: v as Record<string, unknown> }).catch(() => undefined);
    }, 400);
  };
  return { saved, save };
}
