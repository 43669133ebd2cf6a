#!/usr/bin/env bash
# Fuzzes the service and the assistant with libFuzzer for SECONDS (default 60):
#   Fuzz/run.sh [SECONDS]
# Builds the harness with -sanitize=fuzzer,address, starts from the committed seeds in
# corpus/ (never written to: new inputs go to a temporary folder), and exits non-zero, with the
# input saved in Fuzz/findings/, if an input crashes, trips the sanitizer or breaks a protocol
# promise the harness checks.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}

swift build -Xswiftc -sanitize=fuzzer,address 2>&1 \
  | grep -av -e "prohibited flag" -e "Cannot export local symbol" | tail -n 5
binary=$(swift build -Xswiftc -sanitize=fuzzer,address --show-bin-path)/BacktalkFuzz

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p findings
echo "fuzzing for ${seconds}s"
# One job on the shared cores; a slow input (over 10 s) or 4 GiB of memory counts as a finding.
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -dict=protocol.dict \
  -artifact_prefix=findings/ -print_final_stats=1 "$work" corpus
