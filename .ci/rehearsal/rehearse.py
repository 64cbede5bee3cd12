#!/usr/bin/env python3
"""Deploy rehearsal: applies every synthesized blueprint's Terraform against a local AWS emulator.

For each OUT/<client>/ (from `tarmac synth`) whose blueprint is given:
  1. starts the emulator (emulator.py: moto on 127.0.0.1, a fresh one per blueprint);
  2. seeds what the blueprint says already exists: the organization (and its prerequisites), existing
     OUs and accounts, Identity Center groups and users looked up by name, the VPCs and subnets of
     networks, the S3 state bucket of `terraform.backend.s3`;
  3. copies OUT/<client>/terraform/ and, in the copy only, rewrites the ids that the emulator cannot
     take as chosen (root, organization, OU, existing account, VPC and subnet ids) to the seeded ones,
     and adds `rehearsal_override.tf.json` pointing every provider at the emulator;
  4. applies the root modules in `deploy_order` from manifest.json, feeding each root the inputs the
     manifest names (outputs of earlier roots) as a tfvars file;
  5. plans every root again and requires "No changes" (`terraform plan -detailed-exitcode` exit 0).
Nothing of tarmac's output is changed in place, and only inputs (ids) are rewritten in the copy.

Usage: rehearse.py WORK OUT BLUEPRINT...
Env:   TF_CLI_CONFIG_FILE (set by ./run: the provider mirror), REHEARSAL_PYTHON (the venv's python)
Exit:  0 when every root applied and re-planned clean; 1 otherwise.
"""
import collections
import concurrent.futures
import ipaddress
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import yaml
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))

# Endpoint keys of the hashicorp/aws provider for the resource and data-source types the output
# uses, by type prefix (longest first wins). A type with no entry stops the rehearsal: an endpoint
# not pointed at the emulator would send the provider to AWS.
SERVICES = {
    "aws_budgets_": "budgets",
    "aws_caller_identity": "sts",
    "aws_ce_": "ce",
    "aws_cloudformation_": "cloudformation",
    "aws_cloudtrail": "cloudtrail",
    "aws_cloudwatch_event_": "events",
    "aws_cloudwatch_log_": "logs",
    "aws_cloudwatch_metric_alarm": "cloudwatch",
    "aws_iam_": "iam",
    "aws_identitystore_": "identitystore",
    "aws_kms_": "kms",
    "aws_organizations_": "organizations",
    "aws_region": "sts",
    "aws_partition": "sts",
    "aws_s3_": "s3",
    "aws_security_group": "ec2",
    "aws_sns_": "sns",
    "aws_sqs_": "sqs",
    "aws_ssoadmin_": "ssoadmin",
    "aws_subnet": "ec2",
    "aws_vpc": "ec2",
}
ALWAYS = ("sts", "iam")  # assume_role and the provider's own identity calls

# Seconds one terraform command may take: resources the emulator never reports as done would
# otherwise be waited for until the provider's own timeouts (up to an hour).
TF_TIMEOUT = 300
# The resource types that stubs.py serves (part of) and what it answers, for the summary;
# README.md gives the reasons.
STUBBED = {
    "aws_ce_anomaly_monitor": "all its Cost Explorer calls (moto has none)",
    "aws_ce_anomaly_subscription": "all its Cost Explorer calls (moto has none)",
    "aws_budgets_budget": "DescribeSubscribersForNotification and its tags (moto has neither)",
    "aws_ssoadmin_permission_set": "its tags (moto has no tag calls)",
    "aws_ssoadmin_managed_policy_attachment": "DescribePermissionSetProvisioningStatus (moto has none)",
    "aws_ssoadmin_permission_set_inline_policy": "DescribePermissionSetProvisioningStatus (moto has none)",
    "aws_s3_bucket_notification": "the read of EventBridgeConfiguration (moto leaves it out)",
    "aws_s3_bucket_logging": "the check of the target bucket's policy (moto's fails on list forms)",
}
FAKE_SECRET = "rehearsal-secret-key"
OU_ID = re.compile(r"^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$")


