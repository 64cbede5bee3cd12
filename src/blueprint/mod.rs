//! What the user writes: the blueprint model, its JSON Schema, and loading with positions.

pub mod compose;
pub mod load;
pub mod model;
pub mod pointer;
pub mod scaffold;
pub mod schema;
pub mod spans;

pub use model::*;
