//! The JSON tree every synthesized document is built as, and its two text forms.
//!
//! Templates were first built as `serde_json::Value`. Its objects are `IndexMap`s hashed with
//! SipHash, its keys owned strings, and a `json!` value embedded in another is copied through
//! serde: at a thousand accounts, hashing and those copies were a large part of the synth
//! (docs/performance.md). The
//! emitters build documents once, in order, and write them once, so an object here is a list of
//! entries whose keys are mostly `&'static str`, a value is moved in, and a StackSet's body can be
//! kept as the string literal it will be written as ([`Json::Raw`]).
//!
//! The text is byte for byte what `serde_json` writes (`to_writer_pretty`, `to_writer`): two-space
//! indentation, `": "` after keys, `{}` and `[]` when empty, the same escapes. The tests below
//! compare the two; the snapshots of the shipped blueprints, written by serde_json before, did not
//! change.

use std::borrow::Cow;
use std::sync::Arc;

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    /// A finite number with a fraction; see [`number`].
    Float(f64),
    Str(String),
    /// JSON text written as it is: a string literal, quotes and escapes included (a StackSet's
    /// body or a Terraform policy, escaped once when it is made).
    Raw(Arc<str>),
    Arr(Vec<Json>),
    Obj(Obj),
}

/// An object: entries in insertion order. Keys are not hashed: every emitter inserts each key
/// once, and lookups are only made in objects of a few entries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Obj(Vec<(Cow<'static, str>, Json)>);

impl Obj {
    pub fn new() -> Obj {
        Obj(Vec::new())
    }

    /// Appends an entry. The key must not be in the object yet (checked in debug builds): the
    /// emitters' keys are property names and unique resource names.
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<Json>) {
        let key = key.into();
        debug_assert!(!self.contains_key(&key), "duplicate key {key}");
        self.0.push((key, value.into()));
    }

    /// Sets `key` to `value`: in place if the key is there, appended if not. For small objects
    /// whose keys come from the blueprint (a linear search).
    pub fn set(&mut self, key: &str, value: Json) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((Cow::Owned(key.to_owned()), value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The object under `key`, inserted empty if the key is new.
    pub fn object(&mut self, key: &str) -> &mut Obj {
        let at = match self.0.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                self.0
                    .push((Cow::Owned(key.to_owned()), Json::Obj(Obj::new())));
                self.0.len() - 1
            }
        };
        match &mut self.0[at].1 {
            Json::Obj(o) => o,
            other => panic!("`{key}` holds {other:?}, not an object"),
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn into_entries(self) -> impl Iterator<Item = (Cow<'static, str>, Json)> {
        self.0.into_iter()
    }
}

impl Json {
    /// Appends an entry to an object (one built by `json!({...})`); see [`Obj::insert`].
    pub fn insert(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<Json>) {
        match self {
            Json::Obj(o) => o.insert(key, value),
            other => panic!("insert into {other:?}, not an object"),
        }
    }

    /// The value under `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(o) => o.get(key),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Obj> {
        match self {
            Json::Obj(o) => Some(o),
            _ => None,
        }
    }

    /// Pretty text: what `serde_json::to_writer_pretty` writes.
    pub fn write_pretty(&self, out: &mut Vec<u8>) {
        pretty(self, out, 0);
    }

    /// Compact text: what `serde_json::to_writer` writes.
    pub fn write_compact(&self, out: &mut Vec<u8>) {
        compact(self, out, Layer::Text);
    }
}

/// Where compact text goes: into a document as it is, or into a JSON string literal (a StackSet
/// holds its member template so), every quote and backslash of it escaped once more.
#[derive(Clone, Copy, PartialEq)]
enum Layer {
    Text,
    InString,
}

/// Compact text, in one pass whatever the layer. The compact text has no control characters, so
/// in a string it only gains a backslash before each quote and backslash.
fn compact(v: &Json, out: &mut Vec<u8>, layer: Layer) {
    let string = |out: &mut Vec<u8>, s: &str| match layer {
        Layer::Text => write_str(out, s),
        Layer::InString => {
            out.extend_from_slice(b"\\\"");
            write_contents(out, s, &ESCAPE_TWICE);
            out.extend_from_slice(b"\\\"");
        }
    };
    match v {
        Json::Arr(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                compact(item, out, layer);
            }
            out.push(b']');
        }
        Json::Obj(o) => {
            out.push(b'{');
            for (i, (k, v)) in o.0.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(out, k);
                out.push(b':');
                compact(v, out, layer);
            }
            out.push(b'}');
        }
        Json::Str(s) => string(out, s),
        // A literal's own quotes and backslashes, escaped once more.
        Json::Raw(text) if layer == Layer::InString => write_contents(out, text, &ESCAPE_QUOTES),
        scalar => write_scalar(scalar, out),
    }
}