def log(msg):
    print(msg, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    """One emulator process for one blueprint, with boto3 clients that can act as any account."""

    def __init__(self, logfile):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [os.environ.get("REHEARSAL_PYTHON", sys.executable), os.path.join(HERE, "emulator.py"), str(self.port)],
            stdout=logfile, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=2).read()
                return
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    self.stop()
                    raise Failure(f"the emulator did not start (see {logfile.name})")
                time.sleep(0.3)

    def client(self, service, region, account):
        """A client acting as `account`: moto reads the account from this header (seeding only)."""
        c = boto3.client(service, region_name=region, endpoint_url=self.url,
                         aws_access_key_id="seed", aws_secret_access_key=FAKE_SECRET,
                         config=Config(retries={"max_attempts": 2}))
        c.meta.events.register("before-sign.*.*",
                               lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
        return c

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def load_json_tree(root):
    return {f: json.load(open(os.path.join(root, f))) for f in sorted(os.listdir(root)) if f.endswith(".tf.json")}


def rewrite_ids(value, ids):
    """Every string in `value` with each blueprint id replaced by the emulator's (exact tokens)."""
    if isinstance(value, str):
        for old, new in ids.items():
            if old in value:
                value = re.sub(rf"(?<![0-9A-Za-z-]){re.escape(old)}(?![0-9A-Za-z-])", new, value)
        return value
    if isinstance(value, list):
        return [rewrite_ids(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: rewrite_ids(v, ids) for k, v in value.items()}
    return value


def module_dirs(root):
    """The root and every local module it calls (recursively), as paths."""
    dirs, todo = [], [root]
    while todo:
        d = todo.pop()
        if d in dirs:
            continue
        dirs.append(d)
        for doc in load_json_tree(d).values():
            for call in (doc.get("module") or {}).values():
                todo.append(os.path.normpath(os.path.join(d, call["source"])))
    return dirs


def types_used(dirs):
    types = set()
    for d in dirs:
        for doc in load_json_tree(d).values():
            for kind in ("resource", "data"):
                types.update((doc.get(kind) or {}).keys())
            for imp in doc.get("import") or []:
                types.add(imp["to"].split(".")[-2])
    return types


def endpoint_keys(types):
    keys = set(ALWAYS)
    for t in types:
        hits = [p for p in SERVICES if t.startswith(p)]
        if not hits:
            raise Failure(f"no emulator endpoint for type {t}: add its service to SERVICES in rehearse.py")
        keys.add(SERVICES[max(hits, key=len)])
    return sorted(keys)


# Terraform processes one blueprint runs at once (each provider process takes a few hundred MB).
ROOT_JOBS = int(os.environ.get("REHEARSAL_ROOT_JOBS", "4"))


def together(fn, items):
    """fn over items on threads; every failure is reported, not only the first."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(len(items), ROOT_JOBS))) as pool:
        futures = [pool.submit(fn, item) for item in items]
    errors = [f.exception() for f in futures if f.exception()]
    for e in errors:
        if not isinstance(e, Failure):
            raise e
    if errors:
        raise Failure("\n".join(str(e) for e in errors))
    return [f.result() for f in futures]


class Rehearsal:
    def __init__(self, work, outdir, blueprint):
        self.bp = blueprint
        self.out = outdir
        self.work = work
        self.manifest = json.load(open(os.path.join(outdir, "manifest.json")))
        self.ids = {}            # blueprint id -> emulator id, applied to the copy
        self.rewrites = []       # (what, blueprint id, emulator id) for the summary
        self.outputs = {}        # unit name -> terraform output -json
        self.summary = []
        self.mgmt = str(blueprint["organization"]["management_account_id"])
        # The home region is where the management root's provider is (the blueprint may leave it out).
        self.home = next(u["region"] for u in self.manifest["units"]
                         if u["target"] == "terraform" and u["account"] == "management")

    # -- seeding ---------------------------------------------------------------------------------
    def map_id(self, what, old, new):
        self.ids[old] = new
        self.rewrites.append((what, old, new))

    def seed(self, emu):
        org_bp = self.bp["organization"]
        iam = emu.client("iam", "us-east-1", self.mgmt)
        iam.create_user(UserName="rehearsal")
        key = iam.create_access_key(UserName="rehearsal")["AccessKey"]
        # An access key of an IAM user of the management account: moto takes the caller's account
        # from it, so the management account keeps its id and nothing naming it is rewritten.
        self.creds = (key["AccessKeyId"], key["SecretAccessKey"])
        org = emu.client("organizations", "us-east-1", self.mgmt)
        created = org.create_organization(FeatureSet="ALL")["Organization"]
        root = org.list_roots()["Roots"][0]["Id"]
        if org_bp.get("id"):
            self.map_id("organization id", org_bp["id"], created["Id"])
        if org_bp.get("root_id"):
            self.map_id("root id", org_bp["root_id"], root)
        # Organization prerequisites (READINESS.md's manual steps): SCPs enabled on the root,
        # trusted access for the services that act across the organization.
        org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
        for principal in ("cloudtrail.amazonaws.com", "sso.amazonaws.com",
                          "member.org.stacksets.cloudformation.amazonaws.com"):
            org.enable_aws_service_access(ServicePrincipal=principal)
        # Identity Center: moto has one instance per account and region, with its own ARN and
        # identity store id; the blueprint's are inputs and map to those.
        idc_bp = self.bp.get("identity_center") or {}
        if idc_bp.get("instance_arn"):
            sso = emu.client("sso-admin", idc_bp.get("region") or self.home, self.mgmt)
            instance = sso.list_instances()["Instances"][0]
            self.map_id("Identity Center instance", idc_bp["instance_arn"], instance["InstanceArn"])
            if idc_bp.get("identity_store_id"):
                self.map_id("identity store", idc_bp["identity_store_id"], instance["IdentityStoreId"])
        for ou in self.bp.get("organizational_units") or []:
            if ou.get("id"):
                made = org.create_organizational_unit(ParentId=ou.get("parent_id") and self.ids.get(ou["parent_id"], root) or root,
                                                      Name=ou["name"])["OrganizationalUnit"]["Id"]
                self.map_id(f"OU {ou['name']}", ou["id"], made)
        for acct in self.bp.get("accounts") or []:
            if not acct.get("id") or str(acct["id"]) == self.mgmt:
                continue
            email = acct.get("email") or f"{acct['name']}@rehearsal.invalid"
            status = org.create_account(Email=email, AccountName=acct["name"])["CreateAccountStatus"]
            made = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
            self.map_id(f"account {acct['name']}", str(acct["id"]), made)
            # An existing account sits where the blueprint says it sits now (any OU id it names).
            parents = [self.ids[v] for v in acct.values() if isinstance(v, str) and OU_ID.match(v) and v in self.ids]
            if parents:
                org.move_account(AccountId=made, SourceParentId=root, DestinationParentId=parents[0])
        backend = (self.bp.get("terraform") or {}).get("backend", {}).get("s3")
        if backend:
            s3 = emu.client("s3", backend["region"], self.mgmt)
            kwargs = {} if backend["region"] == "us-east-1" else {
                "CreateBucketConfiguration": {"LocationConstraint": backend["region"]}}
            s3.create_bucket(Bucket=backend["bucket"], **kwargs)
            s3.put_bucket_versioning(Bucket=backend["bucket"], VersioningConfiguration={"Status": "Enabled"})

    def seed_identity(self, emu, root):
        """Groups and users that the root's (and its modules') data sources look up by name, in
        their identity store and their provider's region (Identity Center's where a module's
        provider is passed in)."""
        idc_region = (self.bp.get("identity_center") or {}).get("region") or self.home
        root_regions = {}
        for doc in load_json_tree(root).values():
            root_regions.update(provider_regions(doc))
        docs = [doc for d in module_dirs(root) for doc in load_json_tree(d).values()]
        for doc in docs:
            regions = {**root_regions, **provider_regions(doc)}
            for kind, attr in (("aws_identitystore_group", "DisplayName"), ("aws_identitystore_user", "UserName")):
                for ds in ((doc.get("data") or {}).get(kind) or {}).values():
                    uniq = ds["alternate_identifier"]["unique_attribute"]
                    region = regions.get(ds.get("provider", "aws")) or idc_region
                    idc = emu.client("identitystore", region, self.mgmt)
                    store = self.ids.get(ds["identity_store_id"], ds["identity_store_id"])
                    if kind == "aws_identitystore_group":
                        if not idc.list_groups(IdentityStoreId=store, Filters=[
                                {"AttributePath": attr, "AttributeValue": uniq["attribute_value"]}])["Groups"]:
                            idc.create_group(IdentityStoreId=store, DisplayName=uniq["attribute_value"])
                    elif not idc.list_users(IdentityStoreId=store, Filters=[
                            {"AttributePath": attr, "AttributeValue": uniq["attribute_value"]}])["Users"]:
                        idc.create_user(IdentityStoreId=store, UserName=uniq["attribute_value"],
                                        DisplayName=uniq["attribute_value"],
                                        Name={"GivenName": "Rehearsal", "FamilyName": uniq["attribute_value"]})

    def seed_networks(self, emu, unit, account_id):
        """The VPCs and subnets the blueprint names for this unit's account and region: they exist
        before the landing zone (tarmac only adds endpoints to them)."""
        for net in self.bp.get("networks") or []:
            if net.get("account") != unit["account"] or net.get("region") != unit["region"]:
                continue
            if not net.get("vpc_id") or net["vpc_id"] in self.ids:
                continue
            ec2 = emu.client("ec2", net["region"], account_id)
            vpc = ec2.create_vpc(CidrBlock=net["vpc_cidr"])["Vpc"]["VpcId"]
            for attr in ("EnableDnsSupport", "EnableDnsHostnames"):
                ec2.modify_vpc_attribute(VpcId=vpc, **{attr: {"Value": True}})
            self.map_id(f"VPC of {net['account']} in {net['region']}", net["vpc_id"], vpc)
            cidr = ipaddress.ip_network(net["vpc_cidr"], strict=False)
            blocks = cidr.subnets(new_prefix=min(cidr.prefixlen + 4, 28))
            for i, subnet in enumerate(net.get("subnet_ids") or []):
                made = ec2.create_subnet(VpcId=vpc, CidrBlock=str(next(blocks)),
                                         AvailabilityZone=net["region"] + "abc"[i % 3])["Subnet"]["SubnetId"]
                self.map_id(f"subnet of {net['account']} in {net['region']}", subnet, made)

    # -- terraform -------------------------------------------------------------------------------
    def tf(self, root, args, logname, ok=(0,), retry=False):
        path = os.path.join(self.work, "logs", f"{os.path.basename(root)}.{logname}.log")
        for attempt in range(2 if retry else 1):
            with open(path, "w") as f:
                try:
                    rc = subprocess.call(["terraform", *args], cwd=root, stdout=f, stderr=subprocess.STDOUT,
                                         env=self.env, timeout=TF_TIMEOUT)
                except subprocess.TimeoutExpired:
                    rc = f"timeout ({TF_TIMEOUT} s)"
            # One retry for init, as tf-validate does: concurrent inits share the plugin cache.
            if rc in ok:
                break
        if rc not in ok:
            lines = open(path).read().splitlines()
            errors = [i for i, line in enumerate(lines) if "Error" in line]
            shown = lines[errors[0]:errors[0] + 40] if errors else lines[-40:]
            raise Failure(f"terraform {args[0]} in {os.path.basename(root)} exited {rc} ({path}):\n  "
                          + "\n  ".join(shown))
        return rc, path

    def override(self, root, types):
        keys = endpoint_keys(types)
        providers = []
        for doc in load_json_tree(root).values():
            for cfg in (doc.get("provider") or {}).get("aws") or []:
                p = {
                    "access_key": self.creds[0],
                    "secret_key": self.creds[1],
                    "skip_credentials_validation": True,
                    # The account id is requested (from the emulator's STS), not skipped: the provider
                    # builds budget ids and ARNs from it, and an empty one fails where AWS would not.
                    "skip_requesting_account_id": False,
                    "skip_metadata_api_check": True,
                    "s3_use_path_style": True,
                    # An emulator answers at once or never: fail in seconds, not after minutes of retries.
                    "max_retries": 2,
                    "endpoints": [{k: self.emu.url for k in keys}],
                }
                if cfg.get("alias"):
                    p["alias"] = cfg["alias"]
                providers.append(p)
        with open(os.path.join(root, "rehearsal_override.tf.json"), "w") as f:
            json.dump({"//": "Written by .ci/rehearsal: the providers talk to the local emulator.",
                       "provider": {"aws": providers}}, f, indent=2)

    def backend_config(self, root):
        for doc in load_json_tree(root).values():
            if "s3" in ((doc.get("terraform") or {}).get("backend") or {}):
                path = os.path.join(root, "rehearsal.s3.tfbackend")
                with open(path, "w") as f:
                    f.write(f'access_key = "{self.creds[0]}"\nsecret_key = "{self.creds[1]}"\n'
                            f'endpoints = {{ s3 = "{self.emu.url}", sts = "{self.emu.url}" }}\n'
                            "skip_credentials_validation = true\nskip_requesting_account_id = true\n"
                            "skip_metadata_api_check = true\nskip_region_validation = true\nuse_path_style = true\n")
                return ["-backend-config=rehearsal.s3.tfbackend"]
        return []

    def run(self, emu):
        self.emu = emu
        self.env = dict(os.environ, TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1",
                        # Belt and braces: whatever is not pointed at the emulator goes nowhere.
                        HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
                        NO_PROXY="127.0.0.1,localhost", AWS_EC2_METADATA_DISABLED="true",
                        AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        for k in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            self.env.pop(k, None)
        tree = os.path.join(self.work, "terraform")
        shutil.copytree(os.path.join(self.out, "terraform"), tree)
        os.makedirs(os.path.join(self.work, "logs"))
        self.seed(emu)
        units = [u for u in self.manifest["units"] if u["target"] == "terraform"]
        applied = []
        # Units of one deploy_order are independent (the manifest says so): they are applied side
        # by side, which also tests that claim. Seeding and rewriting stay sequential.
        for order in sorted({u["deploy_order"] for u in units}):
            group = [self.prepare(u) for u in units if u["deploy_order"] == order]
            for step in group:
                for d in module_dirs(step["root"]):
                    for name, doc in load_json_tree(d).items():
                        with open(os.path.join(d, name), "w") as f:
                            json.dump(rewrite_ids(doc, self.ids), f, indent=2)
            rows = together(self.apply, group)
            self.summary.extend(rows)
            applied.extend(group)
        together(self.replan, list(zip(applied, self.summary)))

    def prepare(self, unit):
        """The unit's inputs from earlier units' outputs, and what the emulator must hold first."""
        root = os.path.join(self.work, os.path.dirname(unit["files"][0]))
        tfvars = {}
        for inp in unit.get("inputs") or []:
            src = inp["source"]
            if src.startswith("output:"):
                other, name = src[len("output:"):].split(".", 1)
                if other not in self.outputs:
                    raise Failure(f"{unit['name']} (deploy_order {unit['deploy_order']}) reads {src}, "
                                  f"but {other} is not applied before it")
                tfvars[inp["name"]] = self.outputs[other][name]["value"]
        account_id = tfvars.get("account_id") or self.variable_default(root, "account_id") or self.mgmt
        account_id = self.ids.get(account_id, account_id)
        self.seed_networks(self.emu, unit, account_id)
        self.seed_identity(self.emu, root)
        self.override(root, types_used(module_dirs(root)))
        with open(os.path.join(root, "rehearsal.tfvars.json"), "w") as f:
            json.dump(tfvars, f, indent=2)
        return {"unit": unit, "root": root, "account": account_id}

    def apply(self, step):
        unit, root, t0 = step["unit"], step["root"], time.time()
        self.tf(root, ["init", "-no-color", "-input=false", *self.backend_config(root)], "init", retry=True)
        self.tf(root, ["apply", "-auto-approve", "-no-color", "-input=false", "-var-file=rehearsal.tfvars.json"],
                "apply")
        _, path = self.tf(root, ["output", "-json"], "output")
        self.outputs[unit["name"]] = json.loads(open(path).read())
        _, path = self.tf(root, ["state", "list"], "state")
        created = [a for a in open(path).read().split() if not re.match(r"^(module\.[^.]+\.)*data\.", a)]
        stubbed = collections.Counter(a.split(".")[-2] for a in created if a.split(".")[-2] in STUBBED)
        return {"root": unit["name"], "order": unit["deploy_order"], "account": step["account"],
                "region": unit["region"], "created": len(created), "stubbed": stubbed,
                "seconds": round(time.time() - t0, 1)}

    def replan(self, pair):
        step, row = pair
        rc, path = self.tf(step["root"], ["plan", "-detailed-exitcode", "-no-color", "-input=false",
                                          "-var-file=rehearsal.tfvars.json"], "replan", ok=(0, 2))
        if rc == 2:
            row["replan"] = "CHANGES"
            changes = [line for line in open(path).read().splitlines()
                       if re.match(r"^\s*(#|[~+-]|-/\+) ", line) or "Plan:" in line]
            raise Failure(f"re-plan of {step['unit']['name']} is not clean ({path}):\n  " + "\n  ".join(changes[:60]))
        row["replan"] = "No changes"

    def variable_default(self, root, name):
        for doc in load_json_tree(root).values():
            var = (doc.get("variable") or {}).get(name)
            if var and "default" in var:
                return str(var["default"])
        return None


class Failure(Exception):
    pass


def load_blueprint(path):
    """The blueprint as seeding reads it: a file it `extends` (a path, or a list of them, relative
    to it) is merged under it, mappings key by key, anything else replaced."""
    bp = yaml.safe_load(open(path))
    parents = bp.pop("extends", None) or []
    merged = {}
    for parent in [parents] if isinstance(parents, str) else parents:
        merged = merge(merged, load_blueprint(os.path.join(os.path.dirname(path), parent)))
    return merge(merged, bp)


def merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        return {**base, **{k: merge(base.get(k), v) for k, v in over.items()}}
    return over


def rehearse(work, outdir, blueprint):
    """One blueprint, with its own emulator: (ok, the lines of its summary)."""
    client = blueprint["client"]
    if not os.path.exists(os.path.join(outdir, "manifest.json")):
        return False, [f"FAIL {client}: no {outdir}/manifest.json (synthesize the blueprint first)"]
    r = Rehearsal(work, outdir, blueprint)
    os.makedirs(r.work)
    lines, ok, t0 = [], True, time.time()
    with open(os.path.join(r.work, "emulator.log"), "w") as elog:
        emu = None
        try:
            emu = Emulator(elog)
            r.run(emu)
        except Failure as e:
            ok = False
            lines.append(f"FAIL {client}: {e}")
        except Exception as e:  # a seeding call the emulator refused, a malformed output: still a summary
            ok = False
            lines.append(f"FAIL {client}: {type(e).__name__}: {e}")
        finally:
            if emu:
                emu.stop()
    lines.append(f"{client}: {len(r.summary)} root module(s) applied in {time.time() - t0:.0f} s"
                 + ("" if ok else " (then failed)"))
    for row in r.summary:
        lines.append(f"  {row['order']}  {row['root']:<36} account {row['account']} {row['region']:<14} "
                     f"{row['created']:>3} resources  {row.get('replan', 'not re-planned'):<14} {row['seconds']} s")
    stubbed = sum((row["stubbed"] for row in r.summary), collections.Counter())
    lines.extend(f"  stubbed: {n} x {kind}: {STUBBED[kind]}" for kind, n in sorted(stubbed.items()))
    lines.extend(f"  input rewritten in the copy: {what}: {old} -> {new}" for what, old, new in r.rewrites)
    return ok, lines


def main(work, out, blueprint_files):
    blueprints = [load_blueprint(path) for path in blueprint_files]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    total = time.time()
    # Blueprints are independent (one emulator each) and their time is mostly the provider's
    # waiting for consistency, not CPU: rehearsing them side by side divides the step's time.
    jobs = int(os.environ.get("REHEARSAL_JOBS", "3"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda bp: rehearse(os.path.join(work, bp["client"]),
                                                    os.path.join(out, bp["client"]), bp), blueprints))
    for _, lines in results:
        log("\n".join([""] + lines))
    failed = sum(not ok for ok, _ in results)
    log(f"\nrehearsal: {len(results) - failed} of {len(results)} blueprint(s) applied and re-planned clean "
        f"in {time.time() - total:.0f} s (logs: {work}/<client>/logs)")
    return 1 if failed else 0


def provider_regions(doc):
    regions = {}
    for cfg in (doc.get("provider") or {}).get("aws") or []:
        regions["aws." + cfg["alias"] if cfg.get("alias") else "aws"] = cfg.get("region")
    return regions


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
