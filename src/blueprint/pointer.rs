//! JSON pointers into the blueprint, built from its fields and indices rather than formatted by
//! hand: a key is escaped once, here (RFC 6901), and each section's list has one helper, so a
//! check says `Ptr::account(i).field("email")` and cannot drop a segment or a slash. A field
//! name that the blueprint format does not have is caught by `tests/it/pointers.rs`, which
//! holds every `.field("…")` of `src/` to the JSON Schema, and by its exactness test, which
//! holds every emitted pointer to the text it points into.

use std::fmt;

use super::spans::escape;

/// A JSON pointer into the blueprint (`/accounts/1/email`); the root is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ptr(String);

impl Ptr {
    /// The whole blueprint.
    pub fn root() -> Ptr {
        Ptr::default()
    }

    /// The field `name` of the node.
    pub fn field(mut self, name: &str) -> Ptr {
        self.0.push('/');
        self.0.push_str(&escape(name));
        self
    }

    /// Item `i` of the list at the node.
    pub fn index(mut self, i: usize) -> Ptr {
        self.0.push('/');
        self.0.push_str(&i.to_string());
        self
    }

    /// `organizational_units[i]`.
    pub fn ou(i: usize) -> Ptr {
        Ptr::root().field("organizational_units").index(i)
    }

    /// `accounts[i]`.
    pub fn account(i: usize) -> Ptr {
        Ptr::root().field("accounts").index(i)
    }

    /// `identity_center.permission_sets[i]`.
    pub fn permission_set(i: usize) -> Ptr {
        Ptr::root()
            .field("identity_center")
            .field("permission_sets")
            .index(i)
    }

    /// `identity_center.assignments[i]`.
    pub fn assignment(i: usize) -> Ptr {
        Ptr::root()
            .field("identity_center")
            .field("assignments")
            .index(i)
    }

    /// `networks[i]`.
    pub fn network(i: usize) -> Ptr {
        Ptr::root().field("networks").index(i)
    }

    /// `bedrock.mantle_projects[i]`.
    pub fn mantle_project(i: usize) -> Ptr {
        Ptr::root()
            .field("bedrock")
            .field("mantle_projects")
            .index(i)
    }

    /// `bedrock.cross_border_inference.regions[i]`.
    pub fn cross_border_region(i: usize) -> Ptr {
        Ptr::root()
            .field("bedrock")
            .field("cross_border_inference")
            .field("regions")
            .index(i)
    }

    /// Item `i` of the list at `section.list` (`bedrock.regions[i]`).
    pub fn item(section: &str, list: &str, i: usize) -> Ptr {
        Ptr::root().field(section).field(list).index(i)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ptr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Ptr> for String {
    fn from(p: Ptr) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_built_segment_by_segment_and_escaped() {
        assert_eq!(Ptr::root().as_str(), "");
        assert_eq!(Ptr::account(1).field("email").as_str(), "/accounts/1/email");
        assert_eq!(
            Ptr::assignment(0).field("accounts").index(2).as_str(),
            "/identity_center/assignments/0/accounts/2"
        );
        assert_eq!(
            Ptr::root().field("tags").field("a/b~c").as_str(),
            "/tags/a~1b~0c"
        );
        assert_eq!(
            Ptr::item("bedrock", "regions", 3).to_string(),
            "/bedrock/regions/3"
        );
    }
}