/// The compact text of `v` as a JSON string literal, quotes included, written in one pass: what a
/// StackSet's body or a Terraform policy argument holds.
pub fn compact_literal(v: &Json) -> Arc<str> {
    let mut out = vec![b'"'];
    compact(v, &mut out, Layer::InString);
    out.push(b'"');
    String::from_utf8(out).expect("escaping keeps UTF-8").into()
}

fn pretty(v: &Json, out: &mut Vec<u8>, depth: usize) {
    match v {
        Json::Arr(items) if !items.is_empty() => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                indent(out, depth + 1);
                pretty(item, out, depth + 1);
            }
            out.push(b'\n');
            indent(out, depth);
            out.push(b']');
        }
        Json::Obj(o) if !o.is_empty() => {
            out.push(b'{');
            for (i, (k, v)) in o.0.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                indent(out, depth + 1);
                write_str(out, k);
                out.extend_from_slice(b": ");
                pretty(v, out, depth + 1);
            }
            out.push(b'\n');
            indent(out, depth);
            out.push(b'}');
        }
        Json::Arr(_) => out.extend_from_slice(b"[]"),
        Json::Obj(_) => out.extend_from_slice(b"{}"),
        scalar => write_scalar(scalar, out),
    }
}

fn indent(out: &mut Vec<u8>, depth: usize) {
    const SPACES: &[u8; 64] = &[b' '; 64];
    let mut n = 2 * depth;
    while n > 0 {
        let step = n.min(SPACES.len());
        out.extend_from_slice(&SPACES[..step]);
        n -= step;
    }
}

fn write_scalar(v: &Json, out: &mut Vec<u8>) {
    match v {
        Json::Null => out.extend_from_slice(b"null"),
        Json::Bool(true) => out.extend_from_slice(b"true"),
        Json::Bool(false) => out.extend_from_slice(b"false"),
        Json::Int(n) => out.extend_from_slice(n.to_string().as_bytes()),
        // serde_json's own float form (shortest round trip), so the two never disagree.
        Json::Float(n) => serde_json::to_writer(out, n).expect("a finite number serializes"),
        Json::Str(s) => write_str(out, s),
        Json::Raw(text) => out.extend_from_slice(text.as_bytes()),
        Json::Arr(_) | Json::Obj(_) => unreachable!("containers are written by the caller"),
    }
}

/// `s` as a JSON string literal, escaped as serde_json escapes: `"`, `\` and control characters
/// (`\b \t \n \f \r` by name, the rest as `\u00XX`); everything else, non-ASCII included, as is.
fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    write_contents(out, s, &ESCAPE);
    out.push(b'"');
}

/// `s` with each byte that `table` escapes replaced by its escape.
///
/// Most of the text tarmac writes is plain, so plain runs are found eight bytes at a time and
/// copied whole; escaping was an eighth of a large synth.
fn write_contents(out: &mut Vec<u8>, s: &str, table: &Escapes) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if !needs_escape(word) {
                i += 8;
                continue;
            }
        }
        let escape = table[usize::from(bytes[i])];
        if !escape.is_empty() {
            out.extend_from_slice(&bytes[start..i]);
            out.extend_from_slice(escape);
            start = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// For each byte, what replaces it (nothing: the byte is written as is).
type Escapes = [&'static [u8]; 256];

/// serde_json's escapes.
static ESCAPE: Escapes = escapes(false);

/// The escape of each byte, escaped again: `\\n` for a newline, `\\\"` for a quote.
static ESCAPE_TWICE: Escapes = escapes(true);

/// Only quotes and backslashes, escaped: what escaping a JSON literal once more changes.
static ESCAPE_QUOTES: Escapes = {
    let mut table: Escapes = [b""; 256];
    table[b'"' as usize] = b"\\\"";
    table[b'\\' as usize] = b"\\\\";
    table
};

const fn escapes(twice: bool) -> Escapes {
    const UNICODE: [&[u8]; 32] = [
        b"\\u0000", b"\\u0001", b"\\u0002", b"\\u0003", b"\\u0004", b"\\u0005", b"\\u0006",
        b"\\u0007", b"\\b", b"\\t", b"\\n", b"\\u000b", b"\\f", b"\\r", b"\\u000e", b"\\u000f",
        b"\\u0010", b"\\u0011", b"\\u0012", b"\\u0013", b"\\u0014", b"\\u0015", b"\\u0016",
        b"\\u0017", b"\\u0018", b"\\u0019", b"\\u001a", b"\\u001b", b"\\u001c", b"\\u001d",
        b"\\u001e", b"\\u001f",
    ];
    const UNICODE_TWICE: [&[u8]; 32] = [
        b"\\\\u0000",
        b"\\\\u0001",
        b"\\\\u0002",
        b"\\\\u0003",
        b"\\\\u0004",
        b"\\\\u0005",
        b"\\\\u0006",
        b"\\\\u0007",
        b"\\\\b",
        b"\\\\t",
        b"\\\\n",
        b"\\\\u000b",
        b"\\\\f",
        b"\\\\r",
        b"\\\\u000e",
        b"\\\\u000f",
        b"\\\\u0010",
        b"\\\\u0011",
        b"\\\\u0012",
        b"\\\\u0013",
        b"\\\\u0014",
        b"\\\\u0015",
        b"\\\\u0016",
        b"\\\\u0017",
        b"\\\\u0018",
        b"\\\\u0019",
        b"\\\\u001a",
        b"\\\\u001b",
        b"\\\\u001c",
        b"\\\\u001d",
        b"\\\\u001e",
        b"\\\\u001f",
    ];
    let mut table: Escapes = [b""; 256];
    let mut b = 0;
    while b < 32 {
        table[b] = if twice { UNICODE_TWICE[b] } else { UNICODE[b] };
        b += 1;
    }
    if twice {
        table[b'"' as usize] = b"\\\\\\\"";
        table[b'\\' as usize] = b"\\\\\\\\";
    } else {
        table[b'"' as usize] = b"\\\"";
        table[b'\\' as usize] = b"\\\\";
    }
    table
}

/// Whether any of the eight bytes of `word` is a quote, a backslash or a control character.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte that is zero in `v` (and, as a false positive only above a
    // zero byte, of a 0x01 byte: harmless, it only sends the word down the byte-wise path).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    // Bytes below 0x20: subtracting 0x20 borrows into their high bit, which was clear.
    let control = word.wrapping_sub(0x20 * ONES) & !word & HIGH;
    (zero(word ^ (u64::from(b'"') * ONES)) | zero(word ^ (u64::from(b'\\') * ONES)) | control) != 0
}

/// A number in a form both targets read back unchanged: integers without a fraction.
pub fn number(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Json::Int(n as i64)
    } else {
        Json::Float(n)
    }
}

