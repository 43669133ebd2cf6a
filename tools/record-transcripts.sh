#!/usr/bin/env bash
# Re-records Transcripts/*.transcript from the message scripts in Transcripts/scripts/.
# Review the diff (git diff Transcripts) before committing: a recorded transcript is a claim
# that every reply in it is right.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BACKTALK:-.build/debug/backtalk}
for script in Transcripts/scripts/*.txt; do
  name=$(basename "$script" .txt)
  region=us
  [ -f "Transcripts/scripts/$name.options" ] && region=$(sed -n 's/^region: *//p' "Transcripts/scripts/$name.options")
  title=$(echo "$name" | tr '_' ' ')
  "$bin" record --region "$region" --title "$title" "Transcripts/$name.transcript" < "$script"
done
