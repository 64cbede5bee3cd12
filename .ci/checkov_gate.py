#!/usr/bin/env python3
"""Run checkov offline on a framework's output and fail unless checks ran and none failed.

checkov passes silently when a framework finds nothing to scan (plain `terraform` on .tf.json), so
this gate also requires a positive count of passed checks. Suppressions are never global: they
live in the generated templates, next to the resource, with their reason.
Usage: checkov_gate.py FRAMEWORK CHECKOV DIR...
"""
import json
import subprocess
import sys


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
                print(f"FAILED {c['check_id']} {c['check_name']}: {c['resource']} in {d}{c['file_path']}")
    print(f"checkov {framework}: {passed} passed, {failed} failed, {skipped} skipped (suppressed in the templates, with reasons)")
    if passed == 0:
        sys.exit(f"checkov {framework}: no check ran; the scan proves nothing")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
