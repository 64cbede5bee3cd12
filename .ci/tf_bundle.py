#!/usr/bin/env python3
"""Gathers every root module for tf-validate, each member root bundled with the module it calls.

tf-validate validates each directory on its own, in a copy: a root module calling
`../modules/<shape>` would not find it there. For every root module under OUT/*/terraform/ that
calls a local module, this writes DEST/<client>--<root>/ holding the root's files, with the call's
source changed from `../modules/<shape>` to `./modules/<shape>`, and the shared module copied to
that place. Nothing else changes, so `terraform validate` checks the call (argument names and
types against the module's variables, the outputs it reads) and the module as tarmac wrote them.

Root modules without module calls (the management ones) are copied as they are; directories
without .tf.json files (`terraform/modules/` itself) are skipped.

Usage: tf_bundle.py DEST OUT/*/terraform/*
"""
import json
import os
import shutil
import sys


def main(dest, roots):
    os.makedirs(dest, exist_ok=True)
    bundled = roots_seen = 0
    for root in roots:
        files = [f for f in sorted(os.listdir(root)) if f.endswith(".tf.json")]
        docs = {f: json.load(open(os.path.join(root, f))) for f in files}
        if not files:
            continue
        calls = [(f, name, call) for f, doc in docs.items()
                 for name, call in (doc.get("module") or {}).items()]
        client = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(root))))
        target = os.path.join(dest, f"{client}--{os.path.basename(root)}")
        os.makedirs(target)
        for f, name, call in calls:
            source = call["source"]
            if not source.startswith("../"):
                sys.exit(f"{root}/{f}: module {name}: unexpected source {source!r}")
            local = "./" + source[len("../"):]
            shutil.copytree(os.path.normpath(os.path.join(root, source)),
                            os.path.join(target, local))
            call["source"] = local
        for f, doc in docs.items():
            with open(os.path.join(target, f), "w") as out:
                json.dump(doc, out, indent=2)
        bundled += bool(calls)
        roots_seen += 1
    print(f"tf_bundle: {roots_seen} root module(s), {bundled} bundled with the modules they call")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2:])
