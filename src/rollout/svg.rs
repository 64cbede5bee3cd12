//! The organization as an inline SVG for READINESS.html: the root, the management account, the
//! OUs and the accounts as boxes, one arrow from each parent to each child.
//!
//! The layout is an indented tree: one box per row in depth-first order, each child indented
//! under its parent, its arrow leaving the parent's bottom edge and entering the child's left
//! edge. Its width grows with the depth and the longest label, not with the number of
//! accounts, so the picture stays readable and printable on one page width however wide the
//! organization is; the layout is a function of the blueprint alone (blueprint order, no
//! measuring), so the bytes are deterministic. Past [`DETAILED_ACCOUNTS`] accounts each OU shows
//! one box with its number of accounts instead, the rule of the Mermaid diagram (`diagram.rs`).
//!
//! Every label goes through `escape::html`, which is also XML's escaping: the SVG parses as
//! XML whatever the names hold (tests/it/html.rs parses it and checks boxes and arrows against
//! the organization).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::diagram::DETAILED_ACCOUNTS;
use super::escape::html;
use crate::resolve::Resolved;

/// Space around the drawing, and between a box's border and its text.
const MARGIN: u32 = 16;
const PAD: u32 = 10;
/// How far a child is indented under its parent; its arrow runs down at half that.
const INDENT: u32 = 36;
/// Vertical space between two boxes.
const GAP: u32 = 14;
/// Font sizes of a box's caption line and of its other lines, and the height of a line.
const CAPTION_PX: u32 = 11;
const TEXT_PX: u32 = 13;
const LINE_PX: u32 = 17;
/// Advance of one character of the monospace font, in thousandths of the font size: 602 is
/// DejaVu Sans Mono's and Liberation Mono's (600); a few percent spare for bold.
const ADVANCE: u32 = 640;

/// One box: its kind (the `class` of its group, styled by READINESS.html's CSS), a small
/// caption above its name, and lines below it.
struct Node {
    class: &'static str,
    caption: String,
    name: String,
    lines: Vec<String>,
    children: Vec<usize>,
}

/// The SVG element of the organization of a resolved blueprint.
pub fn organization(r: &Resolved) -> String {
    let bp = r.blueprint;
    let nodes = tree(r);
    // Depth-first, children in order; `placed` guards against a cycle of parents, which the
    // checks refuse before the kit is rendered.
    let mut rows: Vec<(usize, u32)> = Vec::new();
    let mut placed = vec![false; nodes.len()];
    let mut stack = vec![(0usize, 0u32)];
    while let Some((n, depth)) = stack.pop() {
        if std::mem::replace(&mut placed[n], true) {
            continue;
        }
        rows.push((n, depth));
        stack.extend(nodes[n].children.iter().rev().map(|c| (*c, depth + 1)));
    }
    // Each box's rectangle: x, y, width, height.
    let mut rect: BTreeMap<usize, (u32, u32, u32, u32)> = BTreeMap::new();
    let mut y = MARGIN;
    let mut width = 0;
    for (n, depth) in &rows {
        let node = &nodes[*n];
        let text_width = std::iter::once(text_width(&node.caption, CAPTION_PX))
            .chain(std::iter::once(text_width(&node.name, TEXT_PX)))
            .chain(node.lines.iter().map(|l| text_width(l, TEXT_PX)))
            .max()
            .unwrap_or(0);
        let w = text_width + 2 * PAD;
        let h = (2 + node.lines.len() as u32) * LINE_PX + PAD;
        let x = MARGIN + depth * INDENT;
        rect.insert(*n, (x, y, w, h));
        width = width.max(x + w + MARGIN);
        y += h + GAP;
    }
    let height = y - GAP + MARGIN;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="organization" role="img" aria-labelledby="organization-title" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
    );
    let _ = writeln!(
        s,
        r#"<title id="organization-title">{}</title>"#,
        html(&format!(
            "Organization of {}",
            bp.display_name.as_deref().unwrap_or(&bp.client)
        ))
    );
    s.push_str(concat!(
        r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7""#,
        r#" markerHeight="7" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>"#
    ));
    s.push('\n');
    // Arrows first, so that boxes are drawn over the trunks they share with their siblings.
    for (n, _) in &rows {
        let (px, py, _, ph) = rect[n];
        for c in &nodes[*n].children {
            let Some(&(cx, cy, _, ch)) = rect.get(c) else {
                continue;
            };
            let _ = writeln!(
                s,
                r#"<path class="edge" d="M {} {} V {} H {}" marker-end="url(#arrow)"/>"#,
                px + INDENT / 2,
                py + ph,
                cy + ch / 2,
                cx
            );
        }
    }
    for (n, _) in &rows {
        let node = &nodes[*n];
        let (x, y, w, h) = rect[n];
        let _ = write!(
            s,
            r#"<g class="{}"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4"/>"#,
            node.class
        );
        let tx = x + PAD;
        let mut ty = y + LINE_PX;
        let _ = write!(
            s,
            r#"<text class="caption" x="{tx}" y="{ty}">{}</text>"#,
            html(&node.caption)
        );
        ty += LINE_PX;
        let _ = write!(
            s,
            r#"<text class="name" x="{tx}" y="{ty}">{}</text>"#,
            html(&node.name)
        );
        for line in &node.lines {
            ty += LINE_PX;
            let _ = write!(
                s,
                r#"<text class="detail" x="{tx}" y="{ty}">{}</text>"#,
                html(line)
            );
        }
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}

