#!/usr/bin/env bash
# Training benchmark: our training command beside scikit-learn on the first 10,000 and on all 25,000 rows of
# ../shared/data/imdb-train-25k.csv (80/20 hold-out), then the 25,000 rows in 5 folds, in one run. Prints Markdown.
# The datasets are sliced into a temp folder and never committed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="${PIPELINE_SHARED_DATA:-../shared/data}/imdb-train-25k.csv"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
runs="${RUNS:-3}"
folds="${FOLDS:-5}"

./build.sh --target=DatasetVersion --source="$data" --dataset-version=1 --out="$work/imdb10k.csv" >/dev/null
./build.sh --target=DatasetVersion --source="$data" --dataset-version=2 --out="$work/imdb25k.csv" >/dev/null
# ReadyToRun: the training command is compiled ahead of time, as its container image ships it.
dotnet publish src/Pipeline.TrainingJob -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/trainer" -nologo -v q >/dev/null
dotnet build bench/Pipeline.Bench -c Release -nologo -v q >/dev/null
sklearn=0; if /usr/bin/python3 -c "import sklearn" 2>/dev/null; then sklearn=1; fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mean() { awk '{s+=$1} END {printf "%.4f", s/NR}'; }
metric() { awk -v k="$1" '$1=="|" && $2==k {print $4}' "$2"; }
train() {  # dataset out log [params...] -> trains once, timing it into $work/time
  local dataset=$1 out=$2 log=$3; shift 3
  local params=(); for p in "$@"; do params+=(--param "$p"); done
  # time writes "Command exited with non-zero status" first when the gate refuses; the numbers are its last line.
  /usr/bin/time -f "%e %M" -o "$work/time" dotnet "$work/trainer/pipeline-train.dll" --dataset "$dataset" --out "$out" \
    --tracking "$work/mlruns" "${params[@]}" > "$log" 2>&1 || true  # a gate verdict is not the benchmark's business
}
ours() {  # dataset label -> prints a table row
  local out="$work/out-$2" times=() rss=0
  for _ in $(seq "$runs"); do
    train "$1" "$out" "$work/log"
    times+=("$(tail -1 "$work/time" | cut -d' ' -f1)"); rss=$(tail -1 "$work/time" | cut -d' ' -f2)
  done
  echo "| ours (NB-weighted word 1–3-grams, negation marked, ML.NET L-BFGS) | $2 | $(metric accuracy "$work/log") | $(metric auc "$work/log") | $(metric fit_seconds "$work/log") s | $(printf '%s\n' "${times[@]}" | median) s | $((rss / 1024)) MB |"
}
python() {  # dataset label variant -> prints a table row
  local times=() rss=0 line
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" /usr/bin/python3 bench/python/baseline.py "$1" "$work/model.pkl" "$3" > "$work/py.json"
    times+=("$(tail -1 "$work/time" | cut -d' ' -f1)"); rss=$(tail -1 "$work/time" | cut -d' ' -f2)
  done
  line=$(cat "$work/py.json")
  get() { /usr/bin/python3 -c "import json,sys; print(format(json.loads(sys.argv[1])['$1'], '$2'))" "$line"; }
  local name="scikit-learn TF-IDF words + LogisticRegression (the pipeline we replace)"
  [ "$3" = tuned ] && name="scikit-learn TF-IDF word 1–3-grams + LogisticRegression(C=10)"
  echo "| $name | $2 | $(get accuracy .4f) | $(get auc .4f) | $(get fit_seconds .2f) s | $(printf '%s\n' "${times[@]}" | median) s | $((rss / 1024)) MB |"
  echo "$(get batch_per_second .0f)" > "$work/py-batch-$2-$3"
}

echo "| pipeline | rows | accuracy (20% held out) | AUC | fit | whole process (median of $runs) | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|"
ours "$work/imdb10k.csv" 10000
if [ "$sklearn" = 1 ]; then python "$work/imdb10k.csv" 10000 plain; fi
ours "$work/imdb25k.csv" 25000
if [ "$sklearn" = 1 ]; then python "$work/imdb25k.csv" 25000 plain; python "$work/imdb25k.csv" 25000 tuned; fi

echo
echo "| $folds-fold cross-validation, 25,000 rows | mean accuracy | lowest fold | highest fold | whole process per fold (median) |"
echo "|---|---:|---:|---:|---:|"
: > "$work/fold-acc"; : > "$work/fold-time"
for fold in $(seq 0 $((folds - 1))); do
  train "$work/imdb25k.csv" "$work/out-fold" "$work/log" "folds=$folds" "fold=$fold"
  metric accuracy "$work/log" >> "$work/fold-acc"; tail -1 "$work/time" | cut -d' ' -f1 >> "$work/fold-time"
done
echo "| ours | $(mean < "$work/fold-acc") | $(sort -n "$work/fold-acc" | head -1) | $(sort -n "$work/fold-acc" | tail -1) | $(median < "$work/fold-time") s |"
if [ "$sklearn" = 1 ]; then
  for variant in plain tuned; do
    /usr/bin/python3 bench/python/baseline.py "$work/imdb25k.csv" "$work/model.pkl" "$variant" "$folds" > "$work/py.json"
    /usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"| scikit-learn ({sys.argv[2]}) | {r['cv_accuracy']:.4f} | {r['cv_min']:.4f} | {r['cv_max']:.4f} | |\")" "$work/py.json" "$variant"
  done
fi

echo
echo "| prediction (model trained on 10,000 rows) | value |"
echo "|---|---:|"
dotnet bench/Pipeline.Bench/bin/Release/net10.0/Pipeline.Bench.dll predict "$runs" "$work/out-10000/model/model.zip" "$work/imdb25k.csv"
if [ -f "$work/py-batch-10000-plain" ]; then echo "| scikit-learn batch prediction (the pipeline we replace, trained on 10,000 rows) | $(cat "$work/py-batch-10000-plain") reviews/s |"; fi
