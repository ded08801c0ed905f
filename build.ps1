#!/usr/bin/env pwsh
# Runs the Cake build (build/Host/Build.csproj) with the given arguments, from any working directory.
# Like build.sh, it compiles the host into build/bin/host/ only when build/, src/, a Directory.*
# file or global.json changed since the last compile (newer files, or files added or removed),
# then runs the dll directly. Set PIPELINE_REBUILD_HOST=1 to force a recompile.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$hostDir = Join-Path $root 'build/bin/host'
$stamp = Join-Path $hostDir '.stamp'

function Get-Inputs {
    $skip = '[\\/](bin|obj|node_modules)[\\/]'
    Get-ChildItem -Path (Join-Path $root 'build'), (Join-Path $root 'src') -Recurse -File |
        Where-Object { $_.FullName -notmatch $skip }
    Get-ChildItem -Path $root -File | Where-Object { $_.Name -like 'Directory.*' -or $_.Name -eq 'global.json' }
}

$inputs = @(Get-Inputs)
$names = ($inputs | ForEach-Object { $_.FullName } | Sort-Object) -join "`n"
$listing = [System.BitConverter]::ToString(
    [System.Security.Cryptography.MD5]::Create().ComputeHash([System.Text.Encoding]::UTF8.GetBytes($names))).Replace('-', '')

$stale = $env:PIPELINE_REBUILD_HOST -eq '1' -or -not (Test-Path (Join-Path $hostDir 'Build.dll')) -or -not (Test-Path $stamp)
if (-not $stale) {
    $stampTime = (Get-Item $stamp).LastWriteTimeUtc
    $stale = ((Get-Content $stamp -Raw).Trim() -ne $listing) -or
        ($inputs | Where-Object { $_.LastWriteTimeUtc -gt $stampTime } | Select-Object -First 1)
}

if ($stale) {
    Write-Host 'Compiling the build host (build/Host/Build.csproj)...'
    New-Item -ItemType Directory -Force -Path $hostDir | Out-Null
    $next = "$stamp.next"
    Set-Content -Path $next -Value $listing -NoNewline
    dotnet build (Join-Path $root 'build/Host/Build.csproj') --configuration Release --output $hostDir --nologo -v quiet -p:UseAppHost=false
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    Move-Item -Force $next $stamp
}

Push-Location $root
try {
    dotnet (Join-Path $hostDir 'Build.dll') @args
    exit $LASTEXITCODE
}
finally {
    Pop-Location
}
