#!/usr/bin/env python3
"""Run the AWS SAM transform on a template, offline, and fail on any error.

    python3 check_sam_transform.py TEMPLATE [--output transformed.json]
        [--param Name=Value ...]

This is the same translator CloudFormation runs for
`Transform: AWS::Serverless-2016-10-31` (aws-sam-translator), so a template
that passes here is one CloudFormation will accept as far as SAM is
concerned. It needs no network and no credentials: the managed-policy
loader is a stub with the ARNs of the AWS managed policies SAM may attach
(a template that names any other managed policy fails with a clear error).
Local CodeUri paths are first replaced with S3 URIs, as packaging does
(CloudFormation only ever transforms a packaged template).

The transformed template (plain CloudFormation JSON) is written to
--output, or to stdout when --output is "-"; the Go checks in
templatecheck read it to prove what each function's role can reach.
"""

import argparse
import json
import os
import sys

# The translator asks boto3 for a region to build ARNs; none is needed.
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")

try:
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
except ImportError:  # pragma: no cover - reported to the caller
    sys.stderr.write(
        "aws-sam-translator is not installed for %s: pip install aws-sam-translator\n" % sys.executable
    )
    sys.exit(3)

# The AWS managed policies SAM attaches by itself (to roles it generates) or
# that a template may name in Policies. Lightpress functions bring their own
# roles, so none of these should appear in the output; the map only lets the
# translator run offline.
MANAGED_POLICIES = {
    name: "arn:aws:iam::aws:policy/" + path
    for name, path in {
        "AWSLambdaBasicExecutionRole": "service-role/AWSLambdaBasicExecutionRole",
        "AWSXrayWriteOnlyAccess": "AWSXrayWriteOnlyAccess",
        "AWSXRayDaemonWriteAccess": "AWSXRayDaemonWriteAccess",
        "AWSLambdaSQSQueueExecutionRole": "service-role/AWSLambdaSQSQueueExecutionRole",
        "AWSLambdaDynamoDBExecutionRole": "service-role/AWSLambdaDynamoDBExecutionRole",
        "AWSLambdaVPCAccessExecutionRole": "service-role/AWSLambdaVPCAccessExecutionRole",
        "AWSLambdaRole": "service-role/AWSLambdaRole",
    }.items()
}


# Properties `sam package` / `aws cloudformation package` replace with S3
# locations before CloudFormation sees the template.
PACKAGEABLE = {
    "AWS::Serverless::Function": ["CodeUri"],
    "AWS::Serverless::LayerVersion": ["ContentUri"],
    "AWS::Serverless::Api": ["DefinitionUri"],
    "AWS::Serverless::HttpApi": ["DefinitionUri"],
    "AWS::Serverless::StateMachine": ["DefinitionUri"],
}


def as_packaged(template):
    """Replace local paths with S3 URIs, as packaging does (sam validate does
    the same). A path that is already s3://, a mapping or an intrinsic is kept."""
    for logical_id, res in (template.get("Resources") or {}).items():
        props = res.get("Properties") or {}
        for prop in PACKAGEABLE.get(res.get("Type"), []):
            v = props.get(prop)
            if isinstance(v, str) and not v.startswith("s3://"):
                props[prop] = "s3://packaged-artifacts/%s/%s.zip" % (logical_id, prop)
    fn_globals = (template.get("Globals") or {}).get("Function") or {}
    if isinstance(fn_globals.get("CodeUri"), str) and not fn_globals["CodeUri"].startswith("s3://"):
        fn_globals["CodeUri"] = "s3://packaged-artifacts/globals.zip"
    return template


class OfflinePolicyLoader:
    """Stands in for samtranslator's ManagedPolicyLoader (which lists IAM)."""

    def load(self):
        return dict(MANAGED_POLICIES)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("template")
    ap.add_argument("--output", "-o", default=None, help='where to write the transformed JSON ("-" for stdout)')
    ap.add_argument("--param", action="append", default=[], help="parameter value, Name=Value")
    args = ap.parse_args(argv)

    with open(args.template, encoding="utf-8") as f:
        template = yaml_parse(f.read())

    params = {"AWS::Region": "eu-west-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}
    for p in args.param:
        name, _, value = p.partition("=")
        params[name] = value

    try:
        out = transform(as_packaged(template), params, OfflinePolicyLoader())
    except InvalidDocumentException as e:
        sys.stderr.write("SAM transform of %s failed:\n" % args.template)
        for cause in e.causes:
            sys.stderr.write("  - %s\n" % cause.message)
        return 1
    except Exception as e:  # any other translator error is a failure too
        sys.stderr.write("SAM transform of %s failed: %s: %s\n" % (args.template, type(e).__name__, e))
        return 1

    text = json.dumps(out, indent=1, sort_keys=True, default=str)
    if args.output == "-":
        sys.stdout.write(text + "\n")
    elif args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    resources = out.get("Resources", {})
    sys.stderr.write(
        "SAM transform of %s: OK, %d CloudFormation resources\n" % (args.template, len(resources))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
