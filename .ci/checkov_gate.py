#!/usr/bin/env python3
"""Run checkov offline on a framework's output and fail unless checks ran and none failed.

checkov passes silently when a framework finds nothing to scan (plain `terraform` on .tf.json), so
this gate also requires a positive count of passed checks. Suppressions are never global: they
live in the generated templates, next to the resource, with their reason. CloudFormation's
(`Metadata.checkov.skip`) checkov applies itself. Terraform JSON has no comments and checkov's
terraform_json parser ignores the `"//"` key, so tarmac writes each waiver there in checkov's
own syntax (`checkov:skip=CKV_AWS_18: reason`) and this gate applies exactly those: a failed check
passes only if the failing resource's own `"//"` names that check with a reason.
Usage: checkov_gate.py FRAMEWORK CHECKOV DIR...
"""
import json
import os
import re
import subprocess
import sys

WAIVER = re.compile(r"^checkov:skip=([A-Z0-9_]+): *(\S.*)$")


def terraform_waiver(directory, check):
    """The reason the failing Terraform resource gives for waiving the check, if any."""
    path = os.path.join(directory, check["file_path"].lstrip("/"))
    resources = json.load(open(path)).get("resource", {})
    address = check["resource"]
    tf_type, _, label = address.partition(".")
    candidates = [resources.get(tf_type, {}).get(label)] if tf_type != "resource" else [
        blocks.get(label) for blocks in resources.values()
    ]
    for body in filter(None, candidates):
        for line in body.get("//", []):
            m = WAIVER.match(line)
            if m and m.group(1) == check["check_id"]:
                return m.group(2)
    return None


def main():
    framework, checkov, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    passed = failed = skipped = 0
    for d in dirs:
        run = subprocess.run(
            [checkov, "-d", d, "--framework", framework, "--skip-download", "--output", "json", "--quiet"],
            capture_output=True, text=True,
        )
        if run.returncode not in (0, 1):
            sys.exit(f"checkov failed on {d}: {run.stderr[-2000:]}")
        reports = json.loads(run.stdout or "[]")
        reports = reports if isinstance(reports, list) else [reports]
        for r in reports:
            if "summary" not in r:
                continue
            passed += r["summary"]["passed"]
            failed += r["summary"]["failed"]
            skipped += r["summary"]["skipped"]
            for c in r.get("results", {}).get("failed_checks", []):
                reason = terraform_waiver(d, c) if framework == "terraform_json" else None
                if reason:
                    failed -= 1
                    skipped += 1
                    continue
                print(f"FAILED {c['check_id']} {c['check_name']}: {c['resource']} in {d}{c['file_path']}")
    print(f"checkov {framework}: {passed} passed, {failed} failed, {skipped} skipped (suppressed in the templates, with reasons)")
    if passed == 0:
        sys.exit(f"checkov {framework}: no check ran; the scan proves nothing")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
