#!/usr/bin/env bash
# Runs the Cake build (build/Host/Build.csproj) with the given arguments, from any working directory.
#
# Fast path: the build host is compiled once into build/bin/host/ and run as a dll (about 0.3 s).
# It is recompiled only when a file under build/ or src/, a Directory.* file or global.json is
# newer than the stamp of the last compile, or when files were added or removed there (the stamp
# also records the list of files). This skips `dotnet run`'s own up-to-date check, which costs
# about 3 s on every call. Set PIPELINE_REBUILD_HOST=1 to force a recompile.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
host="$root/build/bin/host"
stamp="$host/.stamp"

inputs() {
  find "$root/build" "$root/src" \( -name bin -o -name obj -o -name node_modules \) -prune -o -type f -print 2>/dev/null
  ls -1 "$root"/Directory.*.props "$root"/Directory.Build.targets "$root"/global.json 2>/dev/null
}

newer_than_stamp() {
  find "$root/build" "$root/src" \( -name bin -o -name obj -o -name node_modules \) -prune -o -type f -newer "$stamp" -print -quit
  for f in "$root"/Directory.*.props "$root"/Directory.Build.targets "$root"/global.json; do
    if [ -f "$f" ] && [ "$f" -nt "$stamp" ]; then echo "$f"; fi
  done
}

listing="$(inputs | LC_ALL=C sort | md5sum | cut -d' ' -f1)"
stale=0
if [ "${PIPELINE_REBUILD_HOST:-0}" = "1" ] || [ ! -f "$host/Build.dll" ] || [ ! -f "$stamp" ] \
   || [ "$(cat "$stamp")" != "$listing" ] || [ -n "$(newer_than_stamp)" ]; then
  stale=1
fi

if [ "$stale" = "1" ]; then
  echo "Compiling the build host (build/Host/Build.csproj)..." >&2
  mkdir -p "$host"
  next="$host/.stamp.next"
  echo "$listing" > "$next"
  dotnet build "$root/build/Host/Build.csproj" --configuration Release --output "$host" --nologo \
    -v quiet -clp:ErrorsOnly -clp:NoSummary -p:UseAppHost=false >&2
  mv -f "$next" "$stamp"
fi

cd "$root"
exec dotnet "$host/Build.dll" "$@"
