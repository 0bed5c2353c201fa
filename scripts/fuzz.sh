#!/usr/bin/env bash
# scripts/fuzz.sh — runs every native Go fuzz target of the main module for
# FUZZTIME each (default 30s), one after another, and prints how many
# executions each made. `make test` already runs every target's seed corpus
# (testdata/fuzz) as ordinary tests; this is the longer, exploring run.
# A failure leaves its input in the package's testdata/fuzz for review.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-30s}
status=0
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
		printf '==> %s %s (%s)\n' "$pkg" "$target" "$fuzztime"
		out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel "${FUZZPARALLEL:-2}" "$pkg" 2>&1) || status=1
		printf '%s\n' "$out" | grep -E '^fuzz: elapsed' | tail -n 1 || true
		printf '%s\n' "$out" | grep -E '^(--- FAIL|FAIL|ok)' || true
	done
done
exit $status
