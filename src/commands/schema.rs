//! `oversight schema`: the JSON Schemas of site.yaml and every record kind, written to a folder.

use std::path::Path;

use super::{Failure, Outcome};
use crate::cli::SchemaArgs;
use oversight_model::{SchemaFile, schemas};

pub fn run(args: &SchemaArgs) -> Result<Outcome, Failure> {
    let files = all();
    write(&args.output, &files)?;
    crate::say!("wrote {} schemas into {}", files.len(), args.output.display());
    Ok(Outcome::Success)
}

/// Every schema, with the rule keys `rules:` in site.yaml accepts: each re-levellable rule's
/// code and name.
pub fn all() -> Vec<SchemaFile> {
    let configurable = oversight_rules::CATALOGUE.iter().map(|r| &r.code).filter(|c| c.configurable);
    let keys: Vec<&str> = configurable.flat_map(|c| [c.code, c.name]).collect();
    schemas(&keys)
}

/// Writes the schemas into `dir`, making it if need be.
pub fn write(dir: &Path, files: &[SchemaFile]) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure(format!("cannot write {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    for file in files {
        std::fs::write(dir.join(file.file_name()), file.to_json()).map_err(fail)?;
    }
    Ok(())
}

/// The `.vscode/settings.json` that maps each schema in `dir` (relative to the site folder, as
/// VS Code's YAML extension wants it) to the files it describes.
pub fn vscode_settings(files: &[SchemaFile], dir: &str) -> String {
    let mut map = serde_json::Map::new();
    for file in files.iter().filter(|f| !f.files.is_empty()) {
        let globs: Vec<&str> = file.files.to_vec();
        map.insert(format!("./{dir}/{}", file.file_name()), serde_json::json!(globs));
    }
    let settings = serde_json::json!({ "yaml.schemas": map });
    let mut text = serde_json::to_string_pretty(&settings).expect("settings serialise");
    text.push('\n');
    text
}
