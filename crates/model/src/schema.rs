//! JSON Schemas of every record kind and of site.yaml, for editors (yaml-language-server, as in
//! VS Code's YAML extension) and other validators. They are generated from the very types the
//! loader deserialises, with their doc comments as descriptions, so they cannot drift from the
//! record format. Draft 7, which every editor's validator reads.
//!
//! A schema checks the shape of one file: keys, types, allowed values, date and id patterns.
//! What needs the whole register (references, the framework's rules) is `oversight check`'s.

use serde_json::{Value, json};

use crate::kinds::{KINDS, RecordKind};

/// One schema: its file name, what it describes, the files it applies to (globs relative to
/// the site folder; none for Markdown front matter, which editors do not validate), and the
/// schema itself.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    pub name: &'static str,
    pub title: &'static str,
    pub files: &'static [&'static str],
    pub schema: Value,
}

/// The schemas of site.yaml and every record kind. `rule_keys` are the codes and names that
/// `rules:` in site.yaml may re-level (the rule catalogue is oversight-rules', above this
/// crate), so an editor completes them and flags a misspelt one.
pub fn schemas(rule_keys: &[&str]) -> Vec<SchemaFile> {
    KINDS
        .iter()
        .filter_map(|kind| Some((kind.kind, kind.schema?)))
        .map(|(kind, spec)| {
            let mut schema = (spec.make)(spec.description);
            if kind == RecordKind::Site
                && let Some(rules) = schema.pointer_mut("/properties/rules")
            {
                rules["propertyNames"] = json!({ "enum": rule_keys });
            }
            SchemaFile { name: spec.name, title: spec.title, files: spec.files, schema }
        })
        .collect()
}

impl SchemaFile {
    /// The file name the schema is written to: `organisation.schema.json`.
    pub fn file_name(&self) -> String {
        format!("{}.schema.json", self.name)
    }

    /// The schema as a file: pretty JSON ending in a new line.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.schema).expect("a schema serialises");
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_follow_the_loader_types() {
        let all = schemas(&["OVS210", "no-improvement-director"]);
        let org = &all.iter().find(|s| s.name == "organisation").unwrap().schema;
        // deny_unknown_fields → no other keys; serde's renames are the keys records write.
        assert_eq!(org["additionalProperties"], json!(false));
        assert!(org["properties"]["type"].is_object());
        assert!(org["properties"].get("org_type").is_none());
        assert!(org["properties"].get("file").is_none(), "skipped fields are not keys");
        let required: Vec<&str> = org["required"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        assert_eq!(required, ["name", "type", "region"]);
        let regions = &org["definitions"]["Region"]["enum"];
        assert!(regions.as_array().unwrap().contains(&json!("north-east-and-yorkshire")), "{regions}");
        let site = &all.iter().find(|s| s.name == "site").unwrap().schema;
        assert_eq!(site["properties"]["rules"]["propertyNames"]["enum"][0], "OVS210");
        assert!(site["properties"]["title"]["description"].as_str().unwrap().contains("register's name"));
    }
}
