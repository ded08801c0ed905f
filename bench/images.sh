#!/usr/bin/env bash
# Issue 7's benchmark: image sizes, cold and warm build time of the API image, and build-context sizes.
# Uses the test suite's podman setup (~/.cache/pipeline-tools/podman, made by the image tests) and the
# locally made Debian base (minbase + libssl3 + ca-certificates), because no public base image can be pulled here. Prints Markdown.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
podman="${PODMAN:-$HOME/.cache/pipeline-tools/podman/podman}"
[ -x "$podman" ] || { echo "run the image tests first (they set up $podman)" >&2; exit 1; }
[ -f artifacts/model/model.zip ] || ./build.sh >/dev/null
./build.sh --target=BuildImages --exclusive --prebuilt --image=sentiment-api --image-tool="$podman" \
  --base-image=localhost/debian-runtime-deps:bookworm --registry=127.0.0.1:5055 >/dev/null
ctx=artifacts/image-context/sentiment-api
time_build() { local s e; s=$(date +%s.%N); "$podman" build -q "$@" --format docker --network host -f "$ctx/Dockerfile" --target runtime-prebuilt \
  --build-arg PREBUILT_BASE_IMAGE=localhost/debian-runtime-deps:bookworm -t bench/sentiment-api:1 "$ctx" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
cold=$(time_build --no-cache); warm=$(time_build)
size() { "$podman" image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f MB", $1/1e6}'; }
mb() { du -sb "$@" | awk '{s+=$1} END {printf "%.2f MB", s/1e6}'; }
# The default (SDK-stage) context is the repository filtered by .dockerignore: sources, props and the model.
sdk_context=$(git ls-files -co --exclude-standard -- global.json 'Directory.*' src | grep -vE '/(bin|obj)/' | xargs du -cb 2>/dev/null | tail -1 | awk '{print $1}')
model=$(du -sb artifacts/model | awk '{print $1}')
fd=$(mktemp -d); dotnet publish src/Sentiment.Api -c Release -o "$fd" -p:UseAppHost=false -nologo -v q >/dev/null
echo "| measure | value |"
echo "|---|---:|"
echo "| API image, prebuilt on the local Debian base (self-contained app + model) | $(size bench/sentiment-api:1) |"
echo "| local Debian base image (minbase + libssl3 + ca-certificates) | $(size localhost/debian-runtime-deps:bookworm) |"
echo "| self-contained app layer (runtime included) | $(mb "$ctx/app") |"
echo "| framework-dependent app (what the default stage adds to the ASP.NET base) | $(mb "$fd") |"
echo "| model shipped in the image (artifacts/model) | $(mb artifacts/model) |"
echo "| build, cold (--no-cache) | ${cold} s |"
echo "| build, warm (layer cache) | ${warm} s |"
echo "| build context, default SDK stage (.dockerignore applied) | $(echo "$sdk_context + $model" | bc | awk '{printf "%.1f MB", $1/1e6}') |"
echo "| build context, prebuilt stage | $(mb "$ctx") |"
rm -rf "$fd"