/// The number as a string, as budgets take their amounts.
pub fn number_text(n: f64) -> String {
    let mut out = Vec::new();
    write_scalar(&number(n), &mut out);
    String::from_utf8(out).expect("numbers are ASCII")
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::Str(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::Str(s)
    }
}

impl From<&String> for Json {
    fn from(s: &String) -> Json {
        Json::Str(s.clone())
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

macro_rules! from_integer {
    ($($t:ty)*) => {$(
        impl From<$t> for Json {
            fn from(n: $t) -> Json {
                Json::Int(i64::from(n))
            }
        }
    )*};
}
from_integer!(i32 i64 u16 u32);

/// Entries in the iterator's order; keys must be distinct, as for [`Obj::insert`].
impl<K: Into<Cow<'static, str>>> FromIterator<(K, Json)> for Obj {
    fn from_iter<I: IntoIterator<Item = (K, Json)>>(entries: I) -> Obj {
        let mut o = Obj::new();
        for (k, v) in entries {
            o.insert(k, v);
        }
        o
    }
}

impl From<Obj> for Json {
    fn from(o: Obj) -> Json {
        Json::Obj(o)
    }
}

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(items: Vec<T>) -> Json {
        Json::Arr(items.into_iter().map(Into::into).collect())
    }
}

impl From<&[String]> for Json {
    fn from(items: &[String]) -> Json {
        Json::Arr(items.iter().map(Json::from).collect())
    }
}

impl From<&Vec<String>> for Json {
    fn from(items: &Vec<String>) -> Json {
        Json::from(items.as_slice())
    }
}

/// Through serde, for tests and tools that compare with `serde_json` values.
impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Int(n) => s.serialize_i64(*n),
            Json::Float(n) => s.serialize_f64(*n),
            Json::Str(text) => s.serialize_str(text),
            Json::Raw(text) => {
                let parsed: String = serde_json::from_str(text).map_err(S::Error::custom)?;
                s.serialize_str(&parsed)
            }
            Json::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Obj(o) => o.serialize(s),
        }
    }
}

