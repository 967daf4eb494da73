import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pythonExecutable } from '../env/python';
import { hasPython, tinyModel } from '../train/testing';
import { loadTokenizerFile } from '../tokens';
import { loadChatTemplate, type ChatMessage } from './template';

const conversation: ChatMessage[] = [
  { role: 'system', content: 'You are careful.' },
  { role: 'user', content: 'What is 2 + 3? 请用中文回答。' },
  { role: 'assistant', content: '<think>\n2 + 3 = 5\n</think>\n\n5' },
  { role: 'user', content: 'And 5 + 7?' },
];

describe('chat templates rendered in the app', () => {
  it('a bad folder and a folder without a template are refused with a sentence naming them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-tpl-'));
    expect(() => loadChatTemplate(path.join(dir, 'missing'))).toThrow(/does not exist; choose the folder/);
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), '{"eos_token": "</s>"}');
    expect(() => loadChatTemplate(dir)).toThrow(/has no chat template .*tokenizer_config\.json/);
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), '{"chat_template": "{% for m in messages %}{{ m.content }}{% endfor %"}');
    expect(() => loadChatTemplate(dir)).toThrow(/does not parse/);
  });

  it('reads the template from tokenizer_config.json (string and named list) with bos/eos objects', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chat-tpl-'));
    const tpl = '{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}';
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ bos_token: { content: '<s>' }, eos_token: '</s>', chat_template: [{ name: 'tool_use', template: 'x' }, { name: 'default', template: tpl }] }));
    const t = loadChatTemplate(dir);
    expect(t.render([{ role: 'user', content: 'hi' }], { addGenerationPrompt: true })).toBe('<s>[user]hi[assistant]');
    expect(t.bosToken).toBe('<s>');
    expect(t.eosToken).toBe('</s>');
    expect([t.thinkOpen, t.thinkClose]).toEqual(['<think>', '</think>']);
  });

  it.skipIf(!hasPython())('renders exactly what transformers apply_chat_template renders, and the tokenizer round-trips', { timeout: 600_000 }, () => {
    const dir = tinyModel();
    const t = loadChatTemplate(dir);
    const mine = t.render(conversation, { addGenerationPrompt: true });
    const script = [
      'import json, sys',
      'from transformers import AutoTokenizer',
      'tok = AutoTokenizer.from_pretrained(sys.argv[1])',
      'msgs = json.loads(sys.stdin.read())',
      'text = tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True)',
      'print(json.dumps({"text": text, "ids": tok(text, add_special_tokens=False)["input_ids"]}))',
    ].join('\n');
    const out = execFileSync(pythonExecutable(), ['-c', script, dir], { input: JSON.stringify(conversation), env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' }, encoding: 'utf8' });
    const py = JSON.parse(out.trim().split('\n').pop() as string) as { text: string; ids: number[] };
    expect(mine).toBe(py.text);
    const tok = loadTokenizerFile(path.join(dir, 'tokenizer.json'));
    expect(tok.encode(mine)).toEqual(py.ids);
    expect(tok.decode(tok.encode(mine))).toBe(mine);
    expect(tok.tokenId('</think>')).toBeTypeOf('number');
  });
});
