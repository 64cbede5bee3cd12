#!/usr/bin/env python3
"""Checks the rollout kits of synthesized clients with real parsers: every Codex config.toml
parses as TOML and names the amazon-bedrock provider, a Mantle model id (no Runtime version
suffix) and a profile that exists in aws/config; aws/config parses as INI (as botocore reads it)
with an sso-session that every profile uses and the keys an SSO profile needs, and no other key
(a `credential_process` or `base_url` that a blueprint value smuggled in is a failure); the
session's start URL has the shape of an AWS access portal's; the kit's shell scripts pass
`bash -n`.

Usage: rollout_check.py OUT_DIR..."""
import configparser
import pathlib
import re
import subprocess
import sys
import tomllib

SESSION_KEYS = {"sso_start_url", "sso_region", "sso_registration_scopes"}
PROFILE_KEYS = {"sso_session", "sso_account_id", "sso_role_name", "region", "output"}
CODEX_KEYS = {"model_provider", "model", "model_providers"}
# The shapes of checks/text.rs: https://<d-xxxxxxxxxx or alias>.awsapps.com/start, or a
# replicated instance's regional portal.
START_URL = re.compile(
    r"https://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.awsapps\.com/start/?(?:#/?)?"
    r"|ssoins-[a-z0-9]{16}\.[a-z0-9-]+\.portal\.amazonaws\.com/?)"
)

failures = []
checked = 0


def fail(path, message):
    failures.append(f"{path}: {message}")


for out in map(pathlib.Path, sys.argv[1:]):
    kit = out / "rollout"
    config_path = kit / "aws" / "config"
    config = configparser.ConfigParser(interpolation=None)
    config.read(config_path)
    sessions = [s for s in config.sections() if s.startswith("sso-session ")]
    profiles = {s.removeprefix("profile "): config[s] for s in config.sections() if s.startswith("profile ")}
    if len(sessions) != 1:
        fail(config_path, f"expected one sso-session, found {sessions}")
    for key in ("sso_start_url", "sso_region", "sso_registration_scopes"):
        if sessions and key not in config[sessions[0]]:
            fail(config_path, f"{sessions[0]} lacks {key}")
    for section in sessions:
        extra = set(config[section]) - SESSION_KEYS
        if extra:
            fail(config_path, f"{section} has unexpected keys {sorted(extra)}")
        if not START_URL.fullmatch(config[section].get("sso_start_url", "")):
            fail(config_path, f"{section}: sso_start_url is not an access portal URL")
    for name, profile in profiles.items():
        checked += 1
        extra = set(profile) - PROFILE_KEYS
        if extra:
            fail(config_path, f"profile {name} has unexpected keys {sorted(extra)}")
        if sessions and profile.get("sso_session") != sessions[0].removeprefix("sso-session "):
            fail(config_path, f"profile {name} does not use the sso-session")
        for key in ("sso_role_name", "region"):
            if key not in profile:
                fail(config_path, f"profile {name} lacks {key}")
        if "sso_account_id" in profile and not (profile["sso_account_id"].isdigit() and len(profile["sso_account_id"]) == 12):
            fail(config_path, f"profile {name} has account id {profile['sso_account_id']!r}")
    for toml_path in sorted(kit.glob("codex/*/config.toml")):
        checked += 1
        with open(toml_path, "rb") as f:
            codex = tomllib.load(f)
        if set(codex) - CODEX_KEYS:
            fail(toml_path, f"unexpected keys {sorted(set(codex) - CODEX_KEYS)}")
        if codex.get("model_provider") != "amazon-bedrock":
            fail(toml_path, "model_provider is not amazon-bedrock")
        model = codex.get("model", "")
        if not model.startswith("openai.") or ":" in model:
            fail(toml_path, f"model {model!r} is not a Mantle id")
        aws = codex.get("model_providers", {}).get("amazon-bedrock", {}).get("aws", {})
        if aws.get("profile") not in profiles:
            fail(toml_path, f"profile {aws.get('profile')!r} is not in aws/config")
        if not aws.get("region"):
            fail(toml_path, "no region")

    for script in sorted(kit.rglob("*.sh")):
        checked += 1
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        if result.returncode != 0:
            fail(script, f"bash -n: {result.stderr.strip()}")

for f in failures:
    print(f, file=sys.stderr)
print(f"rollout kits: {checked} profiles and Codex configurations checked, {len(failures)} failures")
sys.exit(1 if failures or checked == 0 else 0)
