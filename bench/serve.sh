#!/usr/bin/env bash
# Issue 6's load test: POST /api/predict with real-length reviews at 16 connections for 15 s (wrk, loopback only),
# beside a bare minimal-API echo endpoint (the server's limit) and the Python FastAPI + uvicorn stack, and the
# batch endpoint. Prints Markdown rows and each round's ratios. Bounded: each load lasts DURATION seconds (default
# 15); ROUNDS rounds (default 2) of predict, echo and Python. Every server first gets WARMUP seconds (default 10;
# 0 for none, with ROUNDS=1 for a cold figure) of the same load, unmeasured, so it is measured after the JIT has
# tiered up its hot path. The API runs with the DOTNET_* settings its image sets (read from its Dockerfile).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="${PIPELINE_SHARED_DATA:-../shared/data}/imdb-train-25k.csv"
duration="${DURATION:-15}"
warmup="${WARMUP:-10}"
rounds="${ROUNDS:-2}"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
./build.sh --target=DatasetVersion --source="$data" --dataset-version=1 --out="$work/imdb10k.csv" >/dev/null
/usr/bin/python3 - "$work" <<'PY'
import csv, json, sys
work = sys.argv[1]
rows = list(csv.DictReader(open(f"{work}/imdb10k.csv", newline="", encoding="utf-8")))
with open(f"{work}/one.txt", "w") as f:
    for r in rows[:2000]: f.write(json.dumps({"text": r["review"]}) + "\n")
with open(f"{work}/batch.txt", "w") as f:
    for i in range(0, 64 * 30, 64): f.write(json.dumps({"texts": [r["review"] for r in rows[i:i + 64]]}) + "\n")
PY
dotnet publish src/Pipeline.TrainingJob -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/trainer" -nologo -v q >/dev/null
# The gate's verdict (behaviour floors) is not this benchmark's business: the model is served either way.
dotnet "$work/trainer/pipeline-train.dll" --dataset "$work/imdb10k.csv" --out "$work/training" >/dev/null || true
echo '{ "run_id": "benchmark", "version": "1" }' > "$work/training/model/lineage.json"
dotnet publish src/Sentiment.Api -c Release -o "$work/api" -nologo -v q >/dev/null
dotnet publish bench/EchoServer -c Release -o "$work/echo" -nologo -v q >/dev/null

wait_ready() { for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"text":"x"}' "$1" && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }
warm() {  # url bodies
  if [ "$warmup" != 0 ]; then WRK_BODIES="$2" wrk -t2 -c16 -d"${warmup}s" -s bench/wrk/bodies.lua "$1" > /dev/null; fi
}
load() {  # label url bodies [per-request items]; prints a row and sets $rps
  WRK_BODIES="$3" wrk -t2 -c16 -d"${duration}s" --latency -s bench/wrk/bodies.lua "$2" > "$work/wrk.txt"
  local p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt"); p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
  local errors; errors=$(awk '/Non-2xx|Socket errors/' "$work/wrk.txt" | tr '\n' ' ')
  local items="${4:-1}"
  echo "| $1 | $(printf '%.0f' "$rps") | $(printf '%.0f' "$(echo "$rps * $items" | bc)") | $p50 | $p99 | ${errors:-none} |"
}

# The API runs with the runtime settings of its image's runtime stage, read from the Dockerfile (one place for them).
runtime_env=$(awk '/ AS runtime$/ {on=1; next} /^FROM / {on=0} on && !/^#/' src/Sentiment.Api/Dockerfile | grep -oE 'DOTNET_[A-Za-z0-9_]+=[^ \\]+' | tr '\n' ' ')
# All servers up at once (an idle server costs nothing), each warmed, then predict and echo measured alternately
# for ROUNDS rounds: the machine's speed drifts over minutes, and a ratio is only fair within one round.
predict=http://127.0.0.1:18090/api/predict; echo_url=http://127.0.0.1:18091/echo; python_url=http://127.0.0.1:18092/api/predict
env $runtime_env Sentiment__ModelPath="$work/training/model" Sentiment__SqlitePath="$work/reviews.db" dotnet "$work/api/Sentiment.Api.dll" --urls http://127.0.0.1:18090 > /dev/null 2>&1 & pids+=($!)
dotnet "$work/echo/EchoServer.dll" --urls http://127.0.0.1:18091 > /dev/null 2>&1 & pids+=($!)
python=false
if /usr/bin/python3 -c "import fastapi, uvicorn, sklearn" 2>/dev/null; then
  python=true
  /usr/bin/python3 bench/python/baseline.py "$work/imdb10k.csv" "$work/model.pkl" > /dev/null
  /usr/bin/python3 bench/python/serve.py "$work/model.pkl" 18092 > /dev/null 2>&1 & pids+=($!)
  wait_ready "$python_url"
fi
wait_ready http://127.0.0.1:18090/health/ready
wait_ready "$echo_url"
warm "$predict" "$work/one.txt"; warm "$predict/batch" "$work/batch.txt"; warm "$echo_url" "$work/one.txt"
if $python; then warm "$python_url" "$work/one.txt"; fi

echo "| endpoint (16 connections, ${duration} s after ${warmup} s of warm-up, loopback) | requests/s | reviews/s | p50 | p99 | errors |"
echo "|---|---:|---:|---:|---:|---|"
summary=()
for round in $(seq 1 "$rounds"); do
  load "POST /api/predict (ours), round $round" "$predict" "$work/one.txt"; ours=$rps
  load "POST /echo, bare minimal API (the server's limit), round $round" "$echo_url" "$work/one.txt"; limit=$rps
  line="round $round: predict at $(echo "scale=1; 100 * $ours / $limit" | bc)% of echo"
  if $python; then
    load "POST /api/predict, Python (FastAPI + uvicorn, scikit-learn), round $round" "$python_url" "$work/one.txt"
    line="$line, $(echo "scale=1; $ours / $rps" | bc)× Python"
  fi
  summary+=("$line")
done
load "POST /api/predict/batch, 64 reviews per request (ours)" "$predict/batch" "$work/batch.txt" 64
echo
printf '%s\n' "${summary[@]}"
