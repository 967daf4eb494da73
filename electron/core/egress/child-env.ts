/**
 * The environment every child process the engine starts gets (the Python worker, `transformers serve`,
 * vLLM, the embedding converter, the environment check): Hugging Face libraries never reach the Hub
 * (models come from local folders), no telemetry, loopback never through a proxy; and while offline, no
 * proxy variables at all, so that nothing a child does can leave the machine through one.
 * Values set to undefined remove the variable (execa merges this over process.env; Node drops undefined).
 */
import { offlineState } from './settings';

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'FTP_PROXY', 'http_proxy', 'https_proxy', 'all_proxy', 'ftp_proxy', 'PIP_PROXY', 'npm_config_proxy', 'npm_config_https_proxy'];
const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

export function childEnv(extra: Record<string, string | undefined> = {}, base: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const offline = offlineState().offline;
  const noProxy = [...new Set([...(base.NO_PROXY ?? base.no_proxy ?? '').split(',').map((s) => s.trim()).filter(Boolean), ...LOOPBACK])].join(',');
  const env: Record<string, string | undefined> = {
    HF_HUB_OFFLINE: '1',
    TRANSFORMERS_OFFLINE: '1',
    HF_DATASETS_OFFLINE: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
    DO_NOT_TRACK: '1',
    TOKENIZERS_PARALLELISM: 'false',
    NO_PROXY: noProxy,
    no_proxy: noProxy,
  };
  if (offline) {
    for (const k of PROXY_VARS) env[k] = undefined;
    env.DISTILLERY_OFFLINE = '1';
    env.WANDB_MODE = 'offline';
  }
  return { ...env, ...extra };
}
