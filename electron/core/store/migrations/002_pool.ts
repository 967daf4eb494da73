// Schema 2: the question pool's imports, evaluation sets, deduplication and decontamination.
export const sql = /* sql */ ``;
