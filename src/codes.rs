//! The catalogue of diagnostic codes, one entry per rule: what it finds, why it matters, an
//! example that triggers it and the file that is its home (the one file that reports it,
//! `tests/it/tidy.rs` holds that). Codes are stable: once released, a code keeps its meaning, so
//! CI configurations and suppressions that name one keep working. `tarmac explain CODE` prints
//! an entry, SARIF's rules carry its `why`, and README.md's table of codes is generated from
//! [`ALL`] (`tests/it/readme.rs`).

use crate::diagnostics::Code;

macro_rules! codes {
    ($($konst:ident = $id:literal, $name:literal {
        home: $home:literal,
        what: $what:literal,
        why: $why:literal,
        example: $example:expr,
    })*) => {
        $(pub const $konst: Code = Code {
            id: $id,
            name: $name,
            home: $home,
            what: $what,
            why: $why,
            example: $example,
        };)*
        /// Every code, in order.
        pub const ALL: &[Code] = &[$($konst),*];
    };
}

codes! {
    YAML_SYNTAX = "TM001", "yaml-syntax" {
        home: "blueprint/load.rs",
        what: "The blueprint is not well-formed YAML or JSON.",
        why: "The blueprint is not well-formed YAML (or JSON). Nothing else can be checked until \
            it parses.",
        example: concat!(
            "accounts: [acme-pilot\n",
            "# fix: close the flow list: accounts: [acme-pilot]",
        ),
    }
    UNKNOWN_FIELD = "TM002", "unknown-field" {
        home: "blueprint/load.rs",
        what: "A key the blueprint format does not have (with a did-you-mean).",
        why: "A key that the blueprint format does not have. Unknown keys are errors, not ignored, \
            because a misspelt key (`sesion_duration`) would otherwise silently fall back to a \
            default.",
        example: concat!(
            "identity_center:\n",
            "  permission_sets:\n",
            "    - name: Dev\n",
            "      sesion_duration: PT8H\n",
            "# fix: session_duration",
        ),
    }
    INVALID_VALUE = "TM003", "invalid-value" {
        home: "blueprint/load.rs",
        what: "A value of the wrong type or outside what the format allows; also a Terraform \
            backend that stores state in the trail's bucket or has no lock, and a CIDR block that \
            is not one.",
        why: "A value of the wrong type or outside what the format allows (a pattern, a range, one \
            of a set of words). The message names what would be valid; `tarmac schema` prints the \
            whole format.",
        example: concat!(
            "accounts:\n",
            "  - name: acme-pilot\n",
            "    environment: prod\n",
            "# fix: one of pilot, sandbox, shared, production",
        ),
    }
    MISSING_FIELD = "TM004", "missing-field" {
        home: "blueprint/load.rs",
        what: "A required key is absent.",
        why: "A required key is absent. The blueprint format marks as required only what has no \
            safe default.",
        example: concat!(
            "accounts:\n",
            "  - name: acme-pilot\n",
            "    ou: Sandbox\n",
            "# fix: add `email: aws-pilot@acme.example`",
        ),
    }
    DUPLICATE_KEY = "TM005", "duplicate-key" {
        home: "blueprint/load.rs",
        what: "A key appears twice in one mapping.",
        why: "A key appears twice in one mapping. YAML parsers keep one of the values without a \
            word, so a blueprint could say two things and mean only one; tarmac refuses it.",
        example: concat!(
            "budgets:\n",
            "  account_monthly_usd: 500\n",
            "  account_monthly_usd: 50\n",
            "# fix: keep one of the two",
        ),
    }
    UNKNOWN_REGION = "TM010", "unknown-region" {
        home: "checks/regions.rs",
        what: "A region that is not a commercial AWS region in the catalog, anywhere the blueprint \
            names one.",
        why: "A region that is not a commercial AWS region in tarmac's catalog (catalog/aws.yaml). \
            A typo here would produce templates that fail at deploy time, or an SCP that locks the \
            pilot out.",
        example: concat!(
            "bedrock:\n",
            "  regions: [us-east-1, us-est-2]\n",
            "# fix: us-east-2",
        ),
    }
    UNKNOWN_MODEL = "TM011", "unknown-model" {
        home: "checks/models.rs",
        what: "A model id that is not in the catalog.",
        why: "A model id that is not in the catalog. Bedrock answers an unknown id with 'model not \
            found' only when the first developer tries it; tarmac refuses it before anything is \
            deployed.",
        example: concat!(
            "bedrock:\n",
            "  runtime_models: [openai.gpt-oss-121b-1:0]\n",
            "# fix: openai.gpt-oss-120b-1:0",
        ),
    }
    MODEL_ID_FAMILY = "TM012", "model-id-family-mismatch" {
        home: "checks/models.rs",
        what: "A Runtime id (`openai.gpt-oss-120b-1:0`) where a Mantle id belongs, or the reverse, \
            including `rollout.codex_model`.",
        why: "A Bedrock Runtime id (`openai.gpt-oss-120b-1:0`, with a version suffix) where a \
            Mantle id (`openai.gpt-oss-120b`) belongs, or the reverse. This is the most common \
            cause of 'model not found' in pilots: the two endpoints name the same model \
            differently, and IAM policies, SCPs and client configuration must each use the family \
            of the endpoint they govern.",
        example: concat!(
            "bedrock:\n",
            "  mantle_models: [openai.gpt-oss-120b-1:0]\n",
            "# fix: openai.gpt-oss-120b",
        ),
    }
    MODEL_NOT_IN_REGION = "TM013", "model-not-in-region" {
        home: "checks/models.rs",
        what: "An approved model served in none (error) or not all (warning) of the approved \
            regions.",
        why: "An approved model is not served in one of the approved regions, so invoking it there \
            fails. Either drop the region, pick a model served there, or accept that the model is \
            used elsewhere only.",
        example: concat!(
            "bedrock:\n",
            "  regions: [us-east-1]\n",
            "  mantle_models: [openai.gpt-5.4]\n",
            "# fix: approve a region that serves it (us-east-2)",
        ),
    }
    ENDPOINT_NOT_IN_REGION = "TM014", "endpoint-not-in-region" {
        home: "checks/network.rs",
        what: "A PrivateLink endpoint service the catalog does not list in the VPC's region.",
        why: "A PrivateLink endpoint service (bedrock, bedrock-runtime or bedrock-mantle) is not \
            offered in the VPC's region; creating the endpoint would fail. bedrock-mantle in \
            particular is missing from several regions.",
        example: concat!(
            "networks:\n",
            "  - account: acme-pilot\n",
            "    region: ca-central-1\n",
            "    endpoints: [bedrock-mantle]\n",
            "# fix: endpoints: [bedrock, bedrock-runtime]",
        ),
    }
    DUPLICATE_NAME = "TM020", "duplicate-name" {
        home: "checks/names.rs",
        what: "Two OUs, accounts, permission sets, projects, emails, ids or assignments that are \
            one, or names that would become one resource name; the reserved account name \
            `management`.",
        why: "Two things of the same kind share a name (OUs, accounts, permission sets, projects) \
            or an account email or id is used twice. Names become logical ids and Terraform \
            addresses, so they must be unique.",
        example: concat!(
            "accounts:\n",
            "  - {name: pilot, email: a-pilot@acme.example, ou: Sandbox}\n",
            "  - {name: pilot, email: b-pilot@acme.example, ou: Sandbox}\n",
            "# fix: rename one",
        ),
    }
    UNKNOWN_REFERENCE = "TM021", "unknown-reference" {
        home: "checks/references.rs",
        what: "A name that refers to an OU, account or permission set the blueprint does not \
            declare.",
        why: "A name that refers to something the blueprint does not declare: an OU parent, an \
            account's OU, an assignment's permission set or account, a network's account.",
        example: concat!(
            "organizational_units: [{name: Sandbox}]\n",
            "accounts:\n",
            "  - {name: acme-pilot, email: aws-pilot@acme.example, ou: Sandbx}\n",
            "# fix: ou: Sandbox",
        ),
    }
    OU_CYCLE = "TM022", "ou-cycle" {
        home: "checks/references.rs",
        what: "Organizational units whose parents form a loop.",
        why: "Organizational units whose parents form a loop. Every OU must descend from the root.",
        example: concat!(
            "organizational_units:\n",
            "  - {name: A, parent: B}\n",
            "  - {name: B, parent: A}\n",
            "# fix: drop one `parent`",
        ),
    }
    PRINCIPAL = "TM023", "assignment-principal" {
        home: "checks/references.rs",
        what: "An assignment with both a `group` and a `user`, or neither.",
        why: "An assignment must name exactly one principal: a `group` (recommended) or a `user`.",
        example: concat!(
            "assignments:\n",
            "  - permission_set: Dev\n",
            "    group: devs\n",
            "    user: jane\n",
            "    accounts: [acme-pilot]\n",
            "# fix: keep `group`",
        ),
    }
    MANTLE_PROJECT_REGION = "TM024", "mantle-project-region" {
        home: "checks/network.rs",
        what: "A Mantle project in a region without the resource type, or outside the approved \
            regions.",
        why: "AWS::BedrockMantle::Project is not available in that region, or the region is not \
            approved for Bedrock. Choose an approved region where the resource type exists.",
        example: concat!(
            "bedrock:\n",
            "  regions: [us-east-1]\n",
            "  mantle_projects:\n",
            "    - {name: codex, account: acme-pilot, region: eu-west-1}\n",
            "# fix: region: us-east-1",
        ),
    }
    PRINCIPAL_COLLISION = "TM025", "principal-collision" {
        home: "checks/principals.rs",
        what: "Two Identity Center group or user names that would become the same resource name.",
        why: "Two different Identity Center group or user names that would become the same \
            resource name: names keep only their letters and digits, without case (`dev team` and \
            `dev-team`, `Admins` and `admins`, `jane.doe` and `jane-doe`). The Terraform data \
            source and CloudFormation parameter that hold the principal's id would be one, so \
            every assignment would go to the first principal: a developers group could receive an \
            administrators' permission set. Rename one of the two in the identity store (and in \
            the blueprint). Names with non-ASCII letters are told apart by a hash of their exact \
            text and never collide this way.",
        example: concat!(
            "assignments:\n",
            "  - {permission_set: Dev, group: dev team, accounts: [acme-pilot]}\n",
            "  - {permission_set: Admin, group: dev-team, accounts: [acme-pilot]}",
        ),
    }
    CONTROL_CHARACTER = "TM026", "control-character" {
        home: "checks/text.rs",
        what: "A name or text holding a control character (a line break, a tab, NUL, a line \
            separator).",
        why: "A name or text that contains a control character: a line break, a carriage return, a \
            tab, NUL or another character of Unicode category Cc (or a line or paragraph \
            separator). These values are written into the rollout kit (shell scripts, the AWS CLI \
            configuration, Codex's TOML, READINESS.md), where a line break would end a comment or \
            a value and start a line of its own: a command in a script, a `credential_process` in \
            a profile. The kit escapes every value anyway; the blueprint is refused so that no \
            name means something different in one file than another.",
        example: concat!(
            "display_name: \"Acme\\nrm -rf ~\"\n",
            "# fix: display_name: Acme",
        ),
    }
    INVALID_START_URL = "TM027", "invalid-start-url" {
        home: "checks/text.rs",
        what: "`identity_center.start_url` is not an AWS access portal URL.",
        why: "`identity_center.start_url` is not an AWS access portal URL. IAM Identity Center's \
            portal is `https://<d-xxxxxxxxxx or alias>.awsapps.com/start`, or, in an additional \
            region of a replicated instance, `https://ssoins-<id>.<region>.portal.amazonaws.com`. \
            The URL becomes `sso_start_url` in every developer's AWS CLI configuration: a wrong \
            one sends their sign-in elsewhere.",
        example: concat!(
            "identity_center:\n",
            "  start_url: https://acme.example/start\n",
            "# fix: https://d-9067a1b2c3.awsapps.com/start",
        ),
    }
    SCP_TOO_LARGE = "TM030", "scp-too-large" {
        home: "resolve/guardrails.rs",
        what: "One service control policy statement is larger than the SCP size limit.",
        why: "A service control policy statement is larger than the SCP size limit (10,240 \
            characters since May 2026, 5,120 before; counted on minified JSON, as Organizations \
            counts). tarmac packs whole statements across documents, but cannot split one \
            statement.",
        example: concat!(
            "bedrock:\n",
            "  runtime_models: [...]  # so many models that one allowlist statement passes\n",
            "                         # 10,240 characters",
        ),
    }
    TOO_MANY_SCPS = "TM031", "too-many-scps-on-target" {
        home: "resolve/guardrails.rs",
        what: "A root, OU or account would carry more SCPs than AWS allows.",
        why: "A root, OU or account would carry more SCPs than AWS allows (10 since May 2026, 5 \
            before). FullAWSAccess and SCPs managed elsewhere (Control Tower) take slots too. \
            tarmac first packs its own guardrails into as few documents as fit.",
        example: concat!(
            "guardrails:\n",
            "  limits: {max_per_target: 5}\n",
            "  external_scps: [{name: ct-1, targets: [Sandbox]}, ...]  # four of them\n",
            "# fix: fewer SCPs on the target, or the raised quota in max_per_target",
        ),
    }
    INVALID_EMAIL = "TM032", "invalid-email" {
        home: "checks/names.rs",
        what: "An account email or alert address that AWS would reject.",
        why: "An account email or alert address that AWS would reject: account root emails must be \
            valid addresses of 6 to 64 characters, unique across the organization.",
        example: concat!(
            "accounts:\n",
            "  - {name: acme-pilot, email: a@b, ou: Sandbox}\n",
            "# fix: aws-pilot@acme.example",
        ),
    }
    OU_TOO_DEEP = "TM033", "ou-too-deep" {
        home: "checks/names.rs",
        what: "An OU more than five levels below the root.",
        why: "AWS Organizations allows OUs at most five levels below the root.",
        example: concat!(
            "organizational_units:\n",
            "  - {name: L1}\n",
            "  - {name: L2, parent: L1}\n",
            "  # ... L6, parent: L5\n",
            "# fix: attach it higher up",
        ),
    }
    INVALID_BUCKET_NAME = "TM034", "invalid-bucket-name" {
        home: "checks/names.rs",
        what: "A bucket name S3 would reject (the audit trail's or the Terraform state's).",
        why: "A bucket name S3 would reject: 3 to 63 lowercase letters, digits, dots and hyphens, \
            starting and ending with a letter or digit, not shaped like an IP address, without \
            reserved prefixes.",
        example: concat!(
            "audit:\n",
            "  bucket_name: acme..trail\n",
            "# fix: acme.trail",
        ),
    }
    STACK_SET_TEMPLATE_TOO_LARGE = "TM035", "stack-set-template-too-large" {
        home: "compile.rs",
        what: "A member account's shared CloudFormation template is larger than a StackSet's \
            inline body.",
        why: "A member account's CloudFormation template (the one its shape shares) is larger than \
            the 51,200 bytes a StackSet takes as an inline TemplateBody (larger ones need an S3 \
            URL, which an offline synthesizer cannot provide). Management stacks are split \
            automatically when they outgrow 500 resources, 200 outputs or parameters, or 1 MB; \
            member stacks are not, because each is one StackSet's body.",
        example: concat!(
            "networks:\n",
            "  - account: acme-pilot  # with so many endpoints, subnets and Mantle projects\n",
            "    ...                  # that the member template passes 51,200 bytes",
        ),
    }
    STACK_SET_QUOTA = "TM036", "stack-set-quota-exceeded" {
        home: "compile.rs",
        what: "The CloudFormation output needs more StackSets than the management account may \
            create.",
        why: "The CloudFormation output needs more StackSets than the management account may \
            create. Member accounts whose networks and Mantle projects in a region have the same \
            layout share one template, deployed by one StackSet per management stack holding such \
            accounts; the quota of stack sets per administrator account is 1,000 by default \
            (Service Quotas code L-EC62D81A, adjustable), shared with every other stack set of \
            that account (Control Tower's, for one). Raise the quota, then set \
            `organization.stack_set_quota` to what is free; or deploy with Terraform, whose member \
            modules use no StackSets.",
        example: concat!(
            "organization:\n",
            "  stack_set_quota: 1  # while the accounts need two StackSets\n",
            "# fix: raise the quota and say what is free, or deploy with Terraform",
        ),
    }
    PREVIEW_NOT_ACKNOWLEDGED = "TM040", "preview-not-acknowledged" {
        home: "checks/preview.rs",
        what: "A preview model (`openai.gpt-5.5`) without `bedrock.preview: acknowledged`.",
        why: "A model the catalog marks as preview (such as `openai.gpt-5.5`) is approved without \
            `bedrock.preview: acknowledged`. Preview models are not covered by the same terms, can \
            change behaviour or disappear without notice, and are often served in fewer regions; a \
            pilot may use one, but only as a recorded decision. READINESS.md lists the \
            acknowledgement among the decisions.",
        example: concat!(
            "bedrock:\n",
            "  mantle_models: [openai.gpt-5.5]\n",
            "# fix: preview: acknowledged",
        ),
    }
    PRODUCTION_ACCOUNT = "TM041", "production-account" {
        home: "checks/production.rs",
        what: "An account with `environment: production` (error); an account or OU named like \
            production (warning).",
        why: "The pilot targets a production account (`environment: production`, an error), or an \
            account or OU whose name says production (a warning). A pilot's guardrails, budgets \
            and access are sized for experiments; its SCPs would also attach to production \
            workloads. Use a dedicated pilot or sandbox account in a sandbox OU.",
        example: concat!(
            "accounts:\n",
            "  - {name: acme-pilot, email: aws-pilot@acme.example, ou: Sandbox,\n",
            "     environment: production}\n",
            "# fix: environment: pilot, in a dedicated pilot account",
        ),
    }
    MISSING_BUDGET = "TM042", "missing-budget" {
        home: "checks/budgets.rs",
        what: "No `budgets` section, or an account budget of zero.",
        why: "The blueprint has no `budgets` section, or an account's budget is zero. Runaway \
            inference spend is the most common surprise of a Bedrock pilot; every pilot account \
            needs an account budget and a Bedrock budget with alerts.",
        example: concat!(
            "accounts:\n",
            "  - {name: acme-pilot, email: aws-pilot@acme.example, ou: Sandbox,\n",
            "     bedrock_budget_usd: 0}\n",
            "# fix: a budget of at least 1 USD",
        ),
    }
    BUDGET_THRESHOLDS = "TM043", "non-standard-budget-thresholds" {
        home: "checks/budgets.rs",
        what: "Budget thresholds other than 50/80/100 % actual and 100 % forecasted.",
        why: "Budget alert thresholds other than the pilot standard: 50 %, 80 % and 100 % of \
            actual spend and 100 % of forecasted spend. Fewer thresholds alert too late; the \
            forecast alert is the only one that fires before the money is spent. Extra thresholds \
            are allowed but reported, so the decision is visible.",
        example: concat!(
            "budgets:\n",
            "  thresholds: [{percent: 100, kind: actual}]\n",
            "# fix: leave `thresholds` out (the standard)",
        ),
    }
    ALERTS_TO_PERSON = "TM044", "alerts-to-person" {
        home: "checks/budgets.rs",
        what: "Every alert address looks like one person's mailbox, not a list.",
        why: "Every budget and anomaly alert address looks like one person's mailbox \
            (`jane.doe@example.com`) rather than a distribution list or shared mailbox. Alerts \
            sent to one person are missed during holidays and lost when they leave. tarmac treats \
            an address as a list when its local part contains a word such as finops, billing, \
            alerts, team, ops, aws or cloud.",
        example: concat!(
            "budgets:\n",
            "  alert_emails: [jane.doe@acme.example]\n",
            "# fix: aws-billing@acme.example",
        ),
    }
    LONG_LIVED_CREDENTIALS = "TM045", "long-lived-credentials" {
        home: "checks/iam.rs",
        what: "An `iam_users`/`access_keys` section, or a statement allowing `iam:CreateUser`, \
            `iam:CreateAccessKey`, `iam:CreateLoginProfile`, `iam:CreateServiceSpecificCredential` \
            (wildcards included).",
        why: "IAM users, access keys, console passwords or service-specific credentials (long-term \
            Bedrock API keys) instead of IAM Identity Center. Long-lived keys leak into shells, \
            dotfiles and CI logs; the pilot's developers sign in with `aws sso login` and Codex \
            uses those short-lived credentials. tarmac has no IAM-user section on purpose and \
            refuses permission sets that can create such credentials.",
        example: concat!(
            "permission_sets:\n",
            "  - name: Dev\n",
            "    inline_statements:\n",
            "      - {sid: Keys, actions: [\"iam:CreateAccessKey\"], resources: [\"*\"]}\n",
            "# fix: drop the statement; developers use `aws sso login`",
        ),
    }
    RESIDENCY = "TM046", "data-residency" {
        home: "checks/residency.rs",
        what: "With `data_residency: canada`: ca-central-1 not approved, a region outside Canada, \
            a model served only outside Canada (error); Identity Center outside Canada (warning).",
        why: "A client with a data-residency requirement (`data_residency: canada`) uses a region \
            outside it, or approves a model that is not served in it (requests would resolve to US \
            regions). For Canada, ca-central-1 must be approved and every Bedrock region, \
            endpoint, account region and the audit bucket's home region must be Canadian.",
        example: concat!(
            "data_residency: canada\n",
            "bedrock:\n",
            "  regions: [ca-central-1, us-east-1]\n",
            "# fix: regions: [ca-central-1, ca-west-1]",
        ),
    }
    INVOKE_TOO_WIDE = "TM047", "invoke-wider-than-allowlist" {
        home: "checks/iam.rs",
        what: "An inline invoke grant on `*`, a wildcard, an unapproved model or region, or Mantle \
            inference without the model condition; `AmazonBedrockFullAccess`-style managed \
            policies (errors); the model-allowlist SCP turned off (warning).",
        why: "A permission set may invoke models beyond the approved allowlist: an inline \
            statement that grants an invoke action on `*`, on a wildcard, on a model or region \
            that is not approved, or on Mantle without the model condition; or an AWS managed \
            policy that allows invoking every model. Use `bedrock_access`, which generates the \
            least-privilege statements from the allowlist. Turning off the model-allowlist SCP is \
            reported too, because then nothing backs the allowlist.",
        example: concat!(
            "permission_sets:\n",
            "  - name: Dev\n",
            "    inline_statements:\n",
            "      - {sid: Invoke, actions: [\"bedrock:InvokeModel\"], resources: [\"*\"]}\n",
            "# fix: bedrock_access: runtime",
        ),
    }
    AUDIT_TRAIL = "TM048", "audit-trail" {
        home: "checks/audit.rs",
        what: "CloudTrail off or not organization-wide (errors); the trail-protection SCP off \
            (warning).",
        why: "CloudTrail is off (`audit.enabled: false`) or records only the management account \
            (`audit.organization_trail: false`), which is an error: a pilot of a new AI service \
            needs a record of who invoked what in every account. Turning off the SCP that protects \
            the trail is a warning.",
        example: concat!(
            "audit:\n",
            "  organization_trail: false\n",
            "# fix: leave it out (true)",
        ),
    }
    SCP_LOCKOUT = "TM049", "scp-locks-out-region" {
        home: "checks/lockout.rs",
        what: "`guardrails.allowed_regions` missing an approved region or a region where the pilot \
            deploys.",
        why: "The region-allowlist SCP (`guardrails.allowed_regions`) would deny a region the \
            pilot itself uses: an approved Bedrock region, an account's primary region (where its \
            StackSet instance deploys), a VPC endpoint's region or a Mantle project's region. The \
            deployment or the developers would be locked out by the pilot's own guardrail.",
        example: concat!(
            "bedrock:\n",
            "  regions: [us-east-1, us-west-2]\n",
            "guardrails:\n",
            "  allowed_regions: [us-east-1]\n",
            "# fix: allowed_regions: [us-east-1, us-west-2]",
        ),
    }
    CODEX_MODEL = "TM050", "codex-model" {
        home: "checks/codex.rs",
        what: "`rollout.codex_model` not an approved Mantle model (error); by default, no approved \
            model that OpenAI lists for Codex on Bedrock (warning).",
        why: "The model the rollout kit configures for Codex CLI (`rollout.codex_model`) is not an \
            approved Mantle model (an error), or, when the blueprint leaves the choice to tarmac, \
            no approved model is one OpenAI lists as supported by Codex on Bedrock (a warning; \
            naming the model in `rollout.codex_model` records the decision). Codex's \
            `amazon-bedrock` provider speaks to Mantle, so it needs a Mantle id \
            (`openai.gpt-5.4`), never a Runtime id (TM012).",
        example: concat!(
            "bedrock:\n",
            "  mantle_models: [openai.gpt-oss-120b]\n",
            "rollout:\n",
            "  codex_model: openai.gpt-5.4\n",
            "# fix: approve openai.gpt-5.4 in mantle_models",
        ),
    }
    PRIVILEGED_ROLE = "TM051", "privileged-role" {
        home: "checks/guardrails.rs",
        what: "`guardrails.privileged_role` not one IAM role name: a wildcard, a path, or a \
            character IAM does not allow.",
        why: "`guardrails.privileged_role` is not one IAM role name (letters, digits and \
            `+=,.@_-`, 1 to 64 characters, no path). The region and audit-trail SCPs exempt the \
            role of that name in every member account, and a further SCP keeps everyone but that \
            role from creating, re-trusting or changing it. A wildcard (`*`, `Admin*`) would \
            exempt every matching role, roles a member-account administrator can create and assume \
            included, and so switch both guardrails off for them.",
        example: concat!(
            "guardrails:\n",
            "  privileged_role: Admin*\n",
            "# fix: BreakGlass",
        ),
    }
    UNKNOWN_INFERENCE_PROFILE = "TM052", "unknown-inference-profile" {
        home: "checks/guardrails.rs",
        what: "`bedrock.inference_profiles` naming a profile the catalog does not list, or one \
            whose model is not an approved Runtime model.",
        why: "`bedrock.inference_profiles` names a cross-Region inference profile that is not in \
            the catalog, or one whose model is not an approved Runtime model. Cross-Region \
            inference is denied unless opted into: an approved profile's ARNs join the model \
            allowlist and the Runtime permission sets, and its destination Regions may serve it \
            although the region allowlist denies them everything else. tarmac allows only profiles \
            whose destination Regions the catalog records, so READINESS.md can say where requests \
            may go.",
        example: concat!(
            "bedrock:\n",
            "  inference_profiles: [us.openai.gpt-oss-121b-1:0]\n",
            "# fix: a profile of an approved Runtime model",
        ),
    }
    UNKNOWN_MANAGED_POLICY = "TM053", "unknown-managed-policy" {
        home: "checks/iam.rs",
        what: "An AWS managed policy ARN under the wrong path (error, with the ARN meant); one the \
            catalog does not list (warning).",
        why: "A permission set's `managed_policies` names an AWS managed policy \
            (`arn:aws:iam::aws:policy/...`) that is not among those the catalog lists. IAM \
            Identity Center refuses a policy that does not exist only when the permission set is \
            deployed, after the templates were reviewed and approved. A listed policy's name under \
            another path (`policy/ViewOnlyAccess` for `policy/job-function/ViewOnlyAccess`: \
            job-function policies have a path) is an error naming the ARN meant, as AWS names its \
            managed policies uniquely. Any other unlisted ARN is a warning, with a near spelling \
            when there is one: the catalog lists the policies tarmac's users name, not all of \
            AWS's; once the ARN is checked against the AWS Managed Policy Reference Guide, add it \
            to `aws_managed_policies` in catalog/aws.yaml.",
        example: concat!(
            "permission_sets:\n",
            "  - name: Viewer\n",
            "    managed_policies: [arn:aws:iam::aws:policy/ViewOnlyAccess]\n",
            "# fix: arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        ),
    }
    TOO_MANY_TAGS = "TM054", "tag-quota" {
        home: "checks/quotas.rs",
        what: "More than 50 tags, a key over 128 or a value over 256 characters, or an `aws:` key.",
        why: "`tags` breaks an AWS tag quota: more than 50 tags (the most one resource may carry; \
            tarmac puts every blueprint tag on every resource that takes tags, and CloudFormation \
            propagates stack tags to the resources of the stack), a key longer than 128 characters \
            or a value longer than 256, or a key starting with `aws:`, which AWS reserves. The \
            deploy would fail at the first tagged resource.",
        example: concat!(
            "tags:\n",
            "  aws:owner: platform-team\n",
            "# fix: owner: platform-team",
        ),
    }
    DISPLAY_NAME_TOO_LONG = "TM055", "display-name-too-long" {
        home: "checks/quotas.rs",
        what: "A `display_name` over 256 bytes.",
        why: "`display_name` is longer than 256 bytes (UTF-8). It opens every template \
            description, and CloudFormation refuses a template whose `Description` passes 1,024 \
            bytes; bounding the name leaves room for the rest of the longest description tarmac \
            writes (the stack, account and region).",
        example: concat!(
            "display_name: Acme Robotics, a name of 300 characters ...\n",
            "# fix: Acme Robotics",
        ),
    }
    ANOMALY_MONITOR_QUOTA = "TM056", "anomaly-monitor-quota" {
        home: "checks/quotas.rs",
        what: "Anomaly detection on for more than 5,000 accounts (monitors of 10 accounts, 500 \
            monitors).",
        why: "Cost Anomaly Detection is on for more pilot accounts than its monitors can cover: a \
            linked-account monitor tracks at most 10 accounts and an account may create at most \
            500 custom monitors (AWS Cost Anomaly Detection FAQ), so at most 5,000 accounts. \
            tarmac splits the accounts over monitors of ten; past 5,000, turn `anomaly_detection` \
            off (the payer's AWS managed services monitor still watches the organization's spend \
            as a whole).",
        example: concat!(
            "accounts: [...]  # 5,001 accounts, with the default\n",
            "anomaly_detection: {enabled: true}\n",
            "# fix: anomaly_detection: {enabled: false}",
        ),
    }
    BUDGET_NAME_TOO_LONG = "TM057", "budget-name-too-long" {
        home: "checks/quotas.rs",
        what: "A budget name over AWS Budgets' 100 characters.",
        why: "A budget name would pass the 100 characters AWS Budgets accepts. tarmac names each \
            budget `<client>-bedrock-monthly-<thresholds>` (the thresholds in the name make a \
            change of notifications a clean replacement), so a long client slug with many or \
            fractional thresholds (`a33.333333333333336`) does not fit. Use fewer thresholds, \
            whole percentages or a shorter `client`.",
        example: concat!(
            "client: a-client-slug-long-enough-to-fill-most-of-the-name\n",
            "budgets:\n",
            "  thresholds: [{percent: 33.333333333333336, kind: actual}, ...]\n",
            "# fix: whole percentages, fewer thresholds or a shorter client",
        ),
    }
    EXTENDS_INVALID = "TM058", "extends-invalid" {
        home: "blueprint/compose.rs",
        what: "`extends` that is not a relative path, or a chain of more than eight bases.",
        why: "`extends` names a blueprint's base by its path relative to the file that says it. A \
            value that is not such a path (not text, absolute, with `\\`), or a chain of more than \
            eight bases, is refused: an absolute path would tie the blueprint, and the manifest \
            that records its bases, to one machine.",
        example: concat!(
            "extends: /home/me/standards/base.yaml\n",
            "# fix: extends: standards/base.yaml",
        ),
    }
    EXTENDS_UNREADABLE = "TM059", "extends-unreadable" {
        home: "blueprint/compose.rs",
        what: "The base a blueprint `extends` cannot be read.",
        why: "The base a blueprint `extends` cannot be read (it does not exist, is not a file, is \
            not UTF-8 text). The path is relative to the folder of the file that says `extends`, \
            not to the folder tarmac runs in. Nothing is synthesized from a blueprint whose base \
            is missing: its guardrails and budgets would silently be absent.",
        example: concat!(
            "extends: standards/bsae.yaml\n",
            "# fix: extends: standards/base.yaml",
        ),
    }
    EXTENDS_CYCLE = "TM060", "extends-cycle" {
        home: "blueprint/compose.rs",
        what: "A chain of `extends` that comes back to a file already in it.",
        why: "A chain of `extends` comes back to a file already in it, so no file is the farthest \
            base to merge the others onto. Remove the `extends` that closes the circle.",
        example: concat!(
            "# a.yaml\n",
            "extends: b.yaml\n",
            "# b.yaml\n",
            "extends: a.yaml",
        ),
    }
    EXTENDS_TYPE_CLASH = "TM061", "extends-type-clash" {
        home: "blueprint/load.rs",
        what: "A file gives a field another kind of value than its base does.",
        why: "A file gives a field another kind of value than its base does: a list where the base \
            has a mapping, a scalar where it has a list. A nearer file replaces a base's scalars \
            and lists and merges its mappings key by key; it never changes what kind of value a \
            field is, so this is a mistake in one of the two files (the message names both).",
        example: concat!(
            "# base.yaml\n",
            "tags: {owner: platform-team}\n",
            "# client.yaml (extends: base.yaml)\n",
            "tags: [owner]",
        ),
    }
    PLACEHOLDER = "TM062", "placeholder" {
        home: "blueprint/scaffold.rs",
        what: "A value is still the placeholder `tarmac init` wrote.",
        why: "A value is still the placeholder `tarmac init` wrote (`<fill in: ...>`): an id, an \
            email or a URL that only the client can give. tarmac never invents an id, so the \
            blueprint cannot be synthesized until each placeholder is replaced by the real value \
            the message names.",
        example: concat!(
            "organization:\n",
            "  id: \"<fill in: the organization id, o-...>\"\n",
            "# fix: id: o-acme12345x",
        ),
    }
    ACCOUNT_PLACEMENT = "TM063", "existing-account-placement" {
        home: "checks/placement.rs",
        what: "An existing account in an OU tarmac creates without `current_parent`; a \
            `current_parent` on a new account or outside this organization.",
        why: "An existing account (`id`) whose `ou` is an OU tarmac creates must say where it is \
            now (`current_parent`: the root `r-…` or an OU `ou-…`, as `aws organizations \
            list-parents` prints it), and tarmac moves it into the OU: Terraform imports it into \
            the management module, CloudFormation into the management stack (an import change set, \
            READINESS.md), and the next apply or deployment is the move. Why: the SCPs attach to \
            the OU and each StackSet instance targets the intersection of the OU and the account, \
            so an account left where it is gets no region lock, no model allowlist, no budgets and \
            no endpoints, and the deployment still succeeds. A new account takes no \
            `current_parent` (it is created in its OU), and a current parent must be this \
            organization's root or one of its OUs (`ou-<root>-…`).",
        example: concat!(
            "accounts:\n",
            "  - {name: legacy, id: \"222222222222\", email: aws-legacy@acme.example,\n",
            "     ou: Sandbox}\n",
            "# fix: current_parent: r-ac01",
        ),
    }
    CONTROL_WITHOUT_ACCOUNT = "TM064", "control-targets-no-account" {
        home: "checks/placement.rs",
        what: "`guardrails.targets` naming an OU that holds no pilot account, directly or below \
            it.",
        why: "`guardrails.targets` names an OU that holds no account of the blueprint, directly or \
            in an OU below it, so the SCPs attached there would apply to no pilot account (or only \
            to accounts outside the pilot) while READINESS.md reports them as enforced. Why: a \
            control that applies to no account is an error, not output. Target the OUs of the \
            pilot's accounts, or leave `guardrails.targets` out so the SCPs attach to exactly \
            those.",
        example: concat!(
            "organizational_units: [{name: Sandbox}, {name: Empty}]\n",
            "guardrails:\n",
            "  targets: [Empty]\n",
            "# fix: targets: [Sandbox]",
        ),
    }
    IDENTITY_CENTER_QUOTA = "TM065", "identity-center-quota" {
        home: "checks/identity.rs",
        what: "More than 20 managed policies or an inline policy over 10,240 bytes on a permission \
            set (error); more than 10 managed policies, 2,000 permission sets, or 250 sets in one \
            account (warning).",
        why: "The blueprint reaches an IAM Identity Center quota (AWS IAM Identity Center quotas, \
            https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html). Errors for the \
            quotas AWS does not raise: more than 20 managed policies on a permission set, or an \
            inline policy (the Bedrock access tarmac grants plus `inline_statements`) over 10,240 \
            bytes without whitespace; Identity Center refuses the permission set. Warnings for the \
            defaults that can be raised: more than 2,000 permission sets in the instance, more \
            than 250 permission sets assigned to one account, and more than 10 managed policies on \
            a permission set (IAM's default for the role it provisions in each account). Raise \
            those quotas before deploying, or the permission set fails to provision into the \
            accounts.",
        example: concat!(
            "permission_sets:\n",
            "  - name: Dev\n",
            "    managed_policies: [...]  # eleven AWS managed policy ARNs",
        ),
    }
    NETWORK_OF_NEW_ACCOUNT = "TM066", "network-of-new-account" {
        home: "checks/network.rs",
        what: "A `vpc_id` in an account tarmac creates.",
        why: "A network names a `vpc_id` (and subnets) in an account that tarmac creates (no \
            `id:`). Those cannot exist before the account does: the member stack would fail with \
            `InvalidVpcID.NotFound` inside the StackSet, after the management stack created the \
            account. Let tarmac create the VPC instead (drop `vpc_id` and `subnet_ids`, give \
            `subnets`; see TM061), or deploy in two phases: deploy the landing zone without the \
            network, create the VPC and its subnets in the new account, then add the network with \
            `account_deployed: true`, which states that the VPC was created in the deployed \
            account.",
        example: concat!(
            "accounts: [{name: acme-pilot, email: aws-pilot@acme.example, ou: Sandbox}]\n",
            "networks:\n",
            "  - {account: acme-pilot, region: us-east-1, vpc_id: vpc-0abc,\n",
            "     subnet_ids: [subnet-0a]}\n",
            "# fix: vpc_cidr and subnets, or account_deployed: true in a second phase",
        ),
    }
    CROSS_BORDER_INFERENCE = "TM067", "cross-border-inference" {
        home: "checks/residency.rs",
        what: "`bedrock.cross_border_inference` without `data_residency`, or naming a region \
            inside the residency.",
        why: "`bedrock.cross_border_inference` is where a client with `data_residency` approves \
            invoking models outside the residency, because no approved model is served inside it \
            (no OpenAI model is served in a Canadian Region). It is refused without \
            `data_residency` (there is no border to cross), and a Region of it that is inside the \
            residency belongs in `bedrock.regions`. With it, only model invocation leaves: the \
            region SCP allows these Regions for the Bedrock inference and discovery actions alone, \
            and the trail, logs, budgets, Identity Center, networks and stacks stay in the \
            residency. READINESS.md states who approved it and when.",
        example: concat!(
            "bedrock:\n",
            "  cross_border_inference:\n",
            "    {regions: [us-east-1], approved_by: cio@acme.example, approved_on: 2026-05-01}\n",
            "# fix: drop it, or set data_residency",
        ),
    }
    RESIDENCY_WITHOUT_MODELS = "TM068", "residency-without-models" {
        home: "checks/residency.rs",
        what: "A residency blueprint that approves no model.",
        why: "A blueprint with `data_residency` approves no model at all (`bedrock.runtime_models` \
            and `bedrock.mantle_models` are empty): its developers could invoke nothing, yet the \
            landing zone would deploy and report the pilot ready. Approve a model served inside \
            the residency, or, with the client's approval recorded in \
            `bedrock.cross_border_inference`, one served in the Regions it names.",
        example: concat!(
            "data_residency: canada\n",
            "bedrock:\n",
            "  regions: [ca-central-1]\n",
            "  runtime_models: []\n",
            "  mantle_models: []",
        ),
    }
    NETWORK_LAYOUT = "TM069", "network-layout" {
        home: "checks/network.rs",
        what: "`vpc_id`/`subnet_ids`/`subnets` mixed, a subnet outside the VPC, overlapping \
            subnets, two subnets in one zone, a zone of another region.",
        why: "A network either names an existing VPC (`vpc_id` with its `subnet_ids`) or has \
            tarmac create one in the member stack (no `vpc_id`; `vpc_cidr` and `subnets`, each \
            `{cidr, availability_zone_id}`). A subnet tarmac creates must lie inside the VPC's \
            block and overlap no other subnet (EC2 refuses both), and each must be in its own \
            Availability Zone of the network's Region, given by AZ ID (`use1-az1`), which names \
            the same zone in every account, where a zone name (`us-east-1a`) does not: an \
            interface endpoint takes one subnet per zone.",
        example: concat!(
            "networks:\n",
            "  - account: acme-pilot\n",
            "    vpc_cidr: 10.20.0.0/16\n",
            "    subnets:\n",
            "      - {cidr: 10.30.0.0/24, availability_zone_id: use1-az1}\n",
            "# fix: cidr: 10.20.0.0/24",
        ),
    }
}

/// Looks a code up by its id (`TM012`) or name (`model-id-family-mismatch`), ignoring case.
pub fn find(query: &str) -> Option<Code> {
    ALL.iter()
        .copied()
        .find(|c| c.id.eq_ignore_ascii_case(query) || c.name.eq_ignore_ascii_case(query))
}

/// README.md's table of codes: one row per code, with what it finds and its home.
pub fn markdown_table() -> String {
    let mut out = String::from("| Code | Name | What | Home |\n|---|---|---|---|\n");
    for c in ALL {
        out.push_str(&format!(
            "| {} | {} | {} | `src/{}` |\n",
            c.id,
            c.name,
            c.what.replace('|', "\\|"),
            c.home
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut ids: Vec<_> = ALL.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
        for code in ALL {
            assert!(
                code.id.starts_with("TM") && code.id.len() == 5,
                "{}",
                code.id
            );
            assert!(
                code.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                code.name
            );
            // `what` is one sentence (README.md's table has one line per code).
            assert!(
                code.what.ends_with('.') && !code.what.contains(". ") && !code.what.contains('\n'),
                "{}: {}",
                code.id,
                code.what
            );
            assert!(
                !code.why.is_empty() && !code.example.is_empty(),
                "{}",
                code.id
            );
        }
    }

    #[test]
    fn find_by_id_or_name() {
        assert_eq!(find("tm012"), Some(MODEL_ID_FAMILY));
        assert_eq!(find("unknown-model"), Some(UNKNOWN_MODEL));
        assert_eq!(find("TM999"), None);
    }
}
