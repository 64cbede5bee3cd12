//! Free text that reaches the rollout kit: names and wording without control characters, and the
//! access portal URL in the shape IAM Identity Center gives it.
//!
//! The kit escapes every value for the syntax it lands in (see `rollout`), so these checks are
//! not what keeps a script safe; they make sure a value means the same thing in every file, and
//! tell the user at once, with a position, instead of a consultant finding `\u000A` in a
//! checklist.

use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, out: &mut Vec<Diagnostic>) {
    let mut texts: Vec<(String, String, &str)> = Vec::new();
    if let Some(name) = &bp.display_name {
        texts.push(("/display_name".into(), "display_name".into(), name));
    }
    for (i, ou) in bp.organizational_units.iter().enumerate() {
        texts.push((
            Ptr::ou(i).field("name").to_string(),
            "the OU name".into(),
            &ou.name,
        ));
    }
    for (i, a) in bp.identity_center.assignments.iter().enumerate() {
        if let Some(g) = &a.group {
            texts.push((
                Ptr::assignment(i).field("group").to_string(),
                "the group name".into(),
                g,
            ));
        }
        if let Some(u) = &a.user {
            texts.push((
                Ptr::assignment(i).field("user").to_string(),
                "the user name".into(),
                u,
            ));
        }
    }
    if let Some(cross) = &bp.bedrock.cross_border_inference {
        texts.push((
            "/bedrock/cross_border_inference/approved_by".into(),
            "the approver".into(),
            &cross.approved_by,
        ));
        if let Some(reference) = &cross.reference {
            texts.push((
                "/bedrock/cross_border_inference/reference".into(),
                "the approval's reference".into(),
                reference,
            ));
        }
    }
    let o = &bp.rollout.owners;
    for (key, value) in [
        ("platform", &o.platform),
        ("security", &o.security),
        ("finance", &o.finance),
        ("developers", &o.developers),
    ] {
        texts.push((
            Ptr::root()
                .field("rollout")
                .field("owners")
                .field(key)
                .to_string(),
            format!("the {key} owner"),
            value,
        ));
    }
    for (pointer, what, text) in texts {
        if let Some((at, c)) = text.char_indices().find(|(_, c)| breaks_a_line(*c)) {
            out.push(
                Diagnostic::error(
                    codes::CONTROL_CHARACTER,
                    pointer,
                    format!(
                        "{what} contains the control character U+{:04X} ({}) at character {}",
                        c as u32,
                        char_name(c),
                        text[..at].chars().count() + 1
                    ),
                )
                .with_help(
                    "write it on one line, without tabs or control characters: it is copied \
                    into the rollout kit's scripts and configuration files",
                ),
            );
        }
    }
    if let Err(why) = start_url(&bp.identity_center.start_url) {
        out.push(
            Diagnostic::error(
                codes::INVALID_START_URL,
                "/identity_center/start_url",
                format!(
                    "`{}` is not an AWS access portal URL: \
                    {why}",
                    bp.identity_center.start_url.escape_debug()
                ),
            )
            .with_help(
                "copy the AWS access portal URL from the IAM Identity Center console's \
                dashboard, e.g. https://d-1234567890.awsapps.com/start",
            ),
        );
    }
}

/// A character no one-line text may hold: Unicode's control characters (category Cc: C0, DEL,
/// C1) and the line and paragraph separators, which some editors and parsers also break at.
pub fn breaks_a_line(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

fn char_name(c: char) -> &'static str {
    match c {
        '\n' => "line feed",
        '\r' => "carriage return",
        '\t' => "tab",
        '\0' => "NUL",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        _ => "control character",
    }
}

/// The AWS access portal URL of an IAM Identity Center instance, in one of the shapes AWS
/// documents for the commercial partition (the only one tarmac's instance ARNs allow):
/// - `https://d-xxxxxxxxxx.awsapps.com/start` or `https://<alias>.awsapps.com/start`
///   (<https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosignin.html>); the
///   console's copy may end in `/`, `#` or `#/`;
/// - `https://ssoins-<16 characters>.<region>.portal.amazonaws.com`, the portal of an additional
///   region of a replicated instance
///  
/// (<https://docs.aws.amazon.com/singlesignon/latest/userguide/multi-region-workforce-access.html>).
pub fn start_url(url: &str) -> Result<(), &'static str> {
    let rest = url
        .strip_prefix("https://")
        .ok_or("it must start with https://")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if let Some(label) = host.strip_suffix(".awsapps.com") {
        if !dns_label(label) {
            return Err(
                "the part before .awsapps.com must be the directory id (d-xxxxxxxxxx) or \
                its alias: letters, digits and hyphens",
            );
        }
        return match path {
            "/start" | "/start/" | "/start#" | "/start/#" | "/start#/" | "/start/#/" => Ok(()),
            _ => Err("the path must be /start"),
        };
    }
    if let Some(regional) = host.strip_suffix(".portal.amazonaws.com") {
        let (instance, region) = regional.split_once('.').unwrap_or((regional, ""));
        let id_ok = instance.strip_prefix("ssoins-").is_some_and(|id| {
            id.len() == 16
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
        let region_ok = !region.is_empty()
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok || !region_ok {
            return Err(
                "a regional portal is https://ssoins-<16 characters>.<region>.portal.amazonaws.com",
            );
        }
        return match path {
            "" | "/" => Ok(()),
            _ => Err("a regional portal URL has no path"),
        };
    }
    Err("the host must be <directory id or alias>.awsapps.com")
}

/// One DNS label: 1 to 63 ASCII letters, digits and hyphens, not starting or ending with a hyphen.
fn dns_label(l: &str) -> bool {
    (1..=63).contains(&l.len())
        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !l.starts_with('-')
        && !l.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_urls() {
        for ok in [
            "https://d-9067a1b2c3.awsapps.com/start",
            "https://globex.awsapps.com/start",
            "https://Initech-AI.awsapps.com/start/#/",
            "https://ssoins-111111h2222j33pp.eu-west-1.portal.amazonaws.com",
        ] {
            assert_eq!(start_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "http://d-9067a1b2c3.awsapps.com/start",
            "https://d-9067a1b2c3.awsapps.com/start\ncredential_process = /bin/sh",
            "https://evil.example.com/start",
            "https://a.b.awsapps.com/start",
            "https://-x.awsapps.com/start",
            "https://x.awsapps.com/start?x=1",
            "https://x.awsapps.com.evil.com/start",
            "https://ssoins-111111h2222j33pp.portal.amazonaws.com",
            "https://ssoins-short.eu-west-1.portal.amazonaws.com",
            "",
        ] {
            assert!(start_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn line_breaking_characters() {
        for c in [
            '\n', '\r', '\t', '\0', '\u{7f}', '\u{85}', '\u{2028}', '\u{2029}',
        ] {
            assert!(breaks_a_line(c), "{c:?}");
        }
        for c in [' ', 'é', '開', '\'', '"', '`', '|', '\u{200b}'] {
            assert!(!breaks_a_line(c), "{c:?}");
        }
    }
}
