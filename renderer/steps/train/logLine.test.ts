import { describe, expect, it } from 'vitest';
import { parseMetrics } from './logLine';

describe('the training log', () => {
  it("reads transformers' Python-dict progress lines as named metrics", () => {
    expect(parseMetrics("{'loss': 2.3104, 'grad_norm': 1.7312, 'learning_rate': 1e-05, 'epoch': 0.5}")).toEqual([
      ['loss', '2.310'],
      ['grad_norm', '1.73'],
      ['learning_rate', '1.0e-5'],
      ['epoch', '0.50'],
    ]);
    expect(parseMetrics("{'train_runtime': 12.5, 'train_loss': 1.9, 'num_tokens': 12345.0, 'done': True}")).toEqual([
      ['train_runtime', '12.50'],
      ['train_loss', '1.900'],
      ['num_tokens', '12,345'],
      ['done', 'true'],
    ]);
  });

  it('leaves every other line as written', () => {
    expect(parseMetrics('Loading checkpoint shards: 100%')).toBeNull();
    expect(parseMetrics('{"event": "step"}')).toBeNull();
    expect(parseMetrics("{'broken': }")).toBeNull();
  });
});
