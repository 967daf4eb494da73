/**
 * POSIX shell quoting for commands we print for a person to paste (sbatch, accelerate launch). A path is
 * the user's own text: a project under "~/My $(work)/" must arrive as one argument and never run.
 */

/** Characters that mean nothing to a POSIX shell, so a word made only of them needs no quotes (no "=": a bare first word X=Y would be an assignment). */
const SAFE = /^[A-Za-z0-9_@%+:,./-]+$/;

/** One argument as the shell reads it back exactly: bare when every character is safe, else in single quotes ('\'' for a quote). */
export function shellQuote(s: string): string {
  if (SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A whole command line: each argument quoted on its own. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
