/**
 * The in-app inference engine: a model exported to ONNX (see resources/python/.../onnx_export.py) run by
 * transformers.js over onnxruntime-node in a worker thread, from local folders only (nothing is downloaded),
 * on the CPU by default or CUDA when asked for and installed. It is a TextGenerator, so budget forcing,
 * the playground and evaluation run over it as over a server's completions endpoint.
 */
import { InAppModel, type InAppOptions } from './engine';

export { InAppModel, type InAppOptions, type InAppRequest, type InAppResult, type ModelInfo } from './engine';
export { checkInAppFolder, checkCuda, type InferDevice } from './folder';

/** Opens `dir` as a TextGenerator (a folder with onnx/model.onnx, config.json, tokenizer.json and a chat template) in the app. */
export function openInAppModel(dir: string, opts?: InAppOptions): Promise<InAppModel> {
  return InAppModel.open(dir, opts);
}
