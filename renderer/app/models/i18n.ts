import i18next from 'i18next';

/** Strings of the shared model-file components (GGUF import, model export), registered under `models.*`. */
export const en = {
  importGguf: {
    open: 'Import a GGUF file…',
    file: 'GGUF file (.gguf, as llama.cpp and Ollama use)',
    convert: 'Convert to a model folder',
    converting: 'Converting… (about a minute for a small model, longer for a large one)',
    cancel: 'Close',
    done: 'Converted a {{architecture}} model ({{params}}M parameters, {{dtype}}) into {{out}}; it is now the folder above.',
  },
  export: {
    title: 'Export the trained model',
    lora: 'This run is a LoRA adapter (adapter_model.safetensors): load it on top of its base model, or export it merged below.',
    full: 'This run holds full model weights.',
    merged: 'Merged folder',
    gguf: 'GGUF for llama.cpp / Ollama',
    onnx: 'ONNX for the in-app engine',
    quant: 'GGUF type',
    running: 'Exporting… this can take a few minutes.',
    done: 'Exported to {{out}} in {{seconds}} s.',
    checked: 'Read back: largest logit difference {{diff}} (allowed {{tolerance}}).',
    failed: 'The export failed',
  },
};

export const zhCN: typeof en = {
  importGguf: {
    open: '导入 GGUF 文件…',
    file: 'GGUF 文件（.gguf，llama.cpp 与 Ollama 使用的格式）',
    convert: '转换为模型文件夹',
    converting: '正在转换…（小模型约一分钟，大模型更久）',
    cancel: '关闭',
    done: '已将 {{architecture}} 模型（{{params}}M 参数，{{dtype}}）转换到 {{out}}，并已填入上方的文件夹。',
  },
  export: {
    title: '导出训练好的模型',
    lora: '此运行的结果是 LoRA 适配器（adapter_model.safetensors）：需要加载在其基座模型之上，或在下方导出合并后的模型。',
    full: '此运行包含完整的模型权重。',
    merged: '合并后的文件夹',
    gguf: 'GGUF（用于 llama.cpp / Ollama）',
    onnx: 'ONNX（用于应用内推理引擎）',
    quant: 'GGUF 类型',
    running: '正在导出…可能需要几分钟。',
    done: '已导出到 {{out}}，用时 {{seconds}} 秒。',
    checked: '回读校验：最大 logit 差 {{diff}}（允许 {{tolerance}}）。',
    failed: '导出失败',
  },
};

function register(): void {
  i18next.addResourceBundle('en', 'translation', { models: en }, true, true);
  i18next.addResourceBundle('zh-CN', 'translation', { models: zhCN }, true, true);
}

if (i18next.isInitialized) register();
else i18next.on('initialized', register);
