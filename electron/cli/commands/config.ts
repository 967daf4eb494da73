import { offlineState, setSetting } from '../../core/egress';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

const USAGE = 'usage: distillery config set offline true|false | distillery config get [offline] [--json]';

/** `config set KEY VALUE` / `config get [KEY] [--json]`: the user's settings in the config folder. */
export async function runConfig(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'set') {
    const { positionals } = parse('config set', rest, {}, ['KEY', 'VALUE']);
    setSetting(positionals[0] as string, positionals[1] as string);
    const s = offlineState();
    io.stdout(`offline = ${s.offline}${s.source === 'env' ? ' (DISTILLERY_OFFLINE in the environment overrides the saved value)' : ''} (${s.file})`);
    return 0;
  }
  if (sub === 'get') {
    const { values } = parse('config get', rest.filter((a) => a !== 'offline'), { json: { type: 'boolean' } }, []);
    const s = offlineState();
    io.stdout(values.json ? JSON.stringify(s) : `offline = ${s.offline} (from ${s.source === 'env' ? 'DISTILLERY_OFFLINE' : s.source === 'settings' ? s.file : 'the default'})`);
    return 0;
  }
  throw new UsageError(`config: ${sub === undefined ? 'missing set or get' : `unknown subcommand "${sub}"`} (${USAGE}).`);
}
