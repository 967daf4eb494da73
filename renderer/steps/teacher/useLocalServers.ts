import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { LocalServer } from './types';

/** The engine's local servers, polled while the component is shown (a start only answers once the server is ready). */
export function useLocalServers(everyMs: number): LocalServer[] {
  const [servers, setServers] = useState<LocalServer[]>([]);
  useEffect(() => {
    let stopped = false;
    const tick = () =>
      api.localServers.list
        .query()
        .then((l) => !stopped && setServers(l))
        .catch(() => undefined);
    void tick();
    const id = window.setInterval(() => void tick(), everyMs);
    return () => {
      stopped = true;
      window.clearInterval(id);
    };
  }, [everyMs]);
  return servers;
}
