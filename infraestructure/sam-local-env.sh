#!/usr/bin/env bash
# Writes the --env-vars file of `sam local start-api` for a deployed stack:
# each function's TABLE_NAME, EVENTS_TOPIC_ARN and *_SECRET_ARN become the
# physical names of that stack's resources, so the functions running in
# sam local's containers use the stack's table, topic and secrets (with
# your AWS credentials). See docs/DEPLOY.md.
#
#   infraestructure/sam-local-env.sh lightpress-dev > .aws-sam/env.json
#   sam local start-api --env-vars .aws-sam/env.json
set -euo pipefail
stack=${1:?usage: sam-local-env.sh STACK_NAME}
aws cloudformation describe-stack-resources --stack-name "$stack" \
	--query 'StackResources[].[LogicalResourceId,PhysicalResourceId]' --output json |
	python3 -c '
import json, sys
phys = dict(json.load(sys.stdin))
fns = [lid for lid in phys if lid.endswith("Function") and lid[:-len("Function")] + "Table" in phys]
out = {}
for fn in sorted(fns):
    svc = fn[:-len("Function")]
    env = {"TABLE_NAME": phys[svc + "Table"], "EVENTS_TOPIC_ARN": phys.get("EventsTopic", "")}
    # The secrets each function reads (template.yaml): only players signs.
    secrets = {"Players": {"TOKEN_SIGNING_KEY_SECRET_ARN": "TokenSigningKey", "TOKEN_KEYS_SECRET_ARN": "TokenKeys",
                           "LEGACY_TOKEN_SECRET_ARN": "TokenSecret"},
               "Games": {"TOKEN_KEYS_SECRET_ARN": "TokenKeys"},
               "Leaderboard": {"CURSOR_SECRET_ARN": "CursorSecret"},
               "Tips": {"ADMIN_SECRET_ARN": "AdminSecret"}}
    for var, secret in secrets.get(svc, {}).items():
        env[var] = phys.get(secret, "")
    out[fn] = env
if not out:
    sys.exit("no Lightpress functions in that stack")
json.dump(out, sys.stdout, indent=2)
print()
'
