//! Where each value of a blueprint sits in its source text.
//!
//! serde forgets positions once a value is deserialized, yet every diagnostic must point at the
//! line and column that caused it, including those found long after parsing (an unknown model, a
//! dangling OU name). So the loader walks the YAML event stream once and records, for every JSON
//! pointer (`/accounts/1/email`), the span of its key and of its value. Checks then speak in
//! pointers, which are easy to build, and the renderer turns them into spans.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, Span};

/// A byte range in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSpan {
    pub offset: usize,
    pub len: usize,
}

/// The key and value spans of one node.
#[derive(Debug, Clone, Copy)]
struct Node {
    key: Option<ByteSpan>,
    value: ByteSpan,
}

/// Spans of every node of a YAML document, by JSON pointer.
#[derive(Debug, Default)]
pub struct SpanIndex {
    nodes: HashMap<String, Node>,
    /// Keys given twice in one mapping (the later occurrence), which YAML parsers would
    /// otherwise resolve silently by keeping one of the values.
    pub duplicates: Vec<(String, ByteSpan)>,
}

/// What the walker is inside of.
enum Frame {
    Mapping {
        path: String,
        pending_key: Option<(String, ByteSpan)>,
        keys: HashSet<String>,
    },
    Sequence {
        path: String,
        next: usize,
    },
}

impl SpanIndex {
    /// Indexes `text`. A text that does not parse yields the nodes seen before the error; the
    /// parse error itself is reported by the deserializer, which has its own position for it.
    pub fn build(text: &str) -> SpanIndex {
        let offsets = CharOffsets::new(text);
        let mut index = SpanIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            let span = offsets.span(span);
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Mapping {
                        path,
                        pending_key,
                        keys,
                    }) = stack.last_mut()
                    {
                        if pending_key.is_none() {
                            let child = format!("{path}/{}", escape(&value));
                            if !keys.insert(value.to_string()) {
                                index.duplicates.push((child.clone(), span));
                            }
                            *pending_key = Some((child, span));
                            continue;
                        }
                    }
                    index.place(&mut stack, span);
                }
                Event::Alias(_) => {
                    index.place(&mut stack, span);
                }
                Event::MappingStart(..) => {
                    let path = index.place(&mut stack, span);
                    stack.push(Frame::Mapping {
                        path,
                        pending_key: None,
                        keys: HashSet::new(),
                    });
                }
                Event::SequenceStart(..) => {
                    let path = index.place(&mut stack, span);
                    stack.push(Frame::Sequence { path, next: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                _ => {}
            }
        }
        index
    }

    /// Records a value at the current position and returns its pointer.
    fn place(&mut self, stack: &mut [Frame], value: ByteSpan) -> String {
        let (path, key) = match stack.last_mut() {
            None => (String::new(), None),
            Some(Frame::Sequence { path, next }) => {
                *next += 1;
                (format!("{path}/{}", *next - 1), None)
            }
            Some(Frame::Mapping { pending_key, .. }) => match pending_key.take() {
                Some((path, key)) => (path, Some(key)),
                // A complex (non-scalar) key: nothing in a blueprint uses one.
                None => (String::from("/?"), None),
            },
        };
        self.nodes
            .entry(path.clone())
            .or_insert(Node { key, value });
        path
    }

    /// The span of the value at `pointer`, or of its nearest indexed ancestor.
    pub fn value(&self, pointer: &str) -> Option<ByteSpan> {
        self.nearest(pointer).map(|n| n.value)
    }

    /// The span of the key at `pointer` (the value's for array items), or of its nearest
    /// indexed ancestor.
    pub fn key(&self, pointer: &str) -> Option<ByteSpan> {
        self.nearest(pointer).map(|n| n.key.unwrap_or(n.value))
    }

    /// Whether the text itself has a node at `pointer` (not just an ancestor of it): whether a
    /// field with a default was set.
    pub fn contains(&self, pointer: &str) -> bool {
        self.nodes.contains_key(pointer)
    }

    fn nearest(&self, pointer: &str) -> Option<&Node> {
        let mut p = pointer;
        loop {
            if let Some(node) = self.nodes.get(p) {
                return Some(node);
            }
            if p.is_empty() {
                return None;
            }
            p = &p[..p.rfind('/').unwrap_or(0)];
        }
    }
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Converts the parser's character indices to byte offsets.
struct CharOffsets<'a> {
    text: &'a str,
    /// Byte offset of every character; empty when the text is ASCII and they coincide.
    table: Vec<usize>,
}

impl<'a> CharOffsets<'a> {
    fn new(text: &'a str) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        CharOffsets { text, table }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.text.len())
        } else {
            self.table
                .get(char_index)
                .copied()
                .unwrap_or(self.text.len())
        }
    }

    /// A span limited to its first line, so that a label on a whole mapping underlines its
    /// opening line rather than the block.
    fn span(&self, span: Span) -> ByteSpan {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        let line_end = self.text[start..end].find('\n').map_or(end, |i| start + i);
        ByteSpan {
            offset: start,
            len: line_end - start,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "client: acme\naccounts:\n  - name: pilot\n    email: a@b.c\n  - name: two\n";

    fn line_col(text: &str, span: ByteSpan) -> (usize, usize) {
        let before = &text[..span.offset];
        let line = before.matches('\n').count() + 1;
        let col = span.offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, col)
    }

    #[test]
    fn keys_and_values_of_nested_nodes() {
        let index = SpanIndex::build(DOC);
        assert_eq!(
            line_col(DOC, index.key("/accounts/0/email").unwrap()),
            (4, 5)
        );
        let value = index.value("/accounts/0/email").unwrap();
        assert_eq!(&DOC[value.offset..value.offset + value.len], "a@b.c");
        assert_eq!(
            line_col(DOC, index.value("/accounts/1/name").unwrap()),
            (5, 11)
        );
    }

    #[test]
    fn unknown_pointers_fall_back_to_the_nearest_ancestor() {
        let index = SpanIndex::build(DOC);
        assert_eq!(index.key("/accounts/1/nope"), index.key("/accounts/1"));
        assert_eq!(line_col(DOC, index.key("/accounts/5").unwrap()), (2, 1));
    }

    #[test]
    fn duplicate_keys_are_recorded() {
        let text = "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n";
        let index = SpanIndex::build(text);
        let found: Vec<&str> = index.duplicates.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(found, vec!["/b/c", "/a"]);
    }

    #[test]
    fn multibyte_text_maps_to_byte_offsets() {
        let text = "client: \"café\"\nother: x\n";
        let index = SpanIndex::build(text);
        let v = index.value("/other").unwrap();
        assert_eq!(&text[v.offset..v.offset + v.len], "x");
    }
}
