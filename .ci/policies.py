#!/usr/bin/env python3
"""Extract every IAM, SCP, key, bucket, topic and endpoint policy from tarmac's CloudFormation
output, as AWS will evaluate it, for parliament.

parliament needs literal ARNs, so CloudFormation intrinsics are resolved to representative values
of the right shape: pseudo parameters to the account the stack deploys into, `Fn::GetAtt` to an ARN
or id of the referenced resource's type, `Fn::Sub` by substitution. Every document is written as
OUT/<template>/<LogicalId>-<Property>.json. Usage: policies.py OUT TEMPLATE...
"""
import json
import os
import re
import sys

ACCOUNT = "123456789012"
POLICY_PROPERTIES = ("PolicyDocument", "KeyPolicy", "Content", "InlinePolicy")
ARN_SHAPES = {
    "AWS::KMS::Key": "arn:aws:kms:{region}:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "AWS::SNS::Topic": "arn:aws:sns:{region}:{account}:{name}",
    "AWS::CloudTrail::Trail": "arn:aws:cloudtrail:{region}:{account}:trail/{name}",
    "AWS::SSO::PermissionSet": "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef",
    "AWS::CE::AnomalyMonitor": "arn:aws:ce::{account}:anomalymonitor/12345678-1234-1234-1234-123456789012",
    "AWS::BedrockMantle::Project": "arn:aws:bedrock-mantle:{region}:{account}:project/proj_example",
}


def resolve(value, template, region):
    """Resolve intrinsics in a policy document to literal values."""
    resources = template.get("Resources", {})

    def ref(name, attr=None):
        if name == "AWS::AccountId":
            return ACCOUNT
        if name == "AWS::Region":
            return region
        if name == "AWS::Partition":
            return "aws"
        resource = resources.get(name)
        if resource is None:  # a parameter
            return "a1b2c3d4e5-12345678-1234-1234-1234-123456789012" if "Id" in name else "example"
        rtype = resource["Type"]
        props = resource.get("Properties", {})
        if rtype == "AWS::Organizations::Account":
            return "210987654321"
        if rtype == "AWS::S3::Bucket" and attr in (None, "BucketName"):
            return props["BucketName"]
        if attr == "Arn" or attr and attr.endswith("Arn"):
            name_value = props.get("TopicName") or props.get("TrailName") or props.get("Name") or name
            return ARN_SHAPES[rtype].format(region=region, account=ACCOUNT, name=name_value)
        return name.lower()

    def walk(v):
        if isinstance(v, dict):
            if set(v) == {"Ref"}:
                return ref(v["Ref"])
            if set(v) == {"Fn::GetAtt"}:
                return ref(*v["Fn::GetAtt"])
            if set(v) == {"Fn::Sub"}:
                def sub(m):
                    inner = m.group(1)
                    if inner.startswith("!"):
                        return "${" + inner[1:] + "}"
                    name, _, attr = inner.partition(".")
                    return ref(name, attr or None)
                return re.sub(r"\$\{([^}]*)\}", sub, v["Fn::Sub"])
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(value)


def main():
    out, templates = sys.argv[1], sys.argv[2:]
    count = 0
    for path in templates:
        template = json.load(open(path))
        region = "us-east-1"
        stem = os.path.basename(path).replace(".template.json", "")
        client = os.path.basename(os.path.dirname(os.path.dirname(path)))
        folder = os.path.join(out, f"{client}-{stem}")
        os.makedirs(folder, exist_ok=True)
        for logical, resource in template.get("Resources", {}).items():
            for prop in POLICY_PROPERTIES:
                doc = resource.get("Properties", {}).get(prop)
                if isinstance(doc, dict) and "Statement" in doc:
                    with open(os.path.join(folder, f"{logical}-{prop}.json"), "w") as f:
                        json.dump(resolve(doc, template, region), f, indent=2)
                    count += 1
    print(f"policies.py: {count} policy documents from {len(templates)} templates")
    if count == 0:
        sys.exit("policies.py: no policy documents found")


if __name__ == "__main__":
    main()
