# Lambda artifacts, deployable templates, template checks and the local
# CodeBuild run. Included by the root Makefile (`-include infraestructure/build.mk`);
# works from any directory: paths are relative to the repository root.
#
#   make zips              one zip per service: dist/lambda/<service>.zip (bootstrap, linux/arm64)
#   make images            one container image per service, <IMAGE_REPO>:<service>-<IMAGE_TAG>, pushed
#   make deploy-template   dist/template.yaml: the template pointed at those artifacts (PACKAGE_TYPE=Zip|Image)
#   make check-templates   cfn-lint, SAM transform, and the template checks (least privilege, DLQs, alarms, logs)
#   make buildspec         run buildspec.yml's phases like CodeBuild, its AWS calls against moto_server
#   make compose-config    validate docker-compose.yml (Debian's docker-compose)
#   make build-<LogicalId> what `sam build` calls (BuildMethod: makefile), e.g. build-PlayersFunction

LP_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)
GO ?= go

# The services, one Lambda function each (templatecheck holds this list to
# the template's SERVICE_NAMEs).
SERVICES := players games leaderboard achievements tips live

LAMBDA_GOARCH ?= arm64
DIST ?= $(LP_ROOT)/dist
LAMBDA_DIST := $(DIST)/lambda
GO_LAMBDA_BUILD = CGO_ENABLED=0 GOOS=linux GOARCH=$(LAMBDA_GOARCH) $(GO) build -tags lambda.norpc -trimpath -ldflags "-s -w"
PACKAGE_TYPE ?= Zip
IMAGE_REPO ?= $(ECR_REPOSITORY_URI)
IMAGE_TAG ?= $(CODEBUILD_RESOLVED_SOURCE_VERSION)

lp_lc = $(shell echo '$(1)' | tr '[:upper:]' '[:lower:]')

.PHONY: zips images deploy-template check-templates buildspec compose-config $(SERVICES:%=zip-%)

zips: $(SERVICES:%=zip-%) ## one Lambda zip per service in dist/lambda (linux/arm64, bootstrap)

# A fixed mtime and zip -X make the zip depend only on the binary, so an
# unchanged service packages to the same S3 key and CloudFormation leaves
# its function alone.
$(SERVICES:%=zip-%): zip-%:
	@set -e; mkdir -p $(LAMBDA_DIST)/$*
	cd $(LP_ROOT) && $(GO_LAMBDA_BUILD) -o $(LAMBDA_DIST)/$*/bootstrap ./microservices/$*/cmd
	@set -e; touch -t 198001010000 $(LAMBDA_DIST)/$*/bootstrap; rm -f $(LAMBDA_DIST)/$*.zip; \
	  cd $(LAMBDA_DIST)/$* && zip -q -X $(LAMBDA_DIST)/$*.zip bootstrap; \
	  echo "  $(LAMBDA_DIST)/$*.zip ($$(wc -c < $(LAMBDA_DIST)/$*.zip) bytes)"

images: zips ## one image per service, tagged <service>-<IMAGE_TAG>, pushed to IMAGE_REPO (needs docker)
	@test -n "$(IMAGE_REPO)" || { echo "set IMAGE_REPO (or ECR_REPOSITORY_URI)"; exit 1; }
	@test -n "$(IMAGE_TAG)" || { echo "set IMAGE_TAG (or CODEBUILD_RESOLVED_SOURCE_VERSION)"; exit 1; }
	@set -e; for svc in $(SERVICES); do \
	  docker build --platform linux/$(LAMBDA_GOARCH) -f $(LP_ROOT)/infraestructure/docker/lambda.Dockerfile \
	    -t $(IMAGE_REPO):$$svc-$(IMAGE_TAG) $(LAMBDA_DIST)/$$svc; \
	  docker push $(IMAGE_REPO):$$svc-$(IMAGE_TAG); \
	done

deploy-template: ## dist/template.yaml pointed at the zips (or, PACKAGE_TYPE=Image, the images)
	cd $(LP_ROOT) && $(GO) run ./infraestructure/tools/packtemplate -o $(DIST)/template.yaml -lambda-dir $(LAMBDA_DIST) \
	  $(if $(filter Image,$(PACKAGE_TYPE)),-mode image -image-repo "$(IMAGE_REPO)" -tag "$(IMAGE_TAG)",-mode zip)

check-templates: ## cfn-lint, SAM transform, least privilege, DLQs, alarms, log groups, compose file
	cd $(LP_ROOT) && cfn-lint infraestructure/cloudformation/*.yaml
	cd $(LP_ROOT) && python3 infraestructure/cloudformation/check_sam_transform.py infraestructure/cloudformation/template.yaml
	cd $(LP_ROOT) && $(GO) test -count=1 ./infraestructure/cloudformation/templatecheck/ ./infraestructure/tools/...

buildspec: ## run buildspec.yml like CodeBuild (phases, one shell, post_build on failure) against moto_server
	cd $(LP_ROOT) && $(GO) run ./infraestructure/tools/buildspec -f buildspec.yml

compose-config: ## validate docker-compose.yml with docker-compose config
	cd $(LP_ROOT) && bash infraestructure/ensure-tools.sh docker-compose
	cd $(LP_ROOT) && LOCALSTACK_AUTH_TOKEN=$${LOCALSTACK_AUTH_TOKEN:-unset} docker-compose -f docker-compose.yml config -q

# sam build (Metadata BuildMethod: makefile, CodeUri ../../) runs
# `make build-<LogicalId>` with ARTIFACTS_DIR set: build that function's
# service (PlayersFunction -> microservices/players/cmd) into it.
build-%Function:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)"; exit 1; }
	cd $(LP_ROOT) && $(GO_LAMBDA_BUILD) -o "$(ARTIFACTS_DIR)/bootstrap" ./microservices/$(call lp_lc,$*)/cmd