/// The boxes: the root first (index 0), then the management account, the OUs in blueprint
/// order and the accounts (or one count per OU). A parent that names no OU is the root, as in
/// the Mermaid diagram.
fn tree(r: &Resolved) -> Vec<Node> {
    let bp = r.blueprint;
    let node = |class, caption: String, name: String| Node {
        class,
        caption,
        name,
        lines: Vec::new(),
        children: Vec::new(),
    };
    let mut nodes = vec![node(
        "root",
        format!("Organization {}", bp.organization.id),
        format!("root {}", bp.organization.root_id),
    )];
    let mut management = node(
        "management",
        String::from("Management account"),
        bp.organization.management_account_id.clone(),
    );
    management.lines.push(if bp.anomaly_detection.enabled {
        String::from("CloudTrail, anomaly detection")
    } else {
        String::from("CloudTrail")
    });
    nodes.push(management);
    nodes[0].children.push(1);
    let ou_node: BTreeMap<&str, usize> = bp
        .organizational_units
        .iter()
        .enumerate()
        .map(|(i, o)| (o.name.as_str(), i + 2))
        .collect();
    let parent_of = |ou: Option<&str>| ou.and_then(|o| ou_node.get(o)).copied().unwrap_or(0);
    for ou in &bp.organizational_units {
        let caption = match &ou.id {
            Some(id) => format!("Existing OU {id}"),
            None => String::from("OU"),
        };
        nodes.push(node("ou", caption, ou.name.clone()));
    }
    // The accounts come before the OUs nested in the same parent: an OU's own accounts read
    // right under it.
    let mut account_node: BTreeMap<&str, usize> = BTreeMap::new();
    if bp.accounts.len() <= DETAILED_ACCOUNTS {
        for a in &bp.accounts {
            let caption = match &a.id {
                Some(id) => format!("Account {id}"),
                None => String::from("New account"),
            };
            let parent = parent_of(Some(&a.ou));
            nodes.push(node("account", caption, a.name.clone()));
            let n = nodes.len() - 1;
            nodes[parent].children.push(n);
            account_node.insert(&a.name, n);
        }
    } else {
        let mut per_parent: BTreeMap<usize, usize> = BTreeMap::new();
        for a in &bp.accounts {
            *per_parent.entry(parent_of(Some(&a.ou))).or_default() += 1;
        }
        for (parent, count) in per_parent {
            nodes.push(node(
                "accounts",
                String::from("Accounts"),
                format!("{count} pilot accounts"),
            ));
            let n = nodes.len() - 1;
            nodes[parent].children.push(n);
        }
        for a in &bp.accounts {
            let parent = parent_of(Some(&a.ou));
            if let Some(n) = nodes[parent]
                .children
                .iter()
                .find(|c| nodes[**c].class == "accounts")
            {
                account_node.insert(&a.name, *n);
            }
        }
    }
    for (i, ou) in bp.organizational_units.iter().enumerate() {
        nodes[parent_of(ou.parent.as_deref())].children.push(i + 2);
    }
    // The SCPs on each box they attach to, as the Mermaid diagram draws them.
    let scps = super::diagram::scp_names(&bp.guardrails);
    if !scps.is_empty() {
        let line = format!("SCPs: {}", scps.join(", "));
        let mut marked = Vec::new();
        for target in &r.guardrails.targets {
            let n = ou_node
                .get(target.name())
                .or_else(|| account_node.get(target.name()))
                .copied();
            if let Some(n) = n.filter(|n| !marked.contains(n)) {
                nodes[n].lines.push(line.clone());
                marked.push(n);
            }
        }
    }
    nodes
}

/// The width of `text` at `px`: [`ADVANCE`] per character, twice that for the East Asian wide
/// and fullwidth characters and emoji a monospace font draws on two cells. An overestimate for
/// the rest (combining marks, zero-width characters) only widens the box.
fn text_width(text: &str, px: u32) -> u32 {
    let cells: u32 = text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    (cells * px * ADVANCE).div_ceil(1000)
}

fn wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_cells() {
        assert_eq!(text_width("ab", 10), 13);
        assert_eq!(text_width("開発", 10), 26);
        assert_eq!(text_width("", 10), 0);
    }
}
