import { stopOnDemand } from '../core/localserve/ondemand';
import { isUserError } from '../core/util/errors';
import { appVersion } from '../core/util/root';
import { storageErrorSentence } from '../core/util/sqlite-errors';
import { runProject } from './commands/project';
import { runServe } from './commands/serve';
import { runServeModel } from './commands/serve-model';
import { runCheck } from './commands/check';
import { runVerify } from './commands/verify';
import { runImport } from './commands/import';
import { runEvalset } from './commands/evalset';
import { runDedupCommand } from './commands/dedup';
import { runDecontaminate } from './commands/decontaminate';
import { runTeacher } from './commands/teacher';
import { runGenerate } from './commands/generate';
import { runTraces } from './commands/traces';
import { runCurate } from './commands/curate';
import { runTrain } from './commands/train';
import { runExport } from './commands/export';
import { runReview } from './commands/review';
import { runEval, runEvalCompare } from './commands/eval';
import { runBundle } from './commands/bundle';
import { runEmbed } from './commands/embed';
import { runDocs } from './commands/docs';
import { runSynthesize } from './commands/synthesize';
import { runAugment } from './commands/augment';
import { runPseudoLabel } from './commands/pseudo-label';
import { runRubric } from './commands/rubric';
import { runConfig } from './commands/config';
import { runDoctorCommand } from './commands/doctor';
import { runOfflineBundle } from './commands/offline-bundle';
import { runModel } from './commands/model';
import { guardClosedPipes, OutputClosed, processIO, UsageError, type CliIO } from './io';

