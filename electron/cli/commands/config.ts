import { offlineState, setSetting } from '../../core/egress';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

const USAGE = 'usage: distillery config set offline|allowRemoteTeachers true|false | distillery config get [KEY] [--json]';

/** `config set KEY VALUE` / `config get [KEY] [--json]`: the user's settings in the config folder. */
export async function runConfig(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'set') {
    const { positionals } = parse('config set', rest, {}, ['KEY', 'VALUE']);
    setSetting(positionals[0] as string, positionals[1] as string);
    const s = offlineState();
    io.stdout(`offline = ${s.offline}${s.source === 'env' ? ' (DISTILLERY_OFFLINE in the environment overrides the saved value)' : ''}, allowRemoteTeachers = ${s.allowRemoteTeachers} (${s.file})`);
    return 0;
  }
  if (sub === 'get') {
    const { values } = parse('config get', rest.filter((a) => a !== 'offline' && a !== 'allowRemoteTeachers'), { json: { type: 'boolean' } }, []);
    const s = offlineState();
    const from = s.source === 'env' ? 'DISTILLERY_OFFLINE' : s.source === 'settings' ? s.file : 'the default';
    io.stdout(values.json ? JSON.stringify(s) : `offline = ${s.offline} (from ${from})\nallowRemoteTeachers = ${s.allowRemoteTeachers}`);
    return 0;
  }
  throw new UsageError(`config: ${sub === undefined ? 'missing set or get' : `unknown subcommand "${sub}"`} (${USAGE}).`);
}
