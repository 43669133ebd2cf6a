#!/usr/bin/env bash
# Installs backtalk under PREFIX (docs/DEPLOYING.md):
#   PREFIX/bin/backtalk                     the binary
#   PREFIX/share/backtalk/Intents/          the knowledge base (the binary finds it from bin/)
#   PREFIX/share/backtalk/Embeddings/       the embedding table, when the tree has one
# then runs the installed binary from / with BACKTALK_KNOWLEDGE unset, as a front end would.
#
# Usage: swift build -c release && tools/install.sh PREFIX [BINARY]
#   BINARY defaults to .build/release/backtalk (a release build links the Swift runtime
#   statically, so PREFIX can be copied to another machine of the same kind).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  echo "usage: tools/install.sh PREFIX [BINARY]   (after: swift build -c release)" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
prefix="$(cd "$1" && pwd)"
binary="${2:-$root/.build/release/backtalk}"
if [ ! -x "$binary" ]; then
  echo "install: no binary at $binary; run 'swift build -c release' first" >&2
  exit 1
fi

share="$prefix/share/backtalk"
mkdir -p "$prefix/bin" "$share"
# Copy to a temporary name, then rename: a service starting during the install sees the old
# binary or the new one, never half of one.
cp "$binary" "$prefix/bin/.backtalk.new"
chmod 0755 "$prefix/bin/.backtalk.new"
mv -f "$prefix/bin/.backtalk.new" "$prefix/bin/backtalk"
for folder in Intents Embeddings; do
  [ -d "$root/$folder" ] || continue
  rm -rf "$share/.$folder.new"
  cp -R "$root/$folder" "$share/.$folder.new"
  rm -rf "$share/$folder"
  mv "$share/.$folder.new" "$share/$folder"
done

# The check a front end would make: run from another directory, no override, a hello and a
# message. It also writes the start-up caches, so the first real start is fast.
reply="$(cd / && printf '%s\n' '{"id":1,"type":"hello"}' '{"id":2,"text":"hi"}' \
  | env -u BACKTALK_KNOWLEDGE "$prefix/bin/backtalk" serve)"
if [ "$(printf '%s\n' "$reply" | grep -c '"id":[12],')" != 2 ]; then
  echo "install: the installed binary did not answer:" >&2
  printf '%s\n' "$reply" >&2
  exit 1
fi
echo "installed $("$prefix/bin/backtalk" --version) in $prefix"
