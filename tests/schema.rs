//! `oversight schema`: the JSON Schemas, checked with an independent validator (the
//! `jsonschema` crate) against every file of the example register, and against broken records.
//! YAML is read here with yaml-rust2, not the loader's parser, so the test does not share the
//! loader's idea of YAML.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};
use yaml_rust2::{Yaml, YamlLoader};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes the schemas with the binary and compiles each into a validator, by name.
fn validators(dir: &Path) -> Vec<(String, jsonschema::Validator)> {
    let out = Command::new(env!("CARGO_BIN_EXE_oversight")).args(["schema", "--output"]).arg(dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().trim_end_matches(".schema.json").to_string();
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#", "{name}");
        jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"));
        all.push((name, jsonschema::validator_for(&schema).unwrap()));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// YAML as JSON, the way yaml-language-server sees it (YAML 1.2: dates stay strings).
fn to_json(yaml: &Yaml) -> Value {
    match yaml {
        Yaml::Real(r) => r.parse::<f64>().map_or(Value::String(r.clone()), Value::from),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::String(s) => Value::from(s.as_str()),
        Yaml::Boolean(b) => Value::from(*b),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => {
            let mut object = Map::new();
            for (k, v) in map {
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    other => panic!("unexpected key {other:?}"),
                };
                object.insert(key, to_json(v));
            }
            Value::Object(object)
        }
        Yaml::Null => Value::Null,
        other => panic!("unexpected YAML {other:?}"),
    }
}

fn parse(yaml: &str) -> Value {
    let docs = YamlLoader::load_from_str(yaml).unwrap();
    to_json(&docs[0])
}

/// The front matter of a Markdown page or paper.
fn front_matter(text: &str) -> &str {
    let rest = text.strip_prefix("---\n").expect("front matter");
    &rest[..rest.find("\n---").expect("closed front matter")]
}

/// Which schema applies to a file under `content/`.
fn schema_for(rel: &Path) -> &'static str {
    let first = rel.iter().next().unwrap().to_str().unwrap();
    match first {
        "site.yaml" => "site",
        "organisations" => "organisation",
        "support" => "support",
        "undertakings" => "undertaking",
        "meetings" => "meeting",
        "pages" => "page",
        "papers" if rel.extension().is_some_and(|e| e == "md") => "paper",
        "papers" => "paper-details",
        other => panic!("no schema for {other}"),
    }
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator.iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn the_example_register_validates() {
    let dir = tempfile::tempdir().unwrap();
    let validators = validators(dir.path());
    let names: Vec<&str> = validators.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "action",
            "board",
            "decision",
            "interests",
            "meeting",
            "organisation",
            "page",
            "paper",
            "paper-details",
            "site",
            "support",
            "undertaking"
        ]
    );
    let content = root().join("content");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&content).unwrap();
        // A PDF or Word paper is the document itself; its cover fields are in its .yaml.
        if rel.extension().is_some_and(|e| e == "pdf" || e == "docx") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let value = if rel.extension().is_some_and(|e| e == "md") { parse(front_matter(&text)) } else { parse(&text) };
        let name = schema_for(rel);
        let validator = &validators.iter().find(|(n, _)| n == name).unwrap().1;
        let found = errors(validator, &value);
        assert!(found.is_empty(), "{}: {found:?}", rel.display());
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} files checked");
}

#[test]
fn broken_records_fail() {
    let dir = tempfile::tempdir().unwrap();
    let validators = validators(dir.path());
    let get = |name: &str| &validators.iter().find(|(n, _)| n == name).unwrap().1;
    let org = "name: Example Trust\ntype: nhs-trust\nregion: london\n";
    assert!(errors(get("organisation"), &parse(org)).is_empty());
    for (broken, what) in [
        (format!("{org}segmnets: []\n"), "segmnets"),       // a typo in a key
        (org.replace("london", "londn"), "londn"),          // not an allowed value
        (org.replace("name: Example Trust\n", ""), "name"), // a required key missing
        (org.replace("name: Example Trust", "name: \"  \""), "name"), // required text empty
        (format!("{org}segments:\n  - segment: 4\n    from: 13/07/2021\n"), "13/07/2021"), // a bad date
        (format!("{org}segments:\n  - segment: 9\n    from: 2021-07-13\n"), "9"), // out of range
        (format!("{org}id: Example Trust\n"), "Example Trust"), // an id that is not a slug
    ] {
        let found = errors(get("organisation"), &parse(&broken));
        assert!(!found.is_empty(), "accepted:\n{broken}");
        assert!(found.iter().any(|e| e.contains(what)), "{what} not named in {found:?}");
    }
    let meeting = "body: Board\ntitle: Board meeting\ndate: 2026-10-01\nsession: public\nagenda:\n  - item: \"4.10\"\n    title: Minutes\n";
    assert!(errors(get("meeting"), &parse(meeting)).is_empty());
    // Unquoted, YAML reads 4.10 as the number 4.1: refused, as the loader refuses it.
    assert!(!errors(get("meeting"), &parse(&meeting.replace("\"4.10\"", "4.10"))).is_empty());
    let site = "title: Register\nrules:\n  OVS210: allow\n  no-improvement-director: error\n";
    assert!(errors(get("site"), &parse(site)).is_empty());
    assert!(!errors(get("site"), &parse(&site.replace("OVS210", "OVS999"))).is_empty(), "an unknown rule");
    assert!(!errors(get("site"), &parse(&site.replace("allow", "off"))).is_empty(), "an unknown level");
    // Record-format rules cannot be re-levelled, so the schema does not offer them.
    assert!(!errors(get("site"), &parse(&site.replace("OVS210", "OVS001"))).is_empty());
}

#[test]
fn the_editor_docs_show_the_settings_init_writes() {
    let docs = std::fs::read_to_string(root().join("docs/editors.md")).unwrap();
    let settings = oversight::commands::schema::vscode_settings(&oversight::commands::schema::all(), "schemas");
    assert!(docs.contains(&settings), "docs/editors.md should show, exactly:\n{settings}");
    for file in oversight::commands::schema::all() {
        assert!(docs.contains(&file.file_name()), "docs/editors.md does not name {}", file.file_name());
    }
}

/// Every key of every record kind, from the schemas (so from the loader's types), has a row in
/// the record-format reference.
#[test]
fn the_record_format_documents_every_key() {
    let docs = std::fs::read_to_string(root().join("docs/record-format.md")).unwrap();
    fn keys(schema: &Value, out: &mut Vec<String>) {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            out.extend(properties.keys().cloned());
        }
        if let Some(definitions) = schema.get("definitions").and_then(Value::as_object) {
            for definition in definitions.values() {
                keys(definition, out);
            }
        }
    }
    for file in oversight::commands::schema::all() {
        let mut found = Vec::new();
        keys(&file.schema, &mut found);
        assert!(!found.is_empty());
        for key in found {
            assert!(
                docs.contains(&format!("| `{key}` |")),
                "docs/record-format.md has no row for `{key}` ({})",
                file.name
            );
        }
    }
}
