import { router } from '../api/trpc';

/** The question pool's API (import, mapping preview, dedup, decontamination, browsing). */
export const poolRouter = router({});