export const HELP = `Distillery ${appVersion()} — build your own small reasoning model.

Usage: distillery <command> [options]

Commands:
  serve [--project DIR] [--port N] [--host H] [--keep-token]
        Start browser mode: the workbench and its API on http://127.0.0.1 (a token is printed).
        --host H serves on another address (with a warning); --port 0 picks a free port; --keep-token keeps one
        token in the config folder so that open tabs keep working across restarts.
  serve-model DIR [--port N] [--host 127.0.0.1] [--server transformers|vllm] [--device cpu|cuda|auto] [--json]
        Serve a trained or exported student to other applications: an OpenAI-compatible endpoint on loopback
        (/v1/models, /v1/chat/completions, streamed or not). An ONNX folder runs in the in-app engine, a model
        folder in vLLM or transformers serve. Port 8000 by default (any free one when busy); Ctrl-C stops it.
  project create DIR [--name NAME] [--json]
        Create a new project (project.sqlite + artifacts/) in DIR.
  project sample DIR [--json]
        Create the sample project: 320 generated questions over 8 domains, with a Chinese subset.
  project info DIR [--json]
        Counts per stage: questions, domains, traces, selected, accepted.
  import PROJECT FILE [--format auto|jsonl|json|csv|tsv|parquet] [--shape auto|plain|s1k|sharegpt|alpaca]
         [--map question=COL,answer=COL,solution=COL,domain=COL,id=COL,thinking=COL,attempt=COL]
         [--source NAME] [--report] [--dry-run] [--json]
        Import a question pool (also .gz). Every row ends imported, duplicate or rejected (with its line).
  evalset add PROJECT NAME FILE [--map ...] [--replace] [--json] | evalset list PROJECT | evalset remove PROJECT NAME
        Register evaluation sets for decontamination.
  dedup PROJECT [--threshold 0.8] [--apply | --undo] [--json]
        Exact and near (MinHash LSH) duplicates of the pool, as a proposal: prints {checked, clusters, would_remove,
        numbers_differ, …} and excludes nothing. Questions that differ in their numbers are not proposed.
        --apply excludes what it proposes; --undo restores what the last applied dedup excluded.
  decontaminate PROJECT [--ngram 8] [--benchmarks all|none|NAME,NAME] [--held-out all|none|NAME,NAME] [--json]
        Flag and exclude pool questions that share an n-gram with a benchmark: the built-in ones (all by default)
        and those registered with evalset add.
  teacher add PROJECT --name NAME --url URL [--url URL ...] --model MODEL [--key-env VAR] [--preset P]
         [--header K=V] [--system TEXT] [--price-input USD] [--price-output USD]
  teacher add PROJECT --name NAME --local MODEL_DIR [--json]
        A local teacher from a model folder: generate, teacher test and eval start its server on demand
        (vLLM where installed, else transformers serve) and stop it when the command ends.
  teacher test PROJECT --name NAME [--json] | teacher list PROJECT | teacher remove PROJECT --name NAME
  teacher discover [--json]
        Connect OpenAI-compatible teachers (vLLM, SGLang, Ollama, llama.cpp, LM Studio, transformers serve,
        DeepSeek…); several --url spread the load; discover probes the usual loopback ports.
  generate PROJECT --teacher NAME [--limit N] [--concurrency N|auto] [--max-tokens N] [--temperature T]
         [--top-p P] [--samples K] [--max-attempts N] [--logprobs K] [--json]
        Distil: the teacher reasons about every question (a durable job; the same command resumes it).
        --logprobs K (≤ 20) keeps the teacher's top-K logprobs per token in artifacts/logprobs/<job> for KD.
  traces PROJECT [--teacher NAME] [--json]
        One line per question: status, thinking, answer, attempts, finish reason, token counts.
  docs add PROJECT FILE|FOLDER [FILE…] [--tokenizer DIR] [--max-tokens N] [--no-ocr] [--json] | docs list PROJECT [--json]
        Documents in: PDF, DOCX, HTML (main text), Markdown, text, and .zip of those. Every page is accounted for
        (scanned pages: "needs OCR", read by a local tesseract when one is installed); chunks by headings, pages and
        paragraphs, sized in the teacher's tokens (--tokenizer DIR, or a teacher's local model folder; else an estimate).
  synthesize PROJECT --teacher T [--per-chunk N] [--types calculation,multi_step,case_analysis,compare_contrast,what_if]
         [--language en|zh|auto] [--documents ID,ID] [--concurrency N] [--preview] [--json]
        Questions from chunks: the teacher writes N questions per chunk with a reference answer and a verbatim quote;
        a quote not in the chunk or a malformed reply is rejected with its reason. --preview asks for five questions
        from three chunks and estimates time, tokens and price of the whole run (a durable job; the same command resumes it).
  embed PROJECT --model DIR [--k 20] [--seed S] [--precision fp32|q8] [--max-length N] [--batch N] [--json]
        Embed the pool in the app (the durable job the Curate step shows; the same command resumes it), then
        k-means clusters. DIR is an ONNX embedding folder or a sentence-transformers folder, converted first
        into the project's artifacts/models/ (checked against sentence-transformers; said on stderr).
  curate PROJECT [--preset s1|limo|light-r1 [--models A,B]] [--target N] [--seed S] [--recipe FILE.json] [--json]
        s1's selection: quality, difficulty, diversity (2^-rank by thinking length within a random domain),
        seeded and explained; stores a run. --preset starts from a published recipe (LIMO: --models WEAK,STRONG;
        Light-R1: --models MODEL; pass-rate bands over their checked samples), a recipe file laid over it.
        --explain QUESTION_ID shows why a question was kept or dropped and the band it fell in;
        --freeze [RUN_ID] makes a run the selection for review.
  review PROJECT [--set accepted|rejected|todo|needs_work --ids ID,ID... [--reviewer NAME] [--comment TEXT]] [--json]
        Scripted review decisions on questions (their current trace), saved with synchronous=FULL;
        without --set, prints "N / M reviewed" and the counts.
  bundle export PROJECT --out FILE [--ids ID,ID...] [--scope selection|pool] [--force] [--json]
  bundle import PROJECT FILE [--json]
        Review bundles for air-gapped reviewers: export samples (question ids; default the whole queue) to one
        file; import another copy's edits and decisions ({"applied","unchanged","conflicts":[...]}); samples
        changed on both sides are reported with a merge proposal and not applied. An existing FILE is replaced only
        with --force; a project database, or a file inside the project other than under artifacts/bundles or
        artifacts/exports, never.
  export PROJECT --format trl|s1k|llamafactory|alpaca [--out DIR] [--include accepted|all] [--scope selection|pool]
         [--val 0.05] [--seed 42] [--reasoning-field] [--system TEXT] [--json]
        Export the reviewed set (accepted only by default) with a seeded train/validation split, a dataset card
        (README.md) and export.json; --json prints {"train":N,"validation":N,"files":[...]}.
  train PROJECT --base DIR --dataset DIR [--recipe s1|lora|qlora|kd|FILE.json] [--epochs N] [--gpus N] [--nodes N]
         [--gpu-memory-gib X] [--max-length N] [--micro-batch N] [--max-steps N] [--teacher-model DIR]
         [--teacher-logits DIR] [--distributed fsdp|deepspeed] [--main-ip IP] [--main-port N] [--dry-run] [--json]
  train PROJECT --resume RUN | train PROJECT --status RUN
        Fine-tune a student with the Python worker (TRL) as the project's durable train job: the run is the same
        record the Train view lists. Progress on stderr, the result on stdout (--json: one object). Ctrl-C pauses
        after a checkpoint; --resume RUN or the same command again continues it. --dry-run needs only the base
        folder's config.json and writes nothing: it prints the memory plan (fits, per-GPU GiB, breakdown, cheapest
        change) and the worker command for reading (run folder shown as <run>; no line to paste, as no config exists).
        --nodes N writes one accelerate config per node and an sbatch script (submitted where sbatch exists);
        --status RUN asks Slurm (squeue, sacct) about a submitted run.
  eval PROJECT --model NAME|DIR --bench FILE|NAME [--max-thinking N[,N...]] [--min-thinking N] [--wait K]
       [--samples K] [--repeats R] [--compare A,B] [--limit N] [--temperature T] [--seed S] [--max-answer-tokens N (default: half the largest budget, 64–1024)] [--template DIR]
       [--server transformers|vllm] [--judge TEACHER] [--concurrency N] [--name TEXT] [--json]
        Evaluate with budget forcing (a durable job; the same command resumes it). NAME is a registered teacher
        (--template DIR: its tokenizer and chat template), DIR a model folder (served on loopback, or in-app when
        it holds onnx/). --model and --bench repeat; several --max-thinking values make a scaling run. Prints
        accuracy and average thinking tokens per benchmark, the latency, and the path of the HTML report.
        --repeats R runs every cell R times with seeds derived from --seed and prints means with 95% intervals
        (bootstrap) and pass@k; --compare A,B (repeatable) prints A − B on the same questions and whether it is significant.
  eval-compare PROJECT RUN --a LABEL --b LABEL [--json]
        Compare two models of an evaluation run on the same questions: the paired difference and its 95% interval.
  model import FILE.gguf [--out DIR] [--dtype auto|fp16|bf16|fp32] [--json]
        Convert a GGUF file into a model folder (safetensors, tokenizer, chat template) usable as a teacher, a
        base model or a chat template; auto keeps fp16 for quantised/F16 files. --json prints {out, architecture,
        parameters, dtype, files, seconds}.
  model export RUN|DIR --format merged|gguf|onnx [--quant q8_0|f16|q4_k_m] [--out DIR] [--project P] [--json]
        Export a training run (a run id with --project, or its output folder) or a model folder: merged (a LoRA
        adapter merged into its base), gguf (llama.cpp's converter, checked by reading it back, + an Ollama
        Modelfile; q4_k_m needs llama-quantize) or onnx (the in-app engine). Default --out: artifacts/models/.
  augment PROJECT --teacher NAME --ids ID,ID...|--all --kinds paraphrase,numbers,harder,translate [--max-tokens N] [--json]
        Variants of questions written by the teacher, each linked to its parent (a durable job): new numbers and harder
        variants are solved again for their answer; copies of the parent are dropped, benchmark or held-out items refused.
  pseudo-label PROJECT --teacher NAME [--samples 8] [--min-agreement 0.6|6/8] [--judge TEACHER] [--json]
        For questions without an answer: K teacher samples (made where missing), equivalent answers grouped, the majority
        kept as a pseudo-label with its agreement; below --min-agreement the question is "teacher unsure".
  rubric set PROJECT --name N --file RUBRIC.json | rubric list PROJECT | rubric judge PROJECT --name N --judge TEACHER [--limit N] [--all]
  rubric mark PROJECT --name N --trace ID --pass|--fail|--clear | rubric calibration PROJECT --name N   (all with [--json])
        Rubric judging for answers that are not numbers: per-criterion scores, weighted total, pass threshold; your own
        marks give the judge's agreement (accuracy, Cohen's kappa) before it is trusted on the pool.
  check ANSWER REFERENCE [--json]
        Decide whether ANSWER (a bare answer or a whole response) equals REFERENCE, and why.
  check --batch FILE [--json]
        Check JSON lines {"answer":...,"reference":...}; one verdict line per input line.
  verify PROJECT [--judge TEACHER] [--mode fallback|always|never] [--unchecked] [--json]
        Check every trace's final answer against its question's reference (rules, then the judge
        when the rules cannot decide, or always); stores verdict, method and reason per trace.
  doctor [PROJECT] [--json] [--refresh]
        The preflight: Node, Python and its libraries, CUDA and GPUs, disk space, the project's model folders and
        teachers, the offline setting and the egress log; each ok, warn or fail with a sentence (exit 1 on a fail).
        The Python probe reads installed metadata (no torch import) and is cached for the session; --refresh runs
        it again. --json adds elapsed_ms.
  config set offline|allowRemoteTeachers true|false | config get [KEY] [--json]
        Offline: no connection leaves this machine (loopback only), for the engine and every process it starts;
        DISTILLERY_OFFLINE=1 does the same for one process. Online, only registered teachers' hosts are reached,
        and only while allowRemoteTeachers is true (the default). Attempts are logged in the config folder (egress.jsonl).
  offline-bundle --out DIR [--with-models DIR ...] [--platform linux-x86_64|linux-aarch64] [--cuda]
         [--python-only PKG,PKG] [--no-npm] [--no-python] [--json]
  offline-bundle --verify DIR [--json]
        Collect what an air-gapped machine needs (wheelhouse for the pinned lock, npm cache, benchmarks, model
        folders) with a SHA-256 manifest; --verify checks every file and lists what is missing or altered (exit 2).

Options:
  --help, -h      Show this help.
  --version, -v   Print the version.

Exit codes: 0 success, 1 failure, 2 bad arguments or paths.`;

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  if (io === processIO) guardClosedPipes();
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(HELP);
        return 0;
      case '--version':
      case '-v':
        io.stdout(appVersion());
        return 0;
      case 'serve':
        return await runServe(rest, io);
      case 'serve-model':
        return await runServeModel(rest, io);
      case 'project':
        return await runProject(rest, io);
      case 'check':
        return await runCheck(rest, io);
      case 'verify':
        return await runVerify(rest, io);
      case 'import':
        return await runImport(rest, io);
      case 'evalset':
        return await runEvalset(rest, io);
      case 'dedup':
        return await runDedupCommand(rest, io);
      case 'decontaminate':
        return await runDecontaminate(rest, io);
      case 'teacher':
        return await runTeacher(rest, io);
      case 'generate':
        return await runGenerate(rest, io);
      case 'traces':
        return await runTraces(rest, io);
      case 'curate':
        return await runCurate(rest, io);
      case 'train':
        return await runTrain(rest, io);
      case 'export':
        return await runExport(rest, io);
      case 'review':
        return await runReview(rest, io);
      case 'eval':
        return await runEval(rest, io);
      case 'eval-compare':
        return await runEvalCompare(rest, io);
      case 'bundle':
        return await runBundle(rest, io);
      case 'augment':
        return await runAugment(rest, io);
      case 'pseudo-label':
        return await runPseudoLabel(rest, io);
      case 'rubric':
        return await runRubric(rest, io);
      case 'embed':
        return await runEmbed(rest, io);
      case 'docs':
        return await runDocs(rest, io);
      case 'synthesize':
        return await runSynthesize(rest, io);
      case 'model':
        return await runModel(rest, io);
      case 'doctor':
        return await runDoctorCommand(rest, io);
      case 'config':
        return await runConfig(rest, io);
      case 'offline-bundle':
        return await runOfflineBundle(rest, io);
      default:
        io.stderr(`distillery: unknown command "${command}" (see "distillery --help").`);
        return 2;
    }
  } catch (e) {
    // The reader of our output has gone (`… | head`): nothing more can be shown, and that is not a failure.
    if (e instanceof OutputClosed) return 0;
    if (e instanceof UsageError || isUserError(e)) {
      io.stderr(`distillery: ${e.message}`);
      return 2;
    }
    // A lock or a full disk met by a command that does not name its file itself: still one sentence, not a stack.
    const storage = storageErrorSentence(e, "the project's database (project.sqlite)", 'The command stopped before finishing; what it had saved is kept.');
    if (storage) {
      io.stderr(`distillery: ${storage}`);
      return 2;
    }
    io.stderr(`distillery: unexpected error: ${(e as Error).stack ?? String(e)}`);
    return 1;
  } finally {
    // A local teacher started on demand by a command that opened the project itself ends with the command.
    await stopOnDemand();
  }
}
