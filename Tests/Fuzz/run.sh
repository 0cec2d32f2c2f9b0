#!/usr/bin/env bash
# Builds one libFuzzer target and fuzzes it for a while. Not part of `swift test` or CI.
#
#   Tests/Fuzz/run.sh manifest|http SECONDS [libFuzzer options...]
#   Tests/Fuzz/run.sh manifest|http build          # only build; prints the binary's path
#   Tests/Fuzz/run.sh manifest|http replay FILE... # run inputs once (e.g. a crash-* file)
#
# manifest: JSONCReader + ManifestLoader.load(contents:path:environment:requireVariables:)
#           (Tests/Fuzz/ManifestFuzzer.swift), seeded from examples/ and Tests/Fixtures/manifests.
# http:     the simulator's HTTPRequestParser (Tests/Fuzz/HTTPParserFuzzer.swift), seeded from
#           Tests/Fuzz/seeds/http/*.http.
#
# Everything is written under .build/fuzz/TARGET/ (the working directory of the run): the
# binary, the growing corpus (corpus/, kept between runs), crash-*/timeout-*/oom-* inputs and
# fuzz.log. The exit status is libFuzzer's: 0 when the time ran out without a finding.
# Environment: FUZZ_SWIFTC (default swiftc), FUZZ_OPT (default -O).
set -euo pipefail

usage() {
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 64
}
[[ $# -ge 2 ]] || usage
target=$1
mode=$2
shift 2

root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/.build/fuzz/$target
swiftc=${FUZZ_SWIFTC:-swiftc}
opt=${FUZZ_OPT:--O}
flags=(-sanitize=fuzzer,address -parse-as-library -swift-version 6 "$opt" -g)
mkdir -p "$work/modules" "$work/corpus" "$work/seeds"

build_manifest() {
    # The package's module layout, rebuilt by hand: EvoformCore, then EvoformManifest, then the
    # fuzzer linked against both (all instrumented).
    local modules=$work/modules
    "$swiftc" "${flags[@]}" -module-name EvoformCore -wmo -c "$root"/Sources/EvoformCore/*.swift \
        -emit-module -emit-module-path "$modules/EvoformCore.swiftmodule" -o "$modules/EvoformCore.o"
    "$swiftc" "${flags[@]}" -module-name EvoformManifest -wmo -c "$root"/Sources/EvoformManifest/*.swift \
        -I "$modules" -emit-module -emit-module-path "$modules/EvoformManifest.swiftmodule" \
        -o "$modules/EvoformManifest.o"
    "$swiftc" "${flags[@]}" -module-name ManifestFuzzer "$root/Tests/Fuzz/ManifestFuzzer.swift" \
        -I "$modules" "$modules/EvoformCore.o" "$modules/EvoformManifest.o" -o "$work/fuzzer"
}

build_http() {
    # The parser is internal to EvolutionSimulator, so the harness joins the parser's own files
    # in one module (the parser needs nothing else from the simulator).
    "$swiftc" "${flags[@]}" -module-name HTTPParserFuzzer \
        "$root/Sources/EvolutionSimulator/HTTP/HTTPRequest.swift" \
        "$root/Sources/EvolutionSimulator/HTTP/HTTPRequestParser.swift" \
        "$root/Tests/Fuzz/HTTPParserFuzzer.swift" -o "$work/fuzzer"
}

seed_manifest() {
    find "$root/examples" "$root/Tests/Fixtures/manifests" -type f \( -name '*.json' -o -name '*.jsonc' \) \
        -exec cp {} "$work/seeds/" \;
    # Inputs of past findings (kept as regression tests) are seeds too.
    if [[ -d $root/Tests/Fixtures/fuzz/manifest ]]; then
        find "$root/Tests/Fixtures/fuzz/manifest" -type f ! -name '*.md' -exec cp {} "$work/seeds/" \;
    fi
}

seed_http() {
    # Each sample twice: with the default limits (control bytes ff ff, no split) and with small
    # limits (header 144 bytes, body 32 bytes, split at byte 32); see HTTPParserFuzzer.swift.
    local sample name
    for sample in "$root"/Tests/Fuzz/seeds/http/*.http; do
        name=$(basename "$sample" .http)
        { printf '\xff\xff\x00\x00'; cat "$sample"; } > "$work/seeds/$name-default-limits"
        { printf '\x10\x04\x00\x20'; cat "$sample"; } > "$work/seeds/$name-small-limits"
    done
    # Inputs of past findings (kept as regression tests, already with control bytes).
    if [[ -d $root/Tests/Fixtures/fuzz/http ]]; then
        find "$root/Tests/Fixtures/fuzz/http" -type f ! -name '*.md' -exec cp {} "$work/seeds/" \;
    fi
}

case $target in
manifest) max_len=16384 ;;
http) max_len=8192 ;;
*) usage ;;
esac

echo "building $target fuzzer in $work" >&2
# The linker's "Cannot export local symbol '__asan_*'" lines are noise of ld.gold with ASan.
"build_$target" 2> >(grep -v "Cannot export local symbol" >&2)
"seed_$target"

cd "$work"
# The Swift runtime's backtracer intercepts the crash signal before libFuzzer; turn it off so
# libFuzzer saves the input and prints its stack trace.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:symbolize=1}

case $mode in
build)
    echo "$work/fuzzer"
    ;;
replay)
    ./fuzzer "$@"
    ;;
*[!0-9]* | '')
    usage
    ;;
*)
    echo "fuzzing $target for $mode s; corpus $work/corpus, log $work/fuzz.log" >&2
    ./fuzzer -max_total_time="$mode" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="$root/Tests/Fuzz/$target.dict" -artifact_prefix="$work/" "$@" corpus seeds 2>&1 | tee fuzz.log
    exit "${PIPESTATUS[0]}"
    ;;
esac
