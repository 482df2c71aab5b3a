//! JSON Schemas of every record kind and of site.yaml, for editors (yaml-language-server, as in
//! VS Code's YAML extension) and other validators. They are generated from the very types the
//! loader deserialises, with their doc comments as descriptions, so they cannot drift from the
//! record format. Draft 7, which every editor's validator reads.
//!
//! A schema checks the shape of one file: keys, types, allowed values, date and id patterns.
//! What needs the whole register (references, the framework's rules) is `oversight check`'s.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::{Value, json};

use crate::config::SiteConfig;
use crate::{Meeting, Organisation, Page, Paper, PaperDetails, SupportPackage, Undertaking};

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
    let mut site = schema_of::<SiteConfig>("content/site.yaml: the register's settings");
    if let Some(rules) = site.pointer_mut("/properties/rules") {
        rules["propertyNames"] = json!({ "enum": rule_keys });
    }
    vec![
        file("site", "content/site.yaml", &["content/site.yaml"], site),
        file(
            "organisation",
            "An organisation",
            &["content/organisations/*.yaml", "content/organisations/*.yml"],
            schema_of::<Organisation>("content/organisations/<id>.yaml: an organisation"),
        ),
        file(
            "support",
            "A support package",
            &["content/support/*.yaml", "content/support/*.yml"],
            schema_of::<SupportPackage>("content/support/<id>.yaml: a support package"),
        ),
        file(
            "undertaking",
            "Enforcement undertakings",
            &["content/undertakings/*.yaml", "content/undertakings/*.yml"],
            schema_of::<Undertaking>("content/undertakings/<id>.yaml: enforcement undertakings"),
        ),
        file(
            "meeting",
            "A board meeting",
            &["content/meetings/*.yaml", "content/meetings/*.yml"],
            schema_of::<Meeting>("content/meetings/<id>.yaml: a board meeting"),
        ),
        file("page", "A narrative page's front matter", &[], schema_of::<Page>("content/pages/**/*.md: front matter")),
        file("paper", "A board paper's front matter", &[], schema_of::<Paper>("content/papers/<id>.md: front matter")),
        file(
            "paper-details",
            "The cover fields of a PDF or Word paper",
            &["content/papers/*.yaml", "content/papers/*.yml"],
            schema_of::<PaperDetails>("content/papers/<id>.yaml: the cover fields of a PDF or Word paper"),
        ),
    ]
}

fn file(name: &'static str, title: &'static str, files: &'static [&'static str], schema: Value) -> SchemaFile {
    SchemaFile { name, title, files, schema }
}

/// The draft-7 schema of `T`, titled.
fn schema_of<T: JsonSchema>(title: &str) -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema: Schema = generator.into_root_schema_for::<T>();
    schema.insert("title".into(), Value::from(title));
    schema.to_value()
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
