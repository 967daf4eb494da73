// Schema 3: teachers and trace generation.
export const sql = /* sql */ ``;
