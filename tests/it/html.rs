//! Issue 20: READINESS.html. The page parses as XML (it is written well-formed), holds no script
//! and names no resource, has its tables and checklists, and its SVG's boxes and arrows, read
//! back by their geometry, are the organization's: one box per OU and per account (one count
//! box per OU past 25 accounts), one arrow per parent → child edge, labels equal to the names.
//! `.ci/run` loads the same pages in headless Chromium (`.ci/html/`).

use std::collections::BTreeMap;

use roxmltree::{Document, Node, ParsingOptions};
use tarmac::compile::{compile, Targets};
use tarmac::diagnostics::SourceFile;

/// Accounts the diagrams draw one by one (`rollout::diagram::DETAILED_ACCOUNTS`).
const DETAILED_ACCOUNTS: usize = 25;

/// Every element READINESS.html may hold: anything else (a `script`, an `img`, a `link`) is a
/// value that became markup, or a change of the page to review here.
const ELEMENTS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "code", "figure", "table",
    "thead", "tbody", "tr", "th", "td", "input", "label", "ul", "ol", "li", "strong", "svg",
    "defs", "marker", "path", "g", "rect", "text",
];

fn parse(html: &str) -> Document<'_> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(html, options)
        .unwrap_or_else(|e| panic!("READINESS.html is not well-formed: {e}\n{html}"))
}

/// The page of a blueprint text, and the blueprint as tarmac loaded it.
fn page(name: &str, text: &str) -> (String, tarmac::blueprint::model::Blueprint) {
    let source = SourceFile::new(name, text);
    let compiled = compile(&source, Targets::All).unwrap_or_else(|_| panic!("{name} compiles"));
    let bp = tarmac::blueprint::load::load(&source).expect("loads");
    (
        crate::common::file(&compiled, "rollout/READINESS.html").to_owned(),
        bp,
    )
}

/// The pages under test: every shipped blueprint, the hostile fixture, and generated
/// organizations on both sides of the detailed form's limit and at 40 accounts.
fn pages() -> Vec<(String, String, tarmac::blueprint::model::Blueprint)> {
    let mut files: Vec<(String, String)> = crate::common::blueprints()
        .into_iter()
        .chain([crate::common::root().join("tests/fixtures/hostile/markdown.yaml")])
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("readable"),
            )
        })
        .collect();
    for n in [DETAILED_ACCOUNTS, DETAILED_ACCOUNTS + 1, 40] {
        files.push((format!("generate {n}"), crate::common::generated(n)));
    }
    files
        .into_iter()
        .map(|(name, text)| {
            let (html, bp) = page(&name, &text);
            (name, html, bp)
        })
        .collect()
}

/// A box of the SVG: its class, rectangle and name line.
#[derive(Debug)]
struct Box {
    class: String,
    rect: [f64; 4],
    caption: String,
    name: String,
}

fn number(n: Node, attribute: &str) -> f64 {
    n.attribute(attribute)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{attribute} of {n:?}"))
}

fn text_of(g: Node, class: &str) -> String {
    g.children()
        .find(|c| c.has_tag_name("text") && c.attribute("class") == Some(class))
        .and_then(|t| t.text())
        .unwrap_or_default()
        .to_owned()
}

