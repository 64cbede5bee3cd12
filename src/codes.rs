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
        "The blueprint is not well-formed YAML (or JSON). Nothing else can be checked until it parses.";
    UNKNOWN_FIELD = "TM002", "unknown-field",
        "A key that the blueprint format does not have. Unknown keys are errors, not ignored, because a \
misspelt key (`sesion_duration`) would otherwise silently fall back to a default.";
    INVALID_VALUE = "TM003", "invalid-value",
        "A value of the wrong type or outside what the format allows (a pattern, a range, one of a set \
of words). The message names what would be valid; `tarmac schema` prints the whole format.";
    MISSING_FIELD = "TM004", "missing-field",
        "A required key is absent. The blueprint format marks as required only what has no safe default.";
    DUPLICATE_KEY = "TM005", "duplicate-key",
        "A key appears twice in one mapping. YAML parsers keep one of the values without a word, so \
a blueprint could say two things and mean only one; tarmac refuses it.";
    UNKNOWN_REGION = "TM010", "unknown-region",
        "A region that is not a commercial AWS region in tarmac's catalog (catalog/aws.yaml). A typo here \
would produce templates that fail at deploy time, or an SCP that locks the pilot out.";
    UNKNOWN_MODEL = "TM011", "unknown-model",
        "A model id that is not in the catalog. Bedrock answers an unknown id with 'model not found' only \
when the first developer tries it; tarmac refuses it before anything is deployed.";
    MODEL_ID_FAMILY = "TM012", "model-id-family-mismatch",
        "A Bedrock Runtime id (`openai.gpt-oss-120b-1:0`, with a version suffix) where a Mantle id \
(`openai.gpt-oss-120b`) belongs, or the reverse. This is the most common cause of 'model not found' in \
pilots: the two endpoints name the same model differently, and IAM policies, SCPs and client \
configuration must each use the family of the endpoint they govern.";
    MODEL_NOT_IN_REGION = "TM013", "model-not-in-region",
        "An approved model is not served in one of the approved regions, so invoking it there fails. \
Either drop the region, pick a model served there, or accept that the model is used elsewhere only.";
    ENDPOINT_NOT_IN_REGION = "TM014", "endpoint-not-in-region",
        "A PrivateLink endpoint service (bedrock, bedrock-runtime or bedrock-mantle) is not offered in the \
VPC's region; creating the endpoint would fail. bedrock-mantle in particular is missing from several regions.";
    DUPLICATE_NAME = "TM020", "duplicate-name",
        "Two things of the same kind share a name (OUs, accounts, permission sets, projects) or an account \
email or id is used twice. Names become logical ids and Terraform addresses, so they must be unique.";
    UNKNOWN_REFERENCE = "TM021", "unknown-reference",
        "A name that refers to something the blueprint does not declare: an OU parent, an account's OU, an \
assignment's permission set or account, a network's account.";
    OU_CYCLE = "TM022", "ou-cycle",
        "Organizational units whose parents form a loop. Every OU must descend from the root.";
    PRINCIPAL = "TM023", "assignment-principal",
        "An assignment must name exactly one principal: a `group` (recommended) or a `user`.";
    MANTLE_PROJECT_REGION = "TM024", "mantle-project-region",
        "AWS::BedrockMantle::Project is not available in that region, or the region is not approved for \
Bedrock. Choose an approved region where the resource type exists.";
    SCP_TOO_LARGE = "TM030", "scp-too-large",
        "A service control policy statement is larger than the SCP size limit (10,240 characters since \
May 2026, 5,120 before; counted on minified JSON, as Organizations counts). tarmac packs whole \
statements across documents, but cannot split one statement.";
    TOO_MANY_SCPS = "TM031", "too-many-scps-on-target",
        "A root, OU or account would carry more SCPs than AWS allows (10 since May 2026, 5 before). \
FullAWSAccess and SCPs managed elsewhere (Control Tower) take slots too. tarmac first packs its own \
guardrails into as few documents as fit.";
    INVALID_EMAIL = "TM032", "invalid-email",
        "An account email or alert address that AWS would reject: account root emails must be valid \
addresses of 6 to 64 characters, unique across the organization.";
    OU_TOO_DEEP = "TM033", "ou-too-deep",
        "AWS Organizations allows OUs at most five levels below the root.";
    INVALID_BUCKET_NAME = "TM034", "invalid-bucket-name",
        "A bucket name S3 would reject: 3 to 63 lowercase letters, digits, dots and hyphens, starting \
and ending with a letter or digit, not shaped like an IP address, without reserved prefixes.";
    STACK_SET_TEMPLATE_TOO_LARGE = "TM035", "stack-set-template-too-large",
        "A member account's CloudFormation template is larger than the 51,200 bytes a StackSet takes as \
an inline TemplateBody (larger ones need an S3 URL, which an offline synthesizer cannot provide). \
Management stacks are split automatically when they outgrow 500 resources, 200 outputs or \
parameters, or 1 MB; member stacks are not, because each is one StackSet.";
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
