#!/usr/bin/env python3
"""Run checkov on output folders the way a reviewer does, and fail unless it is clean.

Each DIR is an OUT/<client>/cloudformation or OUT/<client>/terraform folder. In it, this runs the
README's reviewer command, `checkov -d .`, adding only `--skip-download` (CI is offline) and
`--output json` (to read the result). checkov applies every waiver itself: CloudFormation's
`Metadata.checkov.skip`, and for Terraform JSON, whose `"//"` comments checkov does not read, the
`.checkov.yaml` and `.checkov.baseline` tarmac writes in the terraform folder. This gate fails on
any failed check, on any parsing error, on a skip without a reason (a baseline skip's reason is
the `"//"` of its finding in `.checkov.baseline`), and on a folder where no check ran: checkov
passes silently when it finds nothing to scan.
Usage: checkov_gate.py CHECKOV DIR...
"""
import json
import os
import subprocess
import sys

BASELINE_SKIP = "baseline-skipped"


def baseline_reasons(directory):
    """(resource, check id) -> reason, from the folder's .checkov.baseline, if it has one."""
    path = os.path.join(directory, ".checkov.baseline")
    if not os.path.exists(path):
        return {}
    reasons = {}
    for file in json.load(open(path))["failed_checks"]:
        for finding in file["findings"]:
            for line in finding.get("//", []):
                check, _, reason = line.partition(": ")
                if check in finding["check_ids"] and reason.strip():
                    reasons[(finding["resource"], check)] = reason
    return reasons


def main():
    # checkov runs inside each folder (as the README tells a reviewer to), so a relative path to
    # it would no longer resolve.
    checkov, dirs = os.path.abspath(sys.argv[1]), sys.argv[2:]
    if not dirs:
        sys.exit("usage: checkov_gate.py CHECKOV DIR...")
    bad = 0
    for d in dirs:
        run = subprocess.run(
            [checkov, "-d", ".", "--skip-download", "--output", "json"],
            cwd=d, capture_output=True, text=True,
        )
        if run.returncode not in (0, 1):
            sys.exit(f"checkov failed on {d}: {run.stderr[-2000:]}")
        try:
            reports = json.loads(run.stdout or "[]")
        except json.JSONDecodeError:
            sys.exit(f"checkov printed no report for {d}: {run.stdout[-1000:]}{run.stderr[-2000:]}")
        reports = reports if isinstance(reports, list) else [reports]
        reasons = baseline_reasons(d)
        passed = failed = skipped = parsing = 0
        for r in reports:
            summary = r.get("summary", r)
            passed += summary.get("passed", 0)
            failed += summary.get("failed", 0)
            skipped += summary.get("skipped", 0)
            parsing += summary.get("parsing_errors", 0)
            results = r.get("results", {})
            for c in results.get("failed_checks", []):
                print(f"FAILED {c['check_id']} {c['check_name']}: {c['resource']} in {d}{c['file_path']}")
            for c in results.get("skipped_checks", []):
                reason = c["check_result"].get("suppress_comment", "")
                if reason == BASELINE_SKIP:
                    reason = reasons.get((c["resource"], c["check_id"]), "")
                if not reason.strip() or reason == "No comment provided":
                    bad += 1
                    print(f"SKIPPED WITHOUT A REASON {c['check_id']}: {c['resource']} in {d}{c['file_path']}")
                else:
                    print(f"skipped {c['check_id']} on {c['resource']} ({d}{c['file_path']}): {reason}")
        print(f"checkov {d}: {passed} passed, {failed} failed, {skipped} skipped, {parsing} parsing errors")
        if parsing:
            print(f"checkov {d}: files checkov could not parse were not scanned")
        if passed + skipped == 0:
            print(f"checkov {d}: no check ran; the scan proves nothing")
        bad += failed + parsing + (passed + skipped == 0)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
