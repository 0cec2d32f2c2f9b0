#!/usr/bin/env bash
# Benchmark: record N instance rows (default 10000) in a new state, one transaction each as
# `apply` does, in WAL mode with synchronous=FULL (every commit is fsynced).
#
#   Benchmarks/state-record.sh [N] [FOLDER]
#
# FOLDER (default .build/bench-state) must be on the disk you care about: on tmpfs fsync is free
# and the figure means nothing. Not a test: it prints a figure and asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
folder="${2:-.build/bench-state}"
swift build -c release --product evoform-state-probe >&2
rm -rf "$folder"
mkdir -p "$folder"
trap 'rm -rf "$folder"' EXIT
echo "file system: $(df -T "$folder" | awk 'NR==2 {print $2}')" >&2
.build/release/evoform-state-probe bench-record "$count" "$folder/state/evoform.db"
