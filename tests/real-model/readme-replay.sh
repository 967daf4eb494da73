#!/usr/bin/env bash
# The README's command line and workflow sections, replayed command by command on the REAL SmolLM2-135M-Instruct
# (imported from its GGUF) and the real all-MiniLM-L6-v2, with each command's wall time written to $WORK/times.tsv.
# Placeholders of the README are filled in: pool.jsonl / data.csv are small files made here, "qwq" is SmolLM2 served
# by `transformers serve` on a loopback port, ~/models/... are the real models from scripts/real-models.mjs.
#
#   bash tests/real-model/readme-replay.sh [WORK]        # default WORK: a new temp folder; kept afterwards
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/distillery-replay-XXXX)}"
mkdir -p "$WORK" && cd "$WORK" || exit 1
export DISTILLERY_CONFIG_DIR="$WORK/config" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
npx() { shift; node "$ROOT/bin/distillery.mjs" "$@"; }   # `npx distillery …` as in the README, without npx's lookup
TIMES="$WORK/times.tsv"; : > "$TIMES"
FAILED=0
t() { # t COMMAND...: runs it, prints its last output lines, records "seconds<TAB>rc<TAB>command"
  local s e rc
  s=$(date +%s.%N); "$@" > "$WORK/last.out" 2> "$WORK/last.err"; rc=$?; e=$(date +%s.%N)
  printf '%.1f\t%d\t%s\n' "$(echo "$e - $s" | bc)" "$rc" "$*" | tee -a "$TIMES"
  tail -c 600 "$WORK/last.out"; [ "$rc" = 0 ] || { tail -c 1500 "$WORK/last.err"; FAILED=$((FAILED + 1)); }
  echo
  return 0
}
eval "$(node "$ROOT/scripts/real-models.mjs" --convert --shell)" || { echo "real models unavailable"; exit 1; }
PY="$ROOT/.venv/bin/python"

# ---- Command line
t npx distillery project sample ./proj
t npx distillery project info ./proj --json
t npx distillery project create ./tax --name "Tax law"
t npx distillery check "\\frac{14}{3}" "4.66667" --json

# ---- Models in: the GGUF becomes the model folder every later step uses
t npx distillery model import "$REAL_GGUF" --out ./smollm2 --json

# ---- 1. Import a pool
node -e 'const rows=[];for(let i=0;i<30;i++)rows.push(JSON.stringify({question:`Replay ${i}: what is ${i} times ${i+3}?`,answer:String(i*(i+3))}));rows.push("{not json");require("fs").writeFileSync("pool.jsonl",rows.join("\n")+"\n")'
printf 'prompt,final,topic,uid\n"What is 12 squared?",144,arithmetic,c1\n"What is 2^10?",1024,arithmetic,c2\n' > data.csv
t npx distillery import ./proj pool.jsonl --json
t npx distillery import ./proj data.csv --map question=prompt,answer=final,domain=topic,id=uid
t npx distillery evalset add ./proj aime24 "$ROOT/../shared/data/benchmarks/aime24.jsonl"
t npx distillery decontaminate ./proj --ngram 8 --json
t npx distillery dedup ./proj --threshold 0.8 --json
t npx distillery dedup ./proj --apply
t npx distillery dedup ./proj --undo

# ---- 2. Teacher: SmolLM2 under transformers serve on a free loopback port
PORT=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
s=$(date +%s.%N)
# The server is pinned to the model name it was started with: the teacher's --model must be that same string.
setsid "$ROOT/.venv/bin/transformers" serve "$WORK/smollm2" --host 127.0.0.1 --port "$PORT" --device cpu > serve.log 2>&1 &
SERVE=$!
trap 'kill -- -$SERVE 2>/dev/null' EXIT
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/v1/models" > /dev/null && break; sleep 1; done
printf '%.1f\t0\t%s\n' "$(echo "$(date +%s.%N) - $s" | bc)" "transformers serve \$WORK/smollm2 (until /v1/models answers)" | tee -a "$TIMES"
t npx distillery teacher add ./proj --name qwq --url "http://127.0.0.1:$PORT/v1" --model "$WORK/smollm2" --preset transformers
t npx distillery teacher test ./proj --name qwq --json
t npx distillery teacher set-prompt ./proj --name qwq --reasoning prompt
t npx distillery generate ./proj --teacher qwq --limit 2 --concurrency auto --max-tokens 160 --json
t npx distillery traces ./proj --json
t npx distillery generate ./proj --teacher qwq --redo-no-thinking --limit 2 --max-tokens 160 --json

