import { useEffect, useState } from 'react';

/** `value` once it has stayed the same for `ms` (a knob being dragged, a search being typed). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}
