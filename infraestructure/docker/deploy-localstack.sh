#!/usr/bin/env bash
# The deploy one-shot of docker-compose.yml: build the Lambda zips, package
# the SAM template to S3 and deploy it with CloudFormation, all in
# LocalStack (AWS_ENDPOINT_URL), then tell the client service where the
# API is (/shared/api.env): each function's URL (LIGHTPRESS_FRONT=
# functionurl, LocalStack's free plan) or the HTTP API (httpapi, a paid plan).
set -euo pipefail
cd "$(dirname "$0")/../.."
stage=${STAGE:-local}
stack=lightpress-$stage
bucket=lightpress-$stage-artifacts
arch=$(go env GOARCH)
front=${LIGHTPRESS_FRONT:-functionurl}
case "$front" in
functionurl) urls=true ;;
httpapi) urls=false ;;
*) echo "deploy: LIGHTPRESS_FRONT=$front, want functionurl (free plan) or httpapi (a paid plan)" >&2; exit 2 ;;
esac

echo "deploy: building the Lambda zips for linux/$arch (localstack.env: LAMBDA_IGNORE_ARCHITECTURE=1)"
make --no-print-directory -f infraestructure/build.mk zips LAMBDA_GOARCH="$arch"
go run ./infraestructure/tools/packtemplate -mode zip -o dist/template.yaml -lambda-dir dist/lambda

aws s3api head-bucket --bucket "$bucket" 2>/dev/null || aws s3 mb "s3://$bucket"
aws cloudformation package --template-file dist/template.yaml \
  --s3-bucket "$bucket" --s3-prefix "$stage" --output-template-file dist/packaged.yaml
# The CDN stays out (EnableCdn=false): the client service serves the client.
aws cloudformation deploy --stack-name "$stack" --template-file dist/packaged.yaml \
  --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset \
  --parameter-overrides Stage="$stage" EnableCdn=false ClientOrigin=http://127.0.0.1:8080 LogLevel=DEBUG \
    EnableFunctionUrls="$urls"

# The client service finds its front doors in the stack's outputs
# (serve-client.mjs): each <Service>Url, or the HTTP API's ApiUrl.
aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].Outputs' --output json > /shared/outputs.json
printf 'API_UPSTREAM=http://localstack:4566\nLIGHTPRESS_FRONT=%s\nSTACK_OUTPUTS=/shared/outputs.json\n' "$front" > /shared/api.env
echo "deploy: stack $stack is up (front door: $front)"
aws cloudformation describe-stacks --stack-name "$stack" --query 'Stacks[0].Outputs' --output table
