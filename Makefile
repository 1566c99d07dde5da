# Lightpress. A newcomer needs two commands: `make up` and `make test`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
GO ?= go
ADDR ?= 127.0.0.1:8080
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

CLIENT_SRC := $(shell find client/src client/public -type f 2>/dev/null) client/index.html client/vite.config.ts client/tsconfig.json client/package.json

.PHONY: help up seed tail dlq client test tools test-go test-client test-browser test-templates test-fuzz audit lint fmt bench scalesim chaos clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

up: client ## run the game and its whole backend at http://127.0.0.1:8080 (Ctrl-C stops)
	$(GO) run ./cmd/lightpress up --addr $(ADDR)

seed: ## demo players playing real games against a running `make up` (ARGS="--players 10 --games 5")
	$(GO) run ./cmd/lightpress seed $(ARGS)

tail: ## every event on the topic of a running `make up` (ARGS="--type GameFinished --json")
	$(GO) run ./cmd/lightpress events tail $(ARGS)

dlq: ## each dead-letter queue's depth and first messages
	$(GO) run ./cmd/lightpress dlq list $(ARGS)

client: client/dist/index.html ## build the browser client (npm ci + vite build; skipped when up to date)

# npm ci writes node_modules/.package-lock.json: reinstall only when the lock changes.
client/node_modules/.package-lock.json: client/package-lock.json
	cd client && npm ci --no-audit --no-fund --loglevel=error
	touch $@

client/dist/index.html: client/node_modules/.package-lock.json $(CLIENT_SRC)
	cd client && npm run --silent build

test: tools lint test-go chaos test-client test-templates test-fuzz test-browser audit ## every test: Go (unit, moto integration, system), chaos, client, templates, fuzz, browser, audit
	@echo "make test: all suites passed"

tools: client/node_modules/.package-lock.json ## install what the tests need, only when missing (docker-compose, cfn-lint, sam-translator, chromium, npm ci)
	bash infraestructure/ensure-tools.sh
	bash client/scripts/ensure-chromium.sh

# GOTEST is how the tests run: CodeBuild's pre_build runs this same target
# through gotestsum for its JUnit report (buildspec.yml).
GOTEST ?= $(GO) test
test-go: ## Go: vet, unit tests, integration against moto_server, system tests of lightpress up
	$(GO) vet ./...
	$(GOTEST) -count=1 -timeout 15m ./...

test-client: client/node_modules/.package-lock.json ## client: typecheck, vitest, bundle budget
	cd client && npm run --silent lint && npm test --silent
	$(MAKE) --no-print-directory client
	cd client && npm run --silent check:bundle

test-browser: client ## Playwright + Debian's chromium playing both modes against lightpress up
	bash client/scripts/ensure-chromium.sh
	bash client/e2e/run-local.sh

test-templates: check-templates compose-config ## cfn-lint, SAM transform, least privilege, DLQs/alarms/logs, docker-compose config

test-fuzz: ## a short fuzz of every Fuzz target (plain go test replays the corpora)
	bash infraestructure/tools/fuzz-short.sh

audit: ## dependency audit: npm audit of the client, govulncheck where the network allows
	bash infraestructure/tools/audit.sh

chaos: ## the AWS endpoint dies during a burst of 500 submissions (about 2 min; part of make test)
	$(GO) test -tags chaos -count=1 -timeout 20m -run '^TestChaos' -v ./cmd/lightpress

bench: ## benchmarks, load test and sizes; writes docs/PERFORMANCE.md (not part of make test)
	$(GO) run ./cmd/benchmark

scalesim: ## 10,000 finished games/s through the key design, metered per partition (docs/SCALE.md)
	$(GO) run ./cmd/scalesim

lint: ## gofmt, go vet, staticcheck
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) vet -tags chaos ./cmd/lightpress
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(STATICCHECK) -tags chaos ./cmd/lightpress

fmt: ## gofmt every Go file
	gofmt -w $$(git ls-files '*.go')

clean: ## remove build outputs
	rm -rf client/dist bin .lightpress .aws-sam

-include infraestructure/build.mk
