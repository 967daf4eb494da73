import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with messages a person can act on, and unknown flags refused. */
export function parse<O extends Options>(command: string, args: string[], options: O, positionals: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.split('\n')[0]} (see "distillery --help").`);
  }
  if (parsed.positionals.length < positionals.length) {
    throw new UsageError(`${command}: missing ${positionals.slice(parsed.positionals.length).join(' ')} (usage: distillery ${command} ${positionals.join(' ')}).`);
  }
  if (parsed.positionals.length > positionals.length) {
    throw new UsageError(`${command}: unexpected argument "${parsed.positionals[positionals.length]}" (see "distillery --help").`);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

export function intFlag(command: string, name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${command}: --${name} must be a whole number from ${min} to ${max}, not "${v}".`);
  return n;
}
