//! Every blueprint value that reaches a kit file goes through one of these, chosen for the exact
//! syntax it lands in. The load-time checks (`checks::text`, the email and URL checks) refuse
//! control characters and malformed URLs first; these functions do not rely on that: whatever
//! string they get, the result is one token of its syntax that cannot end early, so a value can
//! never become a command, a key or a line of its own.
//!
//! The templates reach them as helpers: `{{sh …}}`, `{{toml …}}`, `{{ini …}}`, `{{line …}}`,
//! `{{md …}}`, `{{mdcode …}}`, `{{mdquoted …}}`, `{{html …}}`, `{{htmlmd …}}`, `{{htmlquoted …}}`.
//! Markdown the kit builds in Rust (the rows of READINESS.md) uses [`md`] and [`code`] directly;
//! the Mermaid diagram uses [`mermaid`]; READINESS.html and its SVG use [`html`], and turn the
//! kit's Markdown rows into HTML with [`html_md`].

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
            "`{}` cannot be written into the AWS CLI configuration: it holds a line break, a \
                control character or surrounding white space",
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

/// Text for HTML or XML, in an element or a quoted attribute: `&`, `<`, `>`, `"` and `'` as
/// character references, and every character [`line`] writes as `\uXXXX` written so too, as
/// well as the non-characters XML 1.0 does not allow (U+FFFE and the like). The result is
/// well-formed XML as well as HTML, so that READINESS.html and its SVG parse with an XML parser
/// (the tests do) and a value can never open or close an element or an attribute.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_html(&mut out, c);
    }
    out
}

fn push_html(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        // `&apos;` is not HTML 4's; a numeric reference is every dialect's.
        '\'' => out.push_str("&#39;"),
        c if breaks_a_line(c) || is_noncharacter(c) => {
            out.push_str(&format!("\\u{:04X}", c as u32))
        }
        c => out.push(c),
    }
}

/// U+FDD0..U+FDEF and the last two code points of every plane: XML 1.0 excludes U+FFFE and
/// U+FFFF, and HTML's parser reports every non-character as an error.
fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// The kit's Markdown rows as HTML. The rows (decisions, controls, steps, deploy order) are
/// Markdown inline text built by `kit.rs` from two pieces only: text escaped by [`md`]
/// (backslash before ASCII punctuation) and code spans made by [`code`] or written in its
/// wording. This reads exactly that subset as CommonMark does — a backslash before ASCII
/// punctuation stands for the character, a backtick run opens a code span closed by the next
/// run of the same length (one space stripped from each end when both have one), and an
/// unclosed run is literal — and writes everything else as text through [`html`]. So READINESS.html
/// shows what a Markdown viewer shows of READINESS.md, from the same data, and whatever the
/// input, the output holds no markup but `<code>`.
pub fn html_md(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let run_at = |i: usize| chars[i..].iter().take_while(|c| **c == '`').count();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                push_html(&mut out, chars[i + 1]);
                i += 2;
            }
            '`' => {
                let open = run_at(i);
                let mut j = i + open;
                let mut close = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let run = run_at(j);
                        if run == open {
                            close = Some(j);
                            break;
                        }
                        j += run;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(end) => {
                        let mut content = &chars[i + open..end];
                        if content.len() >= 2
                            && content[0] == ' '
                            && content[content.len() - 1] == ' '
                            && content.iter().any(|c| *c != ' ')
                        {
                            content = &content[1..content.len() - 1];
                        }
                        out.push_str("<code>");
                        for c in content {
                            push_html(&mut out, *c);
                        }
                        out.push_str("</code>");
                        i = end + open;
                    }
                    None => {
                        out.push_str(&"`".repeat(open));
                        i += open;
                    }
                }
            }
            c => {
                push_html(&mut out, c);
                i += 1;
            }
        }
    }
    out
}

/// A diagnostic's message as HTML: its `` `…` `` quotes as `<code>`, the rest as text, both
/// through [`html`] (the HTML twin of [`quoted`]).
pub fn html_quoted(s: &str) -> String {
    s.split('`')
        .enumerate()
        .map(|(i, piece)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", html(piece))
            } else {
                html(piece)
            }
        })
        .collect()
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

    #[test]
    fn html_text() {
        assert_eq!(
            html("<script>a & \"b\" 'c'</script>"),
            "&lt;script&gt;a &amp; &quot;b&quot; &#39;c&#39;&lt;/script&gt;"
        );
        assert_eq!(
            html("a\nb\u{0}\u{2028}\u{fffe}é"),
            r"a\u000Ab\u0000\u2028\uFFFEé"
        );
    }

    #[test]
    fn html_from_the_kits_markdown() {
        // Whatever `md` and `code` made of a value, HTML shows the value itself.
        for value in [
            "a | b ` c ``` d \" e ] f [g] <br/> #quot; *h* _i_",
            "\\`x`\\",
            "<script>alert(1)</script>",
            "` a `",
            "```",
        ] {
            assert_eq!(html_md(&md(value)), html(value), "{value}");
            let span = html_md(&code(value));
            if value.contains('|') {
                assert_eq!(span, html(value), "{value}");
            } else {
                assert_eq!(span, format!("<code>{}</code>", html(value)), "{value}");
            }
        }
        assert_eq!(
            html_md("only `InitechBreakGlass` may stop <x> & `a`b"),
            "only <code>InitechBreakGlass</code> may stop &lt;x&gt; &amp; <code>a</code>b"
        );
        // An unclosed run is text, and a backslash before a letter is a backslash.
        assert_eq!(html_md("a `` b ` c \\d"), "a `` b ` c \\d");
        assert_eq!(
            html_quoted("`a<b` is `c`"),
            "<code>a&lt;b</code> is <code>c</code>"
        );
    }
}
