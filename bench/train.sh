#!/usr/bin/env bash
# Issue 4's benchmark: our training command beside the Python pipeline it replaces, on the first 10,000
# and on all 25,000 rows of ../shared/data/imdb-train-25k.csv (80/20 split), in one run. Prints Markdown.
# The datasets are sliced into a temp folder and never committed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="${PIPELINE_SHARED_DATA:-../shared/data}/imdb-train-25k.csv"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
runs="${RUNS:-3}"

./build.sh --target=DatasetVersion --source="$data" --dataset-version=1 --out="$work/imdb10k.csv" >/dev/null
./build.sh --target=DatasetVersion --source="$data" --dataset-version=2 --out="$work/imdb25k.csv" >/dev/null
# ReadyToRun: the training command is compiled ahead of time, as its container image ships it.
dotnet publish src/Pipeline.TrainingJob -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/trainer" -nologo -v q >/dev/null
dotnet build bench/Pipeline.Bench -c Release -nologo -v q >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ours() {  # dataset label -> prints a table row
  local out="$work/out-$2" times=() rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" dotnet "$work/trainer/pipeline-train.dll" --dataset "$1" --out "$out" > "$work/log" 2>&1
    times+=("$(cut -d' ' -f1 "$work/time")"); rss=$(cut -d' ' -f2 "$work/time")
  done
  local acc auc fit
  acc=$(awk '$1=="accuracy"{print $2}' "$work/log"); auc=$(awk '$1=="auc"{print $2}' "$work/log"); fit=$(awk '$1=="fit_seconds"{print $2}' "$work/log")
  echo "| ours (ML.NET, L-BFGS, word 1–2-grams) | $2 | $acc | $auc | $fit s | $(printf '%s\n' "${times[@]}" | median) s | $((rss / 1024)) MB |"
}
python() {
  local times=() rss=0 line
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" /usr/bin/python3 bench/python/baseline.py "$1" "$work/model.pkl" > "$work/py.json"
    times+=("$(cut -d' ' -f1 "$work/time")"); rss=$(cut -d' ' -f2 "$work/time")
  done
  line=$(cat "$work/py.json")
  get() { /usr/bin/python3 -c "import json,sys; print(format(json.loads(sys.argv[1])['$1'], '$2'))" "$line"; }
  echo "| Python (scikit-learn TF-IDF + LogisticRegression) | $2 | $(get accuracy .4f) | $(get auc .4f) | $(get fit_seconds .2f) s | $(printf '%s\n' "${times[@]}" | median) s | $((rss / 1024)) MB |"
  echo "$(get batch_per_second .0f)" > "$work/py-batch-$2"
}

echo "| pipeline | rows | accuracy | AUC | fit | whole process (median of $runs) | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|"
ours "$work/imdb10k.csv" 10000
if /usr/bin/python3 -c "import sklearn" 2>/dev/null; then python "$work/imdb10k.csv" 10000; fi
ours "$work/imdb25k.csv" 25000
if /usr/bin/python3 -c "import sklearn" 2>/dev/null; then python "$work/imdb25k.csv" 25000; fi
echo
echo "| prediction (model trained on 10,000 rows) | value |"
echo "|---|---:|"
dotnet bench/Pipeline.Bench/bin/Release/net10.0/Pipeline.Bench.dll predict "$runs" "$work/out-10000/model/model.zip" "$work/imdb25k.csv"
if [ -f "$work/py-batch-10000" ]; then echo "| Python batch prediction (predict on its 10,000 rows) | $(cat "$work/py-batch-10000") reviews/s |"; fi
