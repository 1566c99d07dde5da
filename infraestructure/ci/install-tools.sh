#!/usr/bin/env bash
# buildspec.yml's install phase: the tools of the build, at pinned versions.
#
#   install-tools.sh           install (CodeBuild): Go of go.mod, cfn-lint
#                              (with aws-sam-translator), docker-compose,
#                              moto at the version lightmoto is written for
#   install-tools.sh --check   only check what is installed (make buildspec:
#                              it must not install Go over yours)
#
# Go: the newest patch release of the go.mod `go` line (go 1.26 -> go1.26.x),
# from go.dev, checked against its published SHA-256. CodeBuild's images
# trail Go releases, so the runtime-versions golang is not used.
set -euo pipefail
cd "$(dirname "$0")/../.."

CFN_LINT_VERSION=${CFN_LINT_VERSION:-1.51.0}
COMPOSE_VERSION=${COMPOSE_VERSION:-v2.29.7}
want_go=$(awk '$1 == "go" {print $2; exit}' go.mod)
MOTO_VERSION=$(sed -n 's/^const Version = "\(.*\)"$/\1/p' infraestructure/local/motoserver/motoserver.go)
want_minor=$(echo "$want_go" | cut -d. -f1,2)

check() {
	local ok=1 have
	have=$(go env GOVERSION 2>/dev/null || true)
	case "$have" in
	go"$want_minor" | go"$want_minor".*) echo "install: Go $have matches go.mod (go $want_go)" ;;
	*) echo "install: Go ${have:-missing}, go.mod wants go $want_go" >&2; ok=0 ;;
	esac
	have=$(node --version 2>/dev/null || true)
	case "$have" in
	v2[0-9].*) echo "install: Node $have" ;;
	*) echo "install: Node ${have:-missing}, want 20 or newer" >&2; ok=0 ;;
	esac
	command -v cfn-lint >/dev/null && echo "install: $(cfn-lint --version)" || { echo "install: cfn-lint missing" >&2; ok=0; }
	python3 -c 'import samtranslator' 2>/dev/null && echo "install: aws-sam-translator $(python3 -c 'import samtranslator; print(samtranslator.__version__)')" ||
		{ echo "install: aws-sam-translator missing" >&2; ok=0; }
	command -v docker-compose >/dev/null && echo "install: $(docker-compose version --short 2>/dev/null || docker-compose --version)" ||
		{ echo "install: docker-compose missing (infraestructure/ensure-tools.sh)" >&2; ok=0; }
	command -v zip >/dev/null || { echo "install: zip missing" >&2; ok=0; }
	have=$(python3 -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true)
	[ "$have" = "$MOTO_VERSION" ] && echo "install: moto $have" ||
		{ echo "install: moto ${have:-missing}, want $MOTO_VERSION (make test-go needs it)" >&2; ok=0; }
	[ "$ok" = 1 ]
}

if [ "${1:-}" = --check ]; then
	check
	exit
fi

case "$(uname -m)" in
aarch64 | arm64) arch=arm64 ;;
x86_64) arch=amd64 ;;
*) echo "install: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

# The newest stable release of go.mod's minor version, with its checksum.
read -r file sha < <(curl -fsSL 'https://go.dev/dl/?mode=json&include=all' | python3 -c '
import json, sys
minor, arch = sys.argv[1], sys.argv[2]
for rel in json.load(sys.stdin):
    v = rel["version"]
    if rel["stable"] and (v == "go" + minor or v.startswith("go" + minor + ".")):
        for f in rel["files"]:
            if f["os"] == "linux" and f["arch"] == arch and f["kind"] == "archive":
                print(f["filename"], f["sha256"]); sys.exit(0)
sys.exit("no stable go%s release for linux/%s" % (minor, arch))
' "$want_minor" "$arch")
echo "install: $file"
curl -fsSL -o "/tmp/$file" "https://go.dev/dl/$file"
echo "$sha  /tmp/$file" | sha256sum -c -
rm -rf /usr/local/go && tar -C /usr/local -xzf "/tmp/$file" && rm -f "/tmp/$file"
export PATH="/usr/local/go/bin:$PATH"

python3 -m pip install --quiet "cfn-lint==$CFN_LINT_VERSION"   # brings aws-sam-translator
python3 -m pip install --quiet "moto[server]==$MOTO_VERSION"    # the AWS of make test-go

if ! command -v docker-compose >/dev/null; then
	curl -fsSL -o /usr/local/bin/docker-compose \
		"https://github.com/docker/compose/releases/download/$COMPOSE_VERSION/docker-compose-linux-$(uname -m)"
	chmod +x /usr/local/bin/docker-compose
fi
check
