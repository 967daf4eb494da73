import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { appRoot } from '../util/root';
import { UserError } from '../util/errors';

export type InferDevice = 'cpu' | 'cuda';

/** The commands that make the ONNX file, named in every error about a folder without a usable one. */
export function exportCommands(dir: string): string {
  return `\`.venv/bin/python -m distillery_worker export-onnx --model ${dir}\` (for a trained run: \`.venv/bin/python -m distillery_worker export --run RUN --out ${dir} --merge-lora --onnx\`)`;
}

/** Checks that `dirIn` is a folder the in-app engine can run; returns its absolute path and ONNX file. */
export function checkInAppFolder(dirIn: string): { dir: string; onnx: string } {
  const dir = path.resolve(dirIn);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UserError(`The model folder ${dir} does not exist; choose the folder of a model exported to ONNX (it holds config.json, tokenizer.json and onnx/model.onnx).`, 'no_model_dir');
  }
  const onnx = path.join(dir, 'onnx', 'model.onnx');
  if (!fs.existsSync(onnx)) {
    throw new UserError(`The model folder ${dir} has no onnx/model.onnx, which the in-app engine runs; export the model to ONNX first with ${exportCommands(dir)}.`, 'no_onnx_model');
  }
  for (const [file, what] of [
    ['config.json', 'the model configuration'],
    ['tokenizer.json', 'the tokenizer'],
  ] as const) {
    if (!fs.existsSync(path.join(dir, file))) {
      throw new UserError(`The model folder ${dir} has no ${file} (${what}), which the in-app engine needs beside onnx/model.onnx; export the model with ${exportCommands(dir)}.`, 'bad_onnx_folder');
    }
  }
  return { dir, onnx };
}

function pkgRequire() {
  return createRequire(path.join(appRoot(), 'package.json'));
}

/** Where a package's Node ESM build lives, as a file URL a worker can import. */
export function moduleUrl(pkg: '@huggingface/transformers' | '@huggingface/tokenizers'): string {
  const cjs = pkgRequire().resolve(pkg);
  const esm = pkg === '@huggingface/transformers' ? path.join(path.dirname(cjs), 'transformers.node.mjs') : path.join(path.dirname(cjs), 'tokenizers.mjs');
  return pathToFileURL(fs.existsSync(esm) ? esm : cjs).href;
}

/**
 * CUDA is opt-in: onnxruntime-node ships the CPU provider only (`.npmrc` skips the CUDA download), so the CUDA
 * provider library must have been installed beside the binding. Throws a sentence when it is not there.
 */
export function checkCuda(): void {
  const req = pkgRequire();
  let bindingDir: string;
  try {
    const pkgDir = path.dirname(req.resolve('onnxruntime-node/package.json'));
    bindingDir = path.join(pkgDir, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    throw new UserError('The in-app engine cannot find onnxruntime-node; run `npm ci` in the app folder, then try again.', 'no_onnxruntime');
  }
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  if (process.platform !== 'linux' && process.platform !== 'win32') {
    throw new UserError(`CUDA is not available on ${process.platform} for the in-app engine; choose the CPU device.`, 'no_cuda');
  }
  if (!fs.existsSync(path.join(bindingDir, lib))) {
    throw new UserError(
      `CUDA was asked for, but onnxruntime-node has no CUDA provider (${path.join(bindingDir, lib)} is missing); choose the CPU device, or install the provider with \`ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node\` (it needs CUDA 12 and cuDNN 9).`,
      'no_cuda',
    );
  }
}

/** The worker's source file: beside this module in development, beside the bundle (infer-worker.mjs) when packaged. */
export function workerFile(): string {
  const candidates = [
    path.join(appRoot(), 'electron', 'core', 'infer', 'worker.mjs'),
    path.join(appRoot(), 'out', 'main', 'infer', 'worker.mjs'),
  ];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new UserError(`The in-app engine's worker (${candidates[0]}) is missing from this installation; reinstall Distillery.`, 'no_infer_worker');
  return found;
}
