import { isUserError } from '../../core/util/errors';
import { serveModel, type ServedModel } from '../../core/serve-model';
import { intFlag, parse } from '../args';
import { UsageError, type CliIO } from '../io';

export const SERVE_MODEL_PORT = 8000;

/**
 * `serve-model DIR [--port N] [--host 127.0.0.1] [--server transformers|vllm] [--device cpu|cuda|auto]`: an
 * OpenAI-compatible endpoint on loopback for a trained or exported student, until Ctrl-C or SIGTERM.
 */
export async function runServeModel(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    'serve-model',
    args,
    { port: { type: 'string' }, host: { type: 'string' }, server: { type: 'string' }, device: { type: 'string' }, json: { type: 'boolean' } },
    ['DIR'],
  );
  const explicitPort = intFlag('serve-model', 'port', values.port, 0, 65535);
  const opts = { host: values.host, kind: choice('server', values.server, SERVERS), device: choice('device', values.device, DEVICES) };
  const dir = positionals[0] as string;
  let served: ServedModel;
  try {
    served = await serveModel(dir, { ...opts, port: explicitPort ?? SERVE_MODEL_PORT });
  } catch (e) {
    // Without --port a busy default is not an error: take any free port.
    if (explicitPort !== undefined || !isUserError(e) || (e as { code?: string }).code !== 'port_busy') throw e;
    served = await serveModel(dir, { ...opts, port: 0 });
  }
  const curl = `curl ${served.url}/chat/completions -H 'Content-Type: application/json' -d '${JSON.stringify({ model: served.model, messages: [{ role: 'user', content: 'What is 7 * 6?' }], max_tokens: 64 })}'`;
  if (values.json) io.stdout(JSON.stringify({ url: served.url, model: served.model, engine: served.engine, pid: served.pid }));
  else {
    io.stdout(`Serving ${served.model} (${served.engine === 'in-app' ? 'in-app ONNX engine' : `${served.engine} serve`}) at ${served.url}`);
    io.stdout(`Try: ${curl}`);
    io.stdout('Press Ctrl-C to stop.');
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (!values.json) io.stderr('Stopping…');
  await served.close();
  return 0;
}

const SERVERS = ['transformers', 'vllm'] as const;
const DEVICES = ['cpu', 'cuda', 'auto'] as const;

/** The flag's value when it is one of the choices; undefined when absent; a usage error naming the choices otherwise. */
function choice<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const hit = choices.find((c) => c === value);
  if (hit === undefined) throw new UsageError(`serve-model: --${flag} must be ${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1] ?? ''}, not "${value}".`);
  return hit;
}