/// The boxes and, by where each arrow starts and ends, the (parent, child) box of each arrow.
fn read_svg(svg: Node) -> (Vec<Box>, Vec<(usize, usize)>) {
    let boxes: Vec<Box> = svg
        .children()
        .filter(|g| g.has_tag_name("g"))
        .map(|g| {
            let r = g
                .children()
                .find(|c| c.has_tag_name("rect"))
                .expect("a box has a rect");
            Box {
                class: g.attribute("class").unwrap_or_default().to_owned(),
                rect: [
                    number(r, "x"),
                    number(r, "y"),
                    number(r, "width"),
                    number(r, "height"),
                ],
                caption: text_of(g, "caption"),
                name: text_of(g, "name"),
            }
        })
        .collect();
    let one = |what: &str, hit: &dyn Fn(&[f64; 4]) -> bool| -> usize {
        let found: Vec<usize> = (0..boxes.len()).filter(|i| hit(&boxes[*i].rect)).collect();
        assert_eq!(found.len(), 1, "{what}: boxes {found:?} of {boxes:#?}");
        found[0]
    };
    let edges = svg
        .children()
        .filter(|p| p.has_tag_name("path") && p.attribute("class") == Some("edge"))
        .map(|p| {
            let d: Vec<&str> = p.attribute("d").unwrap_or_default().split(' ').collect();
            let n = |i: usize| -> f64 { d[i].parse().unwrap_or_else(|_| panic!("{d:?}")) };
            assert_eq!([d[0], d[3], d[5]], ["M", "V", "H"], "{d:?}");
            assert_eq!(p.attribute("marker-end"), Some("url(#arrow)"), "an arrow");
            let (x0, y0, y1, x1) = (n(1), n(2), n(4), n(6));
            // It leaves its parent's bottom edge and points at its child's left edge.
            let parent = one(&format!("start of {d:?}"), &|[x, y, w, h]| {
                y0 == y + h && (*x..=x + w).contains(&x0)
            });
            let child = one(&format!("end of {d:?}"), &|[x, y, _, h]| {
                x1 == *x && (*y..=y + h).contains(&y1)
            });
            (parent, child)
        })
        .collect();
    (boxes, edges)
}

/// What the organization says the diagram is: its boxes as (class, name), and its edges as
/// (parent name, child name).
type Expected = (Vec<(String, String)>, Vec<(String, String)>);

fn expected(bp: &tarmac::blueprint::model::Blueprint) -> Expected {
    let root = format!("root {}", bp.organization.root_id);
    let ou_names: Vec<&str> = bp
        .organizational_units
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    let parent = |name: Option<&str>| match name {
        Some(n) if ou_names.contains(&n) => n.to_owned(),
        _ => root.clone(),
    };
    let mut boxes = vec![
        ("root".to_owned(), root.clone()),
        (
            "management".to_owned(),
            bp.organization.management_account_id.clone(),
        ),
    ];
    let mut edges = vec![(root.clone(), bp.organization.management_account_id.clone())];
    for ou in &bp.organizational_units {
        boxes.push(("ou".into(), ou.name.clone()));
        edges.push((parent(ou.parent.as_deref()), ou.name.clone()));
    }
    if bp.accounts.len() <= DETAILED_ACCOUNTS {
        for a in &bp.accounts {
            boxes.push(("account".into(), a.name.clone()));
            edges.push((parent(Some(&a.ou)), a.name.clone()));
        }
    } else {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for a in &bp.accounts {
            *counts.entry(parent(Some(&a.ou))).or_default() += 1;
        }
        for (parent, n) in counts {
            boxes.push(("accounts".into(), format!("{n} pilot accounts")));
            edges.push((parent, format!("{n} pilot accounts")));
        }
    }
    boxes.sort();
    edges.sort();
    (boxes, edges)
}

fn svg_of<'a>(doc: &'a Document) -> Node<'a, 'a> {
    let svgs: Vec<Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("svg"))
        .collect();
    assert_eq!(svgs.len(), 1, "one SVG");
    svgs[0]
}

