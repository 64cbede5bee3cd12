#!/usr/bin/env python3
"""Run parliament on every policy document under DIR and fail on any finding, except three
reasoned exceptions, each matched precisely (README.md, "Scanner exceptions", lists them):

1. RESOURCE_MISMATCH on foundation-model ARNs (`arn:aws:bedrock:<region>::foundation-model/<id>`):
   parliament's matcher fails on the colon of Runtime model ids (`openai.gpt-oss-120b-1:0`), and
   for InvokeModel it rejects even its own required format `arn:*:bedrock:*::foundation-model/*`.
   Excepted only when every resource of the statements holding those actions is a foundation-model
   ARN, and only after proving per finding that parliament accepts the same ARNs with the colon
   replaced, or rejects its own format too.
2. UNKNOWN_PREFIX for `bedrock-mantle`: parliament's action database predates Bedrock Mantle
   (the prefix is documented in the AWS Service Authorization Reference).
3. RESOURCE_STAR in KMS key policies: in a key policy, "Resource": "*" means the key itself; it
   is the only form AWS accepts there.
4. UNKNOWN_ACTION for `bedrock:CallWithBearerToken` (and only that action): parliament's action
   database predates Bedrock API keys (July 2025); the action and its condition key
   `bedrock:bearerTokenType` are documented in the Service Authorization Reference and in the
   Bedrock user guide (api-keys-permissions.html), whose sample SCP tarmac's follows.

Usage: parliament_check.py DIR
"""
import json
import os
import re
import sys

from parliament import analyze_policy_string

FOUNDATION_MODEL = "arn:aws:bedrock:*::foundation-model/*"
NEWER_THAN_PARLIAMENT = {"bedrock:CallWithBearerToken"}


def findings(text, path):
    return analyze_policy_string(text, filepath=path).findings


def mismatch(actions, resources):
    probe = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": sorted(actions), "Resource": resources}]}
    return any(f.issue == "RESOURCE_MISMATCH" for f in findings(json.dumps(probe), "probe"))


def parliament_false_positive(doc, actions):
    """True when parliament's own limits, not the policy, explain the mismatch."""
    resources = [r for s in doc["Statement"] for r in as_list(s.get("Resource", [])) if set(as_list(s.get("Action", []))) & actions]
    without_colons = [re.sub(r":(\d+)$", r"-\1", r) for r in resources]
    return not mismatch(actions, without_colons) or mismatch(actions, [FOUNDATION_MODEL])


def as_list(v):
    return [v] if isinstance(v, str) else v


def only_foundation_models(doc, actions):
    for s in doc["Statement"]:
        listed = s.get("Action", [])
        listed = [listed] if isinstance(listed, str) else listed
        if set(listed) & actions:
            resources = s.get("Resource", [])
            resources = [resources] if isinstance(resources, str) else resources
            if not all(":foundation-model/" in r for r in resources):
                return False
    return True


def main():
    root = sys.argv[1]
    docs, failed, excepted = 0, 0, {"foundation-model ARN": 0, "bedrock-mantle prefix": 0, "key policy *": 0, "Bedrock API-key action": 0}
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            path = os.path.join(folder, name)
            text = open(path).read()
            docs += 1
            for f in findings(text, path):
                if f.issue == "UNKNOWN_PREFIX" and "bedrock-mantle" in str(f.detail):
                    excepted["bedrock-mantle prefix"] += 1
                    continue
                if f.issue == "UNKNOWN_ACTION" and str(f.detail).removeprefix("Unknown action ") in NEWER_THAN_PARLIAMENT:
                    excepted["Bedrock API-key action"] += 1
                    continue
                if f.issue == "RESOURCE_STAR" and name.endswith("-KeyPolicy.json"):
                    excepted["key policy *"] += 1
                    continue
                if f.issue == "RESOURCE_MISMATCH":
                    actions = {d["action"] for d in f.detail}
                    doc = json.loads(text)
                    bedrock = all(a.startswith("bedrock:") for a in actions)
                    if bedrock and only_foundation_models(doc, actions) and parliament_false_positive(doc, actions):
                        excepted["foundation-model ARN"] += 1
                        continue
                failed += 1
                print(f"{f.severity} {f.issue} {path}:{f.location.get('line')}: {f.detail}")
    print(f"parliament: {docs} documents, {failed} findings, reasoned exceptions: {json.dumps(excepted)}")
    if docs == 0:
        sys.exit("parliament: no documents checked")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
