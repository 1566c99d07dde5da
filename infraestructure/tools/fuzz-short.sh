#!/usr/bin/env bash
# fuzz-short.sh: a short fuzz of every Fuzz* target of the module.
#
# Plain `go test` already replays each target's seed corpus
# (testdata/fuzz/<FuzzName>/ and f.Add); this script mutates beyond it.
# Go fuzzes one target per invocation, so each target runs on its own, as
#   go test -run '^$' -fuzz '^Name$' -fuzztime $FUZZTIME <package>
# does, except that each package's instrumented test binary is built once
# (go test -c -fuzz) and run once per target in the package's directory,
# with go test's own fuzz cache (new interesting inputs are kept there).
# A failure leaves the failing input in the package's testdata/fuzz/<Name>/
# (commit it: from then on plain `go test` replays it as a regression).
#
# Usage: infraestructure/tools/fuzz-short.sh [package pattern...]   (default ./...)
#   FUZZTIME=3s (per target)   FUZZ_PARALLEL=<-parallel of each run, default: GOMAXPROCS>
set -euo pipefail
cd "$(dirname "$0")/../.."
FUZZTIME="${FUZZTIME:-3s}"
patterns=("$@")
[ ${#patterns[@]} -gt 0 ] || patterns=(./...)

# Packages that have test files with a Fuzz target.
mapfile -t pkgs < <(go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' "${patterns[@]}")
targets=()
for pkg in "${pkgs[@]}"; do
  [ -n "$pkg" ] || continue
  # `go test -list` prints the matching names, then "ok <pkg> <time>".
  while read -r name; do
    [[ "$name" == Fuzz* ]] && targets+=("$pkg $name")
  done < <(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep -E '^Fuzz[A-Za-z0-9_]*$' || true)
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz-short: no Fuzz targets found in ${patterns[*]}" >&2
  exit 1
fi

echo "fuzz-short: ${#targets[@]} targets, ${FUZZTIME} each"
pass=0; fail=0; failed=(); start=$SECONDS
par=()
[ -n "${FUZZ_PARALLEL:-}" ] && par=(-test.parallel "$FUZZ_PARALLEL")
bindir=$(mktemp -d)
trap 'rm -rf "$bindir"' EXIT
cache="$(go env GOCACHE)/fuzz"
built=""
for t in "${targets[@]}"; do
  pkg=${t% *}; name=${t#* }
  bin="$bindir/$(echo "$pkg" | tr '/.' '__').test"
  log=$(mktemp)
  if [ "$built" != "$pkg" ]; then
    if ! go test -c -fuzz '^Fuzz' -o "$bin" "$pkg" >"$log" 2>&1; then
      printf '  FAIL  %s (build)\n' "$pkg"; sed 's/^/        /' "$log"
      fail=$((fail+1)); failed+=("$pkg (build)"); rm -f "$log"; continue
    fi
    built=$pkg
  fi
  dir=$(go list -f '{{.Dir}}' "$pkg")
  if (cd "$dir" && "$bin" -test.run '^$' -test.fuzz "^${name}\$" -test.fuzztime "$FUZZTIME" \
        -test.fuzzcachedir "$cache/$pkg" "${par[@]}") >"$log" 2>&1; then
    execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
    printf '  ok    %-60s %s execs\n' "${pkg#github.com/lightpress/lightpress/}.${name}" "$execs"
    pass=$((pass+1))
  else
    printf '  FAIL  %s.%s\n' "${pkg#github.com/lightpress/lightpress/}" "$name"
    sed 's/^/        /' "$log" | tail -40
    fail=$((fail+1)); failed+=("$pkg.$name")
  fi
  rm -f "$log"
done
echo "fuzz-short: ${pass} passed, ${fail} failed ($((SECONDS-start))s)"
if [ "$fail" -gt 0 ]; then
  printf 'failed: %s\n' "${failed[@]}"
  echo "the failing inputs are in each package's testdata/fuzz/<Name>/; rerun one with: go test -run '<Name>/<file>' <pkg>"
  exit 1
fi
