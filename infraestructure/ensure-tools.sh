#!/usr/bin/env bash
# Installs what the template checks need when it is missing, and nothing
# when it is there (quick and idempotent; make test calls it).
#
#   infraestructure/ensure-tools.sh [docker-compose] [cfn-lint] [sam-translator] [moto]
#
# docker-compose comes from Debian (apt-get), the Python tools from pip; with
# no argument it checks all four. moto is pinned (infraestructure/local/
# motoserver: its corrections are written against that version). A tool that cannot be installed is an
# error with the command to run by hand.
set -euo pipefail

want=("$@")
[ ${#want[@]} -gt 0 ] || want=(docker-compose cfn-lint sam-translator moto)
MOTO_VERSION=$(sed -n 's/^const Version = "\(.*\)"$/\1/p' "$(dirname "$0")/local/motoserver/motoserver.go")

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		echo "ensure-tools: need root for: $*" >&2; return 1
	fi
}

for tool in "${want[@]}"; do
	case "$tool" in
	docker-compose)
		if ! command -v docker-compose >/dev/null 2>&1; then
			echo "ensure-tools: installing Debian's docker-compose (to validate docker-compose.yml)"
			as_root apt-get update -qq
			as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
		fi
		command -v docker-compose >/dev/null || { echo "ensure-tools: docker-compose missing: apt-get install -y docker-compose" >&2; exit 1; }
		;;
	cfn-lint)
		command -v cfn-lint >/dev/null 2>&1 || python3 -m pip install --quiet cfn-lint
		command -v cfn-lint >/dev/null || { echo "ensure-tools: cfn-lint missing: pip install cfn-lint" >&2; exit 1; }
		;;
	sam-translator)
		python3 -c 'import samtranslator' 2>/dev/null || python3 -m pip install --quiet aws-sam-translator
		python3 -c 'import samtranslator' || { echo "ensure-tools: pip install aws-sam-translator" >&2; exit 1; }
		;;
	moto)
		[ -n "$MOTO_VERSION" ] || { echo "ensure-tools: no moto Version in infraestructure/local/motoserver/motoserver.go" >&2; exit 1; }
		have=$(python3 -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true)
		[ "$have" = "$MOTO_VERSION" ] || python3 -m pip install --quiet "moto[server]==$MOTO_VERSION"
		have=$(python3 -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true)
		[ "$have" = "$MOTO_VERSION" ] || { echo "ensure-tools: moto ${have:-missing}, want $MOTO_VERSION: pip install 'moto[server]==$MOTO_VERSION'" >&2; exit 1; }
		;;
	*)
		echo "ensure-tools: unknown tool $tool (docker-compose, cfn-lint, sam-translator, moto)" >&2
		exit 2
		;;
	esac
done