#[test]
fn the_svg_draws_the_organization_box_by_box_and_arrow_by_arrow() {
    for (name, html, bp) in pages() {
        let doc = parse(&html);
        let svg = svg_of(&doc);
        assert_eq!(
            svg.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        let (boxes, edges) = read_svg(svg);
        let mut drawn_boxes: Vec<(String, String)> = boxes
            .iter()
            .map(|b| (b.class.clone(), b.name.clone()))
            .collect();
        drawn_boxes.sort();
        let mut drawn_edges: Vec<(String, String)> = edges
            .iter()
            .map(|(p, c)| (boxes[*p].name.clone(), boxes[*c].name.clone()))
            .collect();
        drawn_edges.sort();
        let (want_boxes, want_edges) = expected(&bp);
        assert_eq!(drawn_boxes, want_boxes, "{name}: boxes");
        assert_eq!(drawn_edges, want_edges, "{name}: arrows");
        // Every box but the root has exactly one arrow in: a tree, nothing drawn twice.
        for (i, b) in boxes.iter().enumerate() {
            let into = edges.iter().filter(|(_, c)| *c == i).count();
            assert_eq!(into, usize::from(b.class != "root"), "{name}: {b:?}");
        }
        // Accounts say whether they exist; boxes lie inside the picture and apart.
        for a in bp.accounts.iter().take(DETAILED_ACCOUNTS + 1) {
            if let Some(b) = boxes
                .iter()
                .find(|b| b.class == "account" && b.name == a.name)
            {
                let want =
                    a.id.as_ref()
                        .map_or(String::from("New account"), |id| format!("Account {id}"));
                assert_eq!(b.caption, want, "{name}");
            }
        }
        let (width, height) = (number(svg, "width"), number(svg, "height"));
        for (i, a) in boxes.iter().enumerate() {
            let [x, y, w, h] = a.rect;
            assert!(
                x >= 0.0 && y >= 0.0 && x + w <= width && y + h <= height,
                "{name}: {a:?}"
            );
            for b in &boxes[i + 1..] {
                let [bx, by, bw, bh] = b.rect;
                let apart = x + w <= bx || bx + bw <= x || y + h <= by || by + bh <= y;
                assert!(apart, "{name}: {a:?} overlaps {b:?}");
            }
        }
    }
}

#[test]
fn the_page_is_well_formed_self_contained_and_complete() {
    for (name, html, bp) in pages() {
        let doc = parse(&html);
        for n in doc.descendants().filter(|n| n.is_element()) {
            let tag = n.tag_name().name();
            assert!(ELEMENTS.contains(&tag), "{name}: <{tag}>");
            for a in n.attributes() {
                // No script and nothing to fetch: no handler, no URL but the SVG's own marker.
                assert!(!a.name().starts_with("on"), "{name}: {tag} {}", a.name());
                assert!(
                    !["href", "src", "srcset", "action", "data"].contains(&a.name()),
                    "{name}: {tag} {}",
                    a.name()
                );
                if a.value().contains("url(") {
                    assert_eq!(a.value(), "url(#arrow)", "{name}");
                }
            }
        }
        let csp = doc
            .descendants()
            .find(|n| n.attribute("http-equiv") == Some("Content-Security-Policy"))
            .and_then(|n| n.attribute("content"));
        assert_eq!(
            csp,
            Some("default-src 'none'; style-src 'unsafe-inline'"),
            "{name}"
        );
        let display = bp.display_name.clone().unwrap_or_else(|| bp.client.clone());
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text());
        assert_eq!(
            title,
            Some(format!("Pilot readiness: {display}").as_str()),
            "{name}"
        );
        // Each table, and a checkbox per step of the two checklists, each labelled.
        let table = |class: &str| {
            doc.descendants()
                .find(|n| {
                    n.has_tag_name("table")
                        && n.attribute("class")
                            .is_some_and(|c| c.split(' ').any(|c| c == class))
                })
                .unwrap_or_else(|| panic!("{name}: no table {class}"))
        };
        for class in [
            "decisions",
            "budgets",
            "enforced",
            "prerequisites",
            "manual",
            "deploy",
            "profiles",
        ] {
            let rows = table(class)
                .descendants()
                .filter(|n| n.has_tag_name("tr"))
                .count();
            assert!(rows >= 2, "{name}: table {class} has no rows");
        }
        for class in ["prerequisites", "manual"] {
            let t = table(class);
            let steps = t.descendants().filter(|n| n.has_tag_name("tr")).count() - 1;
            let boxes: Vec<Node> = t
                .descendants()
                .filter(|n| n.has_tag_name("input") && n.attribute("type") == Some("checkbox"))
                .collect();
            assert_eq!(boxes.len(), steps, "{name}: {class}");
            for b in boxes {
                let id = b.attribute("id").expect("an id");
                assert!(
                    t.descendants()
                        .any(|l| l.has_tag_name("label") && l.attribute("for") == Some(id)),
                    "{name}: no label for {id}"
                );
            }
        }
    }
}

