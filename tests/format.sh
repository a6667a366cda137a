#!/bin/bash
# Every C file of the tree is as the root .clang-format writes it.
set -u
cd "${srcdir:-.}" || exit 1
command -v clang-format >/dev/null || { echo "FAIL: clang-format not installed (contrib/install-deps.sh)"; exit 1; }
bad=0
while IFS= read -r f; do
    clang-format --dry-run -Werror "$f" 2>/dev/null || { echo "not formatted: $f"; bad=$((bad + 1)); }
done < <(find src tests/unit tests/fuzz tests/e2e/helpers bench -name '*.[ch]' | sort)
[ "$bad" = 0 ] || { echo "FAIL: $bad file(s) differ from .clang-format (clang-format -i FILE)"; exit 1; }
echo "ok: every C file matches .clang-format"
