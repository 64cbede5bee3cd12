//! Terraform JSON emitter (being written).

use super::Emitted;
use crate::plan::Plan;

pub fn emit(_plan: &Plan) -> Emitted {
    Emitted::default()
}
