//! Every blueprint value that reaches a kit file goes through one of these, chosen for the exact
//! syntax it lands in. The load-time checks (`checks::text`, the email and URL checks) refuse
//! control characters and malformed URLs first; these functions do not rely on that: whatever
//! string they get, the result is one token of its syntax that cannot end early, so a value can
//! never become a command, a key or a line of its own.
//!
//! The templates reach them as helpers: `{{sh …}}`, `{{toml …}}`, `{{ini …}}`, `{{line …}}`,
//! `{{md …}}`, `{{mdcode …}}`, `{{mdquoted …}}`. Markdown the kit builds in Rust (the rows of READINESS.md) uses
//! [`md`] and [`code`] directly; the Mermaid diagram uses [`mermaid`].

use crate::checks::breaks_a_line;

/// A shell word. Single quotes hold every byte but `'` and NUL literally, so the value is
/// single-quoted, with each `'` written as `'\''`. ASCII control characters are written as
/// ANSI-C quoted pieces (`$'\x0a'`) so that the script stays one command per line; bash cannot
/// hold NUL in a string, so `$'\x00'` stands for nothing.
pub fn sh(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str(r"'\''"),
            c if c.is_ascii_control() => out.push_str(&format!("'$'\\x{:02x}''", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A TOML basic string: `"` and `\` escaped, control characters as `\uXXXX` (TOML allows none of
/// them raw, not even in comments).
pub fn toml(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A value or section name in the AWS CLI configuration. Its INI dialect has no escapes: a line
/// break ends the value and an indented next line continues it, and white space around a value
/// is dropped. A value holding either cannot be written faithfully, so it is refused (the checks
/// refuse it earlier; this is the last line) rather than written as something else.
pub fn ini(s: &str) -> Result<String, String> {
    if s.chars().any(breaks_a_line) || s.trim() != s {
        return Err(format!(
            "`{}` cannot be written into the AWS CLI configuration: it holds a line break, a control character or surrounding white space",
            s.escape_debug()
        ));
    }
    Ok(s.to_owned())
}

/// Text for the inside of a one-line comment (`#` in shell, TOML and INI): every character that
/// could end the line, or that TOML forbids in comments, written as `\uXXXX`.
pub fn line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if breaks_a_line(c) {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Markdown text, for a table cell, a heading or a list item: on one line ([`line`]), with the
/// characters that start markup or end a cell backslash-escaped (CommonMark lets any ASCII
/// punctuation be escaped; GitHub's tables split cells at every unescaped `|`).
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in line(s).chars() {
        if "\\`*_[]<>|~&#!".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A diagnostic's message as Markdown: its `` `…` `` quotes become code spans ([`code`]), the
/// rest is text ([`md`]). A value holding a backtick unbalances the quotes; every piece is still
/// escaped, only the formatting of that message is off.
pub fn quoted(s: &str) -> String {
    s.split('`')
        .enumerate()
        .map(
            |(i, piece)| {
                if i % 2 == 1 {
                    code(piece)
                } else {
                    md(piece)
                }
            },
        )
        .collect()
}

/// A Markdown code span holding `s` literally: fenced with one backtick more than the longest
/// run of backticks inside, padded with a space where the content starts or ends with a backtick
/// or a space (CommonMark strips one such pair). A value with a `|` is written as escaped text
/// ([`md`]) instead: GitHub splits table cells at a `|` even inside a code span, and the only
/// escape, `\|`, would itself be undone by a backslash before it, which a code span cannot escape.
pub fn code(s: &str) -> String {
    if s.contains('|') {
        return md(s);
    }
    let text = line(s);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with(['`', ' ']) || text.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Text for a Mermaid label inside `"…"`: quotes, angle brackets, backticks (which start
/// Markdown strings) and `#` (which starts entity codes) as Mermaid entity codes, and line
/// breaks as `#NN;` too, so a label never ends its line, its quotes or the ```` ``` ```` block.
pub fn mermaid(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' | '`' => out.push_str(&format!("#{};", c as u32)),
            c if breaks_a_line(c) => out.push_str(&format!("#{};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words() {
        assert_eq!(sh("it's"), r"'it'\''s'");
        assert_eq!(sh("a\nb"), r"'a'$'\x0a''b'");
        assert_eq!(sh("$(id) `id`"), "'$(id) `id`'");
    }

    #[test]
    fn toml_strings() {
        assert_eq!(toml("a\"b\\c\n"), r#""a\"b\\c\u000A""#);
    }

    #[test]
    fn ini_values() {
        assert_eq!(
            ini("https://x.awsapps.com/start").unwrap(),
            "https://x.awsapps.com/start"
        );
        assert!(ini("a\ncredential_process = sh").is_err());
        assert!(ini(" a").is_err());
    }

    #[test]
    fn markdown() {
        assert_eq!(line("a\nb\u{2028}"), r"a\u000Ab\u2028");
        assert_eq!(md("a|b`c`\n<x>"), r"a\|b\`c\`\\u000A\<x\>");
        assert_eq!(code("acme"), "`acme`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code("a\\|b"), r"a\\\|b");
        assert_eq!(code("```"), "```` ``` ````");
        assert_eq!(quoted("`a|b` is *not* `c`"), r"a\|b is \*not\* `c`");
    }

    #[test]
    fn mermaid_labels() {
        assert_eq!(
            mermaid("a \"b\" <c> `d` #e;\n```"),
            "a #quot;b#quot; #lt;c#gt; #96;d#96; #35;e;#10;#96;#96;#96;"
        );
    }
}
