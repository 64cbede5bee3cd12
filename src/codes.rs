//! The catalogue of diagnostic codes. Codes are stable: once released, a code keeps its meaning,
//! so CI configurations and suppressions that name one keep working. `tarmac explain CODE` prints
//! the rationale kept here.

use crate::diagnostics::Code;

macro_rules! codes {
    ($($konst:ident = $id:literal, $name:literal, $explain:literal;)*) => {
        $(pub const $konst: Code = Code { id: $id, name: $name, explain: $explain };)*
        /// Every code, in order.
        pub const ALL: &[Code] = &[$($konst),*];
    };
}

codes! {
    YAML_SYNTAX = "TM001", "yaml-syntax",
        "The blueprint is not well-formed YAML (or JSON). Nothing else can be checked until it \
            parses.";
    UNKNOWN_FIELD = "TM002", "unknown-field",
        "A key that the blueprint format does not have. Unknown keys are errors, not ignored, \
            because a misspelt key (`sesion_duration`) would otherwise silently fall back to a \
            default.";
    INVALID_VALUE = "TM003", "invalid-value",
        "A value of the wrong type or outside what the format allows (a pattern, a range, one of \
            a set of words). The message names what would be valid; `tarmac schema` prints the \
            whole format.";
    MISSING_FIELD = "TM004", "missing-field",
        "A required key is absent. The blueprint format marks as required only what has no safe \
            default.";
    DUPLICATE_KEY = "TM005", "duplicate-key",
        "A key appears twice in one mapping. YAML parsers keep one of the values without a word, \
            so a blueprint could say two things and mean only one; tarmac refuses it.";
    UNKNOWN_REGION = "TM010", "unknown-region",
        "A region that is not a commercial AWS region in tarmac's catalog (catalog/aws.yaml). A \
            typo here would produce templates that fail at deploy time, or an SCP that locks the \
            pilot out.";
    UNKNOWN_MODEL = "TM011", "unknown-model",
        "A model id that is not in the catalog. Bedrock answers an unknown id with 'model not \
            found' only when the first developer tries it; tarmac refuses it before anything is \
            deployed.";
    MODEL_ID_FAMILY = "TM012", "model-id-family-mismatch",
        "A Bedrock Runtime id (`openai.gpt-oss-120b-1:0`, with a version suffix) where a Mantle \
            id (`openai.gpt-oss-120b`) belongs, or the reverse. This is the most common cause of \
            'model not found' in pilots: the two endpoints name the same model differently, and \
            IAM policies, SCPs and client configuration must each use the family of the endpoint \
            they govern.";
    MODEL_NOT_IN_REGION = "TM013", "model-not-in-region",
        "An approved model is not served in one of the approved regions, so invoking it there \
            fails. Either drop the region, pick a model served there, or accept that the model is \
            used elsewhere only.";
    ENDPOINT_NOT_IN_REGION = "TM014", "endpoint-not-in-region",
        "A PrivateLink endpoint service (bedrock, bedrock-runtime or bedrock-mantle) is not \
            offered in the VPC's region; creating the endpoint would fail. bedrock-mantle in \
            particular is missing from several regions.";
    DUPLICATE_NAME = "TM020", "duplicate-name",
        "Two things of the same kind share a name (OUs, accounts, permission sets, projects) or \
            an account email or id is used twice. Names become logical ids and Terraform \
            addresses, so they must be unique.";
    UNKNOWN_REFERENCE = "TM021", "unknown-reference",
        "A name that refers to something the blueprint does not declare: an OU parent, an \
            account's OU, an assignment's permission set or account, a network's account.";
    OU_CYCLE = "TM022", "ou-cycle",
        "Organizational units whose parents form a loop. Every OU must descend from the root.";
    PRINCIPAL = "TM023", "assignment-principal",
        "An assignment must name exactly one principal: a `group` (recommended) or a `user`.";
    MANTLE_PROJECT_REGION = "TM024", "mantle-project-region",
        "AWS::BedrockMantle::Project is not available in that region, or the region is not \
            approved for Bedrock. Choose an approved region where the resource type exists.";
    PRINCIPAL_COLLISION = "TM025", "principal-collision",
        "Two different Identity Center group or user names that would become the same resource \
            name: names keep only their letters and digits, without case (`dev team` and \
            `dev-team`, `Admins` and `admins`, `jane.doe` and `jane-doe`). The Terraform data \
            source and CloudFormation parameter that hold the principal's id would be one, so \
            every assignment would go to the first principal: a developers group could receive an \
            administrators' permission set. Rename one of the two in the identity store (and in \
            the blueprint). Names with non-ASCII letters are told apart by a hash of their exact \
            text and never collide this way.";
    CONTROL_CHARACTER = "TM026", "control-character",
        "A name or text that contains a control character: a line break, a carriage return, a \
            tab, NUL or another character of Unicode category Cc (or a line or paragraph \
            separator). These values are written into the rollout kit (shell scripts, the AWS CLI \
            configuration, Codex's TOML, READINESS.md), where a line break would end a comment or \
            a value and start a line of its own: a command in a script, a `credential_process` in \
            a profile. The kit escapes every value anyway; the blueprint is refused so that no \
            name means something different in one file than another.";
    INVALID_START_URL = "TM027", "invalid-start-url",
        "`identity_center.start_url` is not an AWS access portal URL. IAM Identity Center's \
            portal is `https://<d-xxxxxxxxxx or alias>.awsapps.com/start`, or, in an additional \
            region of a replicated instance, `https://ssoins-<id>.<region>.portal.amazonaws.com`. \
            The URL becomes `sso_start_url` in every developer's AWS CLI configuration: a wrong \
            one sends their sign-in elsewhere.";
    SCP_TOO_LARGE = "TM030", "scp-too-large",
        "A service control policy statement is larger than the SCP size limit (10,240 characters \
            since May 2026, 5,120 before; counted on minified JSON, as Organizations counts). \
            tarmac packs whole statements across documents, but cannot split one statement.";
    TOO_MANY_SCPS = "TM031", "too-many-scps-on-target",
        "A root, OU or account would carry more SCPs than AWS allows (10 since May 2026, 5 \
            before). FullAWSAccess and SCPs managed elsewhere (Control Tower) take slots too. \
            tarmac first packs its own guardrails into as few documents as fit.";
    INVALID_EMAIL = "TM032", "invalid-email",
        "An account email or alert address that AWS would reject: account root emails must be \
            valid addresses of 6 to 64 characters, unique across the organization.";
    OU_TOO_DEEP = "TM033", "ou-too-deep",
        "AWS Organizations allows OUs at most five levels below the root.";
    INVALID_BUCKET_NAME = "TM034", "invalid-bucket-name",
        "A bucket name S3 would reject: 3 to 63 lowercase letters, digits, dots and hyphens, \
            starting and ending with a letter or digit, not shaped like an IP address, without \
            reserved prefixes.";
    STACK_SET_TEMPLATE_TOO_LARGE = "TM035", "stack-set-template-too-large",
        "A member account's CloudFormation template (the one its shape shares) is larger than the \
            51,200 bytes a StackSet takes as an inline TemplateBody (larger ones need an S3 URL, \
            which an offline synthesizer cannot provide). Management stacks are split \
            automatically when they outgrow 500 resources, 200 outputs or parameters, or 1 MB; \
            member stacks are not, because each is one StackSet's body.";
    STACK_SET_QUOTA = "TM036", "stack-set-quota-exceeded",
        "The CloudFormation output needs more StackSets than the management account may create. \
            Member accounts whose networks and Mantle projects in a region have the same layout \
            share one template, deployed by one StackSet per management stack holding such \
            accounts; the quota of stack sets per administrator account is 1,000 by default \
            (Service Quotas code L-EC62D81A, adjustable), shared with every other stack set of \
            that account (Control Tower's, for one). Raise the quota, then set \
            `organization.stack_set_quota` to what is free; or deploy with Terraform, whose \
            member modules use no StackSets.";
    PREVIEW_NOT_ACKNOWLEDGED = "TM040", "preview-not-acknowledged",
        "A model the catalog marks as preview (such as `openai.gpt-5.5`) is approved without \
            `bedrock.preview: acknowledged`. Preview models are not covered by the same terms, \
            can change behaviour or disappear without notice, and are often served in fewer \
            regions; a pilot may use one, but only as a recorded decision. READINESS.md lists the \
            acknowledgement among the decisions.";
    PRODUCTION_ACCOUNT = "TM041", "production-account",
        "The pilot targets a production account (`environment: production`, an error), or an \
            account or OU whose name says production (a warning). A pilot's guardrails, budgets \
            and access are sized for experiments; its SCPs would also attach to production \
            workloads. Use a dedicated pilot or sandbox account in a sandbox OU.";
    MISSING_BUDGET = "TM042", "missing-budget",
        "The blueprint has no `budgets` section, or an account's budget is zero. Runaway \
            inference spend is the most common surprise of a Bedrock pilot; every pilot account \
            needs an account budget and a Bedrock budget with alerts.";
    BUDGET_THRESHOLDS = "TM043", "non-standard-budget-thresholds",
        "Budget alert thresholds other than the pilot standard: 50 %, 80 % and 100 % of actual \
            spend and 100 % of forecasted spend. Fewer thresholds alert too late; the forecast \
            alert is the only one that fires before the money is spent. Extra thresholds are \
            allowed but reported, so the decision is visible.";
    ALERTS_TO_PERSON = "TM044", "alerts-to-person",
        "Every budget and anomaly alert address looks like one person's mailbox \
            (`jane.doe@example.com`) rather than a distribution list or shared mailbox. Alerts \
            sent to one person are missed during holidays and lost when they leave. tarmac treats \
            an address as a list when its local part contains a word such as finops, billing, \
            alerts, team, ops, aws or cloud.";
    LONG_LIVED_CREDENTIALS = "TM045", "long-lived-credentials",
        "IAM users, access keys, console passwords or service-specific credentials (long-term \
            Bedrock API keys) instead of IAM Identity Center. Long-lived keys leak into shells, \
            dotfiles and CI logs; the pilot's developers sign in with `aws sso login` and Codex \
            uses those short-lived credentials. tarmac has no IAM-user section on purpose and \
            refuses permission sets that can create such credentials.";
    RESIDENCY = "TM046", "data-residency",
        "A client with a data-residency requirement (`data_residency: canada`) uses a region \
            outside it, or approves a model that is not served in it (requests would resolve to \
            US regions). For Canada, ca-central-1 must be approved and every Bedrock region, \
            endpoint, account region and the audit bucket's home region must be Canadian.";
    INVOKE_TOO_WIDE = "TM047", "invoke-wider-than-allowlist",
        "A permission set may invoke models beyond the approved allowlist: an inline statement \
            that grants an invoke action on `*`, on a wildcard, on a model or region that is not \
            approved, or on Mantle without the model condition; or an AWS managed policy that \
            allows invoking every model. Use `bedrock_access`, which generates the \
            least-privilege statements from the allowlist. Turning off the model-allowlist SCP is \
            reported too, because then nothing backs the allowlist.";
    AUDIT_TRAIL = "TM048", "audit-trail",
        "CloudTrail is off (`audit.enabled: false`) or records only the management account \
            (`audit.organization_trail: false`), which is an error: a pilot of a new AI service \
            needs a record of who invoked what in every account. Turning off the SCP that \
            protects the trail is a warning.";
    SCP_LOCKOUT = "TM049", "scp-locks-out-region",
        "The region-allowlist SCP (`guardrails.allowed_regions`) would deny a region the pilot \
            itself uses: an approved Bedrock region, an account's primary region (where its \
            StackSet instance deploys), a VPC endpoint's region or a Mantle project's region. The \
            deployment or the developers would be locked out by the pilot's own guardrail.";
    CODEX_MODEL = "TM050", "codex-model",
        "The model the rollout kit configures for Codex CLI (`rollout.codex_model`) is not an \
            approved Mantle model (an error), or, when the blueprint leaves the choice to tarmac, \
            no approved model is one OpenAI lists as supported by Codex on Bedrock (a warning; \
            naming the model in `rollout.codex_model` records the decision). Codex's \
            `amazon-bedrock` provider speaks to Mantle, so it needs a Mantle id \
            (`openai.gpt-5.4`), never a Runtime id (TM012).";
    PRIVILEGED_ROLE = "TM051", "privileged-role",
        "`guardrails.privileged_role` is not one IAM role name (letters, digits and `+=,.@_-`, 1 \
            to 64 characters, no path). The region and audit-trail SCPs exempt the role of that \
            name in every member account, and a further SCP keeps everyone but that role from \
            creating, re-trusting or changing it. A wildcard (`*`, `Admin*`) would exempt every \
            matching role, roles a member-account administrator can create and assume included, \
            and so switch both guardrails off for them.";
    UNKNOWN_INFERENCE_PROFILE = "TM052", "unknown-inference-profile",
        "`bedrock.inference_profiles` names a cross-Region inference profile that is not in the \
            catalog, or one whose model is not an approved Runtime model. Cross-Region inference \
            is denied unless opted into: an approved profile's ARNs join the model allowlist and \
            the Runtime permission sets, and its destination Regions may serve it although the \
            region allowlist denies them everything else. tarmac allows only profiles whose \
            destination Regions the catalog records, so READINESS.md can say where requests may \
            go.";
    UNKNOWN_MANAGED_POLICY = "TM053", "unknown-managed-policy",
        "A permission set's `managed_policies` names an AWS managed policy \
            (`arn:aws:iam::aws:policy/...`) that is not among those the catalog lists. IAM \
            Identity Center refuses a policy that does not exist only when the permission set is \
            deployed, after the templates were reviewed and approved. A listed policy's name \
            under another path (`policy/ViewOnlyAccess` for `policy/job-function/ViewOnlyAccess`: \
            job-function policies have a path) is an error naming the ARN meant, as AWS names its \
            managed policies uniquely. Any other unlisted ARN is a warning, with a near spelling \
            when there is one: the catalog lists the policies tarmac's users name, not all of \
            AWS's; once the ARN is checked against the AWS Managed Policy Reference Guide, add it \
            to `aws_managed_policies` in catalog/aws.yaml.";
    TOO_MANY_TAGS = "TM054", "tag-quota",
        "`tags` breaks an AWS tag quota: more than 50 tags (the most one resource may carry; \
            tarmac puts every blueprint tag on every resource that takes tags, and CloudFormation \
            propagates stack tags to the resources of the stack), a key longer than 128 \
            characters or a value longer than 256, or a key starting with `aws:`, which AWS \
            reserves. The deploy would fail at the first tagged resource.";
    DISPLAY_NAME_TOO_LONG = "TM055", "display-name-too-long",
        "`display_name` is longer than 256 bytes (UTF-8). It opens every template description, \
            and CloudFormation refuses a template whose `Description` passes 1,024 bytes; \
            bounding the name leaves room for the rest of the longest description tarmac writes \
            (the stack, account and region).";
    ANOMALY_MONITOR_QUOTA = "TM056", "anomaly-monitor-quota",
        "Cost Anomaly Detection is on for more pilot accounts than its monitors can cover: a \
            linked-account monitor tracks at most 10 accounts and an account may create at most \
            500 custom monitors (AWS Cost Anomaly Detection FAQ), so at most 5,000 accounts. \
            tarmac splits the accounts over monitors of ten; past 5,000, turn `anomaly_detection` \
            off (the payer's AWS managed services monitor still watches the organization's spend \
            as a whole).";
    BUDGET_NAME_TOO_LONG = "TM057", "budget-name-too-long",
        "A budget name would pass the 100 characters AWS Budgets accepts. tarmac names each \
            budget `<client>-bedrock-monthly-<thresholds>` (the thresholds in the name make a \
            change of notifications a clean replacement), so a long client slug with many or \
            fractional thresholds (`a33.333333333333336`) does not fit. Use fewer thresholds, \
            whole percentages or a shorter `client`.";
    EXTENDS_INVALID = "TM058", "extends-invalid",
        "`extends` names a blueprint's base by its path relative to the file that says it. A \
            value that is not such a path (not text, absolute, with `\\`), or a chain of more \
            than eight bases, is refused: an absolute path would tie the blueprint, and the \
            manifest that records its bases, to one machine.";
    EXTENDS_UNREADABLE = "TM059", "extends-unreadable",
        "The base a blueprint `extends` cannot be read (it does not exist, is not a file, is not \
            UTF-8 text). The path is relative to the folder of the file that says `extends`, not \
            to the folder tarmac runs in. Nothing is synthesized from a blueprint whose base is \
            missing: its guardrails and budgets would silently be absent.";
    EXTENDS_CYCLE = "TM060", "extends-cycle",
        "A chain of `extends` comes back to a file already in it, so no file is the farthest base \
            to merge the others onto. Remove the `extends` that closes the circle.";
    EXTENDS_TYPE_CLASH = "TM061", "extends-type-clash",
        "A file gives a field another kind of value than its base does: a list where the base has \
            a mapping, a scalar where it has a list. A nearer file replaces a base's scalars and \
            lists and merges its mappings key by key; it never changes what kind of value a field \
            is, so this is a mistake in one of the two files (the message names both).";
    PLACEHOLDER = "TM062", "placeholder",
        "A value is still the placeholder `tarmac init` wrote (`<fill in: ...>`): an id, an email \
            or a URL that only the client can give. tarmac never invents an id, so the blueprint \
            cannot be synthesized until each placeholder is replaced by the real value the \
            message names.";
    ACCOUNT_PLACEMENT = "TM063", "existing-account-placement",
        "An existing account (`id`) whose `ou` is an OU tarmac creates must say where it is now \
            (`current_parent`: the root `r-…` or an OU `ou-…`, as `aws organizations \
            list-parents` prints it), and tarmac moves it into the OU: Terraform imports it into \
            the management module, CloudFormation into the management stack (an import change \
            set, READINESS.md), and the next apply or deployment is the move. Why: the SCPs \
            attach to the OU and each StackSet instance targets the intersection of the OU and \
            the account, so an account left where it is gets no region lock, no model allowlist, \
            no budgets and no endpoints, and the deployment still succeeds. A new account takes \
            no `current_parent` (it is created in its OU), and a current parent must be this \
            organization's root or one of its OUs (`ou-<root>-…`).";
    CONTROL_WITHOUT_ACCOUNT = "TM064", "control-targets-no-account",
        "`guardrails.targets` names an OU that holds no account of the blueprint, directly or in \
            an OU below it, so the SCPs attached there would apply to no pilot account (or only \
            to accounts outside the pilot) while READINESS.md reports them as enforced. Why: a \
            control that applies to no account is an error, not output. Target the OUs of the \
            pilot's accounts, or leave `guardrails.targets` out so the SCPs attach to exactly \
            those.";
    IDENTITY_CENTER_QUOTA = "TM065", "identity-center-quota",
        "The blueprint reaches an IAM Identity Center quota (AWS IAM Identity Center quotas, \
            https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html). Errors for \
            the quotas AWS does not raise: more than 20 managed policies on a permission set, or \
            an inline policy (the Bedrock access tarmac grants plus `inline_statements`) over \
            10,240 bytes without whitespace; Identity Center refuses the permission set. Warnings \
            for the defaults that can be raised: more than 2,000 permission sets in the instance, \
            more than 250 permission sets assigned to one account, and more than 10 managed \
            policies on a permission set (IAM's default for the role it provisions in each \
            account). Raise those quotas before deploying, or the permission set fails to \
            provision into the accounts.";
    NETWORK_OF_NEW_ACCOUNT = "TM066", "network-of-new-account",
        "A network names a `vpc_id` (and subnets) in an account that tarmac creates (no `id:`). \
            Those cannot exist before the account does: the member stack would fail with \
            `InvalidVpcID.NotFound` inside the StackSet, after the management stack created the \
            account. Let tarmac create the VPC instead (drop `vpc_id` and `subnet_ids`, give \
            `subnets`; see TM061), or deploy in two phases: deploy the landing zone without the \
            network, create the VPC and its subnets in the new account, then add the network with \
            `account_deployed: true`, which states that the VPC was created in the deployed \
            account.";
    CROSS_BORDER_INFERENCE = "TM067", "cross-border-inference",
        "`bedrock.cross_border_inference` is where a client with `data_residency` approves \
            invoking models outside the residency, because no approved model is served inside it \
            (no OpenAI model is served in a Canadian Region). It is refused without \
            `data_residency` (there is no border to cross), and a Region of it that is inside the \
            residency belongs in `bedrock.regions`. With it, only model invocation leaves: the \
            region SCP allows these Regions for the Bedrock inference and discovery actions \
            alone, and the trail, logs, budgets, Identity Center, networks and stacks stay in the \
            residency. READINESS.md states who approved it and when.";
    RESIDENCY_WITHOUT_MODELS = "TM068", "residency-without-models",
        "A blueprint with `data_residency` approves no model at all (`bedrock.runtime_models` and \
            `bedrock.mantle_models` are empty): its developers could invoke nothing, yet the \
            landing zone would deploy and report the pilot ready. Approve a model served inside \
            the residency, or, with the client's approval recorded in \
            `bedrock.cross_border_inference`, one served in the Regions it names.";
    NETWORK_LAYOUT = "TM069", "network-layout",
        "A network either names an existing VPC (`vpc_id` with its `subnet_ids`) or has tarmac \
            create one in the member stack (no `vpc_id`; `vpc_cidr` and `subnets`, each `{cidr, \
            availability_zone_id}`). A subnet tarmac creates must lie inside the VPC's block and \
            overlap no other subnet (EC2 refuses both), and each must be in its own Availability \
            Zone of the network's Region, given by AZ ID (`use1-az1`), which names the same zone \
            in every account, where a zone name (`us-east-1a`) does not: an interface endpoint \
            takes one subnet per zone.";
}

/// Looks a code up by its id (`TM012`) or name (`model-id-family-mismatch`), ignoring case.
pub fn find(query: &str) -> Option<Code> {
    ALL.iter()
        .copied()
        .find(|c| c.id.eq_ignore_ascii_case(query) || c.name.eq_ignore_ascii_case(query))
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
        }
    }

    #[test]
    fn find_by_id_or_name() {
        assert_eq!(find("tm012"), Some(MODEL_ID_FAMILY));
        assert_eq!(find("unknown-model"), Some(UNKNOWN_MODEL));
        assert_eq!(find("TM999"), None);
    }
}