impl serde::Serialize for Obj {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `serde_json::json!`'s syntax, building a [`Json`]: values are moved in with `Json::from`
/// rather than copied through serde. Keys are literals; a value is `null`, a nested `{...}` or
/// `[...]`, or any expression.
macro_rules! json {
    (null) => { $crate::json::Json::Null };
    ({}) => { $crate::json::Json::Obj($crate::json::Obj::new()) };
    ({ $($tt:tt)+ }) => {{
        let mut object = $crate::json::Obj::new();
        $crate::json::json!(@object object ($($tt)+));
        $crate::json::Json::Obj(object)
    }};
    ([]) => { $crate::json::Json::Arr(Vec::new()) };
    ([ $($tt:tt)+ ]) => {
        $crate::json::Json::Arr($crate::json::json!(@array [] $($tt)+))
    };
    (@object $o:ident ()) => {};
    (@object $o:ident ($key:literal : null $(, $($rest:tt)*)?)) => {
        $o.insert($key, $crate::json::Json::Null);
        $crate::json::json!(@object $o ($($($rest)*)?));
    };
    (@object $o:ident ($key:literal : { $($v:tt)* } $(, $($rest:tt)*)?)) => {
        $o.insert($key, $crate::json::json!({ $($v)* }));
        $crate::json::json!(@object $o ($($($rest)*)?));
    };
    (@object $o:ident ($key:literal : [ $($v:tt)* ] $(, $($rest:tt)*)?)) => {
        $o.insert($key, $crate::json::json!([ $($v)* ]));
        $crate::json::json!(@object $o ($($($rest)*)?));
    };
    (@object $o:ident ($key:literal : $v:expr $(, $($rest:tt)*)?)) => {
        $o.insert($key, $crate::json::Json::from($v));
        $crate::json::json!(@object $o ($($($rest)*)?));
    };
    // Elements are gathered as expressions, then put in one `vec![]`.
    (@array [$($elems:expr,)*]) => { vec![$($elems,)*] };
    (@array [$($elems:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::json::json!(@array [$($elems,)* $crate::json::Json::Null,] $($($rest)*)?)
    };
    (@array [$($elems:expr,)*] { $($v:tt)* } $(, $($rest:tt)*)?) => {
        $crate::json::json!(@array [$($elems,)* $crate::json::json!({ $($v)* }),] $($($rest)*)?)
    };
    (@array [$($elems:expr,)*] [ $($v:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::json::json!(@array [$($elems,)* $crate::json::json!([ $($v)* ]),] $($($rest)*)?)
    };
    (@array [$($elems:expr,)*] $v:expr $(, $($rest:tt)*)?) => {
        $crate::json::json!(@array [$($elems,)* $crate::json::Json::from($v),] $($($rest)*)?)
    };
    ($other:expr) => { $crate::json::Json::from($other) };
}
pub(crate) use json;

#[cfg(test)]
mod tests {
    use super::*;

    /// Both text forms against serde_json's, on values with every kind of scalar, nesting,
    /// empty containers and every class of character that needs escaping.
    #[test]
    fn text_is_what_serde_json_writes() {
        let awkward: String = (0u8..0x80).map(char::from).collect::<String>() + "é ✓ 🚀 \u{2028}";
        let v = json!({
            "null": null,
            "bools": [true, false],
            "ints": [0, -1, i64::MAX, i64::MIN],
            "floats": [number(0.5), number(1e20), number(-2.25), number(12.0)],
            "text": awkward.as_str(),
            "empty": { "object": {}, "array": [] },
            "nested": [[[]], [{ "a": [1, { "b": "c" }] }]],
            "raw": Json::Raw("\"already \\\"escaped\\\"\"".into())
        });
        let expected = serde_json::to_value(&v).unwrap();
        let mut pretty_text = Vec::new();
        v.write_pretty(&mut pretty_text);
        assert_eq!(
            String::from_utf8(pretty_text).unwrap(),
            serde_json::to_string_pretty(&expected).unwrap()
        );
        let mut compact = Vec::new();
        v.write_compact(&mut compact);
        assert_eq!(
            String::from_utf8(compact).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
        assert_eq!(
            &*compact_literal(&v),
            serde_json::to_string(&serde_json::to_string(&expected).unwrap()).unwrap()
        );
        assert_eq!(number_text(1e20), serde_json::to_string(&1e20).unwrap());
        assert_eq!(number_text(250.0), "250");
    }

    /// Escapes found wherever they fall in or across the eight-byte words.
    #[test]
    fn escapes_at_every_offset() {
        for special in ["\"", "\\", "\n", "\u{1f}", "\u{0}", "é", "\u{7f}"] {
            for before in 0..20 {
                for after in [0, 1, 7, 8, 9] {
                    let text = format!("{}{special}{}", "a".repeat(before), "b".repeat(after));
                    let mut out = Vec::new();
                    write_str(&mut out, &text);
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        serde_json::to_string(&text).unwrap()
                    );
                }
            }
        }
    }

    #[test]
    fn object_keeps_insertion_order_and_finds_nested_objects() {
        let mut o = Obj::new();
        o.insert("z", 1);
        o.insert(String::from("a"), "x");
        o.object("m").insert("k", true);
        o.object("m").insert("l", false);
        assert_eq!(
            o.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["z", "a", "m"]
        );
        assert_eq!(
            o.get("m").and_then(|m| m.get("l")),
            Some(&Json::Bool(false))
        );
        assert_eq!(o.len(), 3);
    }
}
