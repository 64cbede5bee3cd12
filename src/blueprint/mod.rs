//! What the user writes: the blueprint model, its JSON Schema, and loading with positions.

pub mod load;
pub mod model;
pub mod schema;
pub mod spans;

pub use model::*;