/// A cell's text as a reader sees it: every text node below it, joined.
fn cell_text(n: Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

/// The Markdown of READINESS.md as a reader sees it: code spans without their backticks,
/// backslash escapes undone (the shipped blueprints' values hold neither `|` nor backticks).
fn md_text(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '`' => {}
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// The rows of the Markdown table under `## heading`, each cell as text.
fn md_rows(md: &str, heading: &str) -> Vec<Vec<String>> {
    md.split(&format!("\n## {heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("no {heading}"))
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| md_text(c.trim().trim_start_matches("[ ] ")))
                .collect()
        })
        .collect()
}

#[test]
fn the_page_holds_the_facts_of_readiness_md() {
    for path in crate::common::blueprints() {
        let c = compile(&crate::common::source(&path), Targets::All).expect("compiles");
        let md = crate::common::file(&c, "rollout/READINESS.md");
        let html = crate::common::file(&c, "rollout/READINESS.html");
        let doc = parse(html);
        let rows = |class: &str, skip: usize| -> Vec<Vec<String>> {
            doc.descendants()
                .filter(|n| {
                    n.has_tag_name("table")
                        && n.attribute("class").is_some_and(|c| c.ends_with(class))
                })
                .flat_map(|t| t.descendants().filter(|n| n.has_tag_name("tr")).skip(1))
                .map(|tr| {
                    tr.children()
                        .filter(|c| c.has_tag_name("td"))
                        .skip(skip)
                        .map(cell_text)
                        .collect()
                })
                .collect()
        };
        let name = path.display();
        assert_eq!(rows("decisions", 0), md_rows(md, "Decisions"), "{name}");
        assert_eq!(
            rows("prerequisites", 1),
            md_rows(md, "Organization prerequisites"),
            "{name}"
        );
        assert_eq!(
            rows("manual", 1),
            md_rows(md, "Still to do by hand"),
            "{name}"
        );
        assert_eq!(rows("deploy", 0), md_rows(md, "Deploy order"), "{name}");
        assert_eq!(
            rows("profiles", 0),
            md_rows(md, "Developer setup"),
            "{name}"
        );
        let enforced: Vec<String> = md
            .lines()
            .filter_map(|l| l.strip_prefix("- [x] "))
            .map(|l| md_text(&l.replacen("**", "", 2)))
            .collect();
        let shown: Vec<String> = rows("enforced", 1)
            .into_iter()
            .map(|r| r.join(": "))
            .collect();
        assert_eq!(shown, enforced, "{name}");
    }
}

#[test]
fn the_budget_table_covers_every_account_once() {
    for (name, html, bp) in pages() {
        let doc = parse(&html);
        let rows: Vec<Vec<String>> = doc
            .descendants()
            .filter(|n| n.has_tag_name("table") && n.attribute("class") == Some("budgets"))
            .flat_map(|t| t.descendants().filter(|n| n.has_tag_name("tr")).skip(1))
            .map(|tr| {
                tr.children()
                    .filter(|c| c.has_tag_name("td"))
                    .map(cell_text)
                    .collect()
            })
            .collect();
        let amount = |own: Option<f64>, default: f64| own.unwrap_or(default).to_string();
        if bp.accounts.len() <= DETAILED_ACCOUNTS {
            let want: Vec<Vec<String>> = bp
                .accounts
                .iter()
                .map(|a| {
                    vec![
                        a.name.clone(),
                        amount(a.monthly_budget_usd, bp.budgets.account_monthly_usd),
                        amount(a.bedrock_budget_usd, bp.budgets.bedrock_monthly_usd),
                    ]
                })
                .collect();
            assert_eq!(rows, want, "{name}");
        } else {
            let counted: usize = rows
                .iter()
                .map(|r| {
                    r[0].strip_suffix(" accounts")
                        .and_then(|n| n.parse::<usize>().ok())
                        .unwrap_or_else(|| panic!("{name}: {r:?}"))
                })
                .sum();
            assert_eq!(counted, bp.accounts.len(), "{name}");
        }
    }
}
