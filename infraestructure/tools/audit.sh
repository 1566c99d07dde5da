#!/usr/bin/env bash
# audit.sh: known vulnerabilities in what ships.
#
# - client/: `npm audit --omit=dev --audit-level=high` (the runtime
#   dependencies only; the bundle is built from them). Findings of high or
#   critical severity fail. The audit needs the registry's audit endpoint:
#   when it cannot be reached (a network error, or a registry mirror that
#   answers the bulk advisory POST with an error, as the one here does with
#   405) this prints a WARNING and does not fail, so an outage does not
#   block a build; any other npm error fails.
# - Go: govulncheck needs vuln.go.dev, which this workplace cannot reach, so
#   it runs where the network allows (CodeBuild: see buildspec) with
#   AUDIT_GOVULNCHECK=1; here it is skipped with a note saying so. Pin:
#   golang.org/x/vuln/cmd/govulncheck@v1.1.4.
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0

echo "== npm audit (client, runtime dependencies, high and critical)"
if ! command -v npm >/dev/null; then
  echo "audit: npm is not installed (apt-get install nodejs npm)" >&2
  exit 1
fi
out=$(cd client && npm audit --omit=dev --audit-level=high 2>&1)
rc=$?
echo "$out"
if [ $rc -ne 0 ]; then
  if grep -qiE 'ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|network|socket hang up|request to .* failed|audit endpoint returned an error' <<<"$out" &&
     ! grep -qiE '^# npm audit report|severity: (high|critical)' <<<"$out"; then
    echo "WARNING: npm audit could not reach the registry's audit endpoint; the client's dependencies were NOT audited." >&2
  else
    echo "audit: npm audit found high or critical vulnerabilities in the client's runtime dependencies (or failed); see above." >&2
    status=1
  fi
fi

echo "== govulncheck (Go module)"
if [ "${AUDIT_GOVULNCHECK:-0}" = 1 ]; then
  if ! go run golang.org/x/vuln/cmd/govulncheck@v1.1.4 ./...; then
    echo "audit: govulncheck found vulnerabilities that the code reaches (or could not run); see above." >&2
    status=1
  fi
else
  echo "skipped: govulncheck needs vuln.go.dev (not reachable here); CI with internet runs it with AUDIT_GOVULNCHECK=1."
  echo "Go modules in the build: $(go list -m all | wc -l) (go list -m all lists them)"
fi
exit $status