# ---- 3. Check answers
printf '{"answer":"\\\\frac{1}{2}","reference":"0.5"}\n{"answer":"x=3","reference":"3"}\n' > pairs.jsonl
t npx distillery check --batch pairs.jsonl --json
t npx distillery verify ./proj --json
t npx distillery verify ./proj --judge qwq --mode fallback --json

# ---- 4. Curate (with embedding clusters from the real MiniLM)
t npx distillery embed ./proj --model "$REAL_MINILM" --k 20 --precision q8 --json
t "$PY" -m distillery_worker embed-convert "$REAL_MINILM" --out ./minilm-onnx --json
t npx distillery curate ./proj --target 1000 --seed 0 --json
FIRST=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const l=r.selection??[];console.log(l.length?(l[0].questionId??l[0].question_id??l[0].id??l[0]):1)' "$WORK/last.out" 2>/dev/null || echo 1)
t npx distillery curate ./proj --explain "$FIRST" --json
t npx distillery curate ./proj --freeze

# ---- 5. Review and export
IDS=$(node -e 'const D=require(process.argv[1]);const db=new D(process.argv[2],{readonly:true});console.log(db.prepare("select question_id from traces where status = ? limit 3").all("done").map(r=>r.question_id).join(","))' "$ROOT/node_modules/better-sqlite3" "$WORK/proj/project.sqlite")
t npx distillery review ./proj --set accepted --ids "$IDS" --reviewer ana
t npx distillery bundle export ./proj --out ana.distillery-bundle --ids "$IDS"
t npx distillery bundle import ./proj ana.distillery-bundle --json
t npx distillery export ./proj --format trl --val 0.05 --seed 42 --json
EXPORT=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(require("path").dirname(r.files[0]))' "$WORK/last.out" 2>/dev/null)
[ -n "$EXPORT" ] || { t npx distillery export ./proj --format trl --val 0.05 --seed 42 --include all --scope pool --allow-empty-thinking --json; EXPORT=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(require("path").dirname(r.files[0]))' "$WORK/last.out"); }

# ---- 6. Train (the README's 32B dry run with SmolLM2 as the base; then a real LoRA run of 2 steps on the CPU)
t npx distillery train ./proj --base ./smollm2 --dataset "$EXPORT" --recipe s1 --gpus 16 --gpu-memory-gib 80 --max-length 32768 --dry-run
t npx distillery train ./proj --base ./smollm2 --dataset "$EXPORT" --recipe lora --max-steps 2 --max-length 256 --micro-batch 1 --json
OUTPUT=$(node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop();console.log(JSON.parse(l).output_dir)' "$WORK/last.out")
RUN=$(node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop();console.log(JSON.parse(l).run)' "$WORK/last.out")
t npx distillery model export "$RUN" --project ./proj --format merged --out ./student --json
t "$PY" -m distillery_worker export-onnx --model ./student --out ./student-onnx
t npx distillery model export ./student --format gguf --quant q8_0 --out ./student-gguf --json
kill -- -"$SERVE" 2>/dev/null

# ---- 7. Evaluate (the student in-app, SmolLM2 served on loopback as the second model; 3 AIME questions)
t npx distillery eval ./proj --model ./student-onnx --model ./smollm2 --bench aime24 --limit 3 --max-thinking 16,32 --wait 1 --samples 1 --json
EVALRUN=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).run)' "$WORK/last.out")
t npx distillery eval ./proj --model ./student-onnx --model ./smollm2 --bench aime24 --limit 3 --max-thinking 16 --repeats 2 --compare student-onnx,smollm2
t npx distillery eval-compare ./proj "$EVALRUN" --a student-onnx --b smollm2

echo "== times ($TIMES) =="; cat "$TIMES"
echo "failed commands: $FAILED"
exit $((FAILED > 0))
