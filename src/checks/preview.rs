//! Preview models need an explicit, recorded decision (`bedrock.preview: acknowledged`).

use crate::blueprint::pointer::Ptr;
use crate::blueprint::Blueprint;
use crate::catalog::Catalog;
use crate::codes;
use crate::diagnostics::Diagnostic;

pub fn check(bp: &Blueprint, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    if bp.bedrock.preview.is_some() {
        return;
    }
    for (i, id) in bp.bedrock.mantle_models.iter().enumerate() {
        if catalog.mantle_model(id).is_some_and(|m| m.preview) {
            out.push(
                Diagnostic::error(
                    codes::PREVIEW_NOT_ACKNOWLEDGED,
                    Ptr::item("bedrock", "mantle_models", i).to_string(),
                    format!("`{id}` is a preview model"),
                )
                .with_label("preview: may change or disappear without notice")
                .with_help(
                    "add `preview: acknowledged` under `bedrock:` to approve preview models as a \
recorded decision, or remove this model",
                ),
            );
        }
    }
}
