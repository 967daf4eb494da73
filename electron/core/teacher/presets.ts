/** Where each server listens by default, and how it usually returns reasoning. */
export interface TeacherPreset {
  id: string;
  label: string;
  baseUrl: string;
  /** True when the server runs on this machine (found by discovery). */
  local: boolean;
  needsKey: boolean;
  note: string;
}

export const PRESETS: readonly TeacherPreset[] = [
  { id: 'vllm', label: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1', local: true, needsKey: false, note: 'Start with --reasoning-parser to get a separate reasoning field.' },
  { id: 'sglang', label: 'SGLang', baseUrl: 'http://127.0.0.1:30000/v1', local: true, needsKey: false, note: 'Start with --reasoning-parser to get reasoning_content.' },
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', local: true, needsKey: false, note: 'Thinking models return a reasoning field or inline <think>.' },
  { id: 'llamacpp', label: 'llama.cpp server', baseUrl: 'http://127.0.0.1:8080/v1', local: true, needsKey: false, note: 'Use --reasoning-format deepseek for reasoning_content.' },
  { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', local: true, needsKey: false, note: 'Enable the local server in LM Studio first.' },
  { id: 'transformers', label: 'transformers serve', baseUrl: 'http://127.0.0.1:8000/v1', local: true, needsKey: false, note: 'The model field is the model id or local folder path.' },
  { id: 'deepseek', label: 'DeepSeek API', baseUrl: 'https://api.deepseek.com/v1', local: false, needsKey: true, note: 'deepseek-reasoner returns reasoning_content.' },
  { id: 'openai-compatible', label: 'Other OpenAI-compatible API', baseUrl: 'https://', local: false, needsKey: true, note: 'Any /v1/chat/completions endpoint.' },
];

/** Loopback ports that "Find local servers" probes. */
export const DISCOVERY_PORTS = [8000, 30000, 11434, 8080, 1234, 8001] as const;
