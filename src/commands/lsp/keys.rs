//! What a record's keys mean and which values they allow, read from the JSON Schemas the
//! record types generate (`oversight schema`): the loader's own types and doc comments, so the
//! hover and the completion cannot say other than the loader reads.

use oversight_model::kinds::RecordKind;
use serde_json::Value;

/// The schema of each record kind, made once.
#[derive(Default)]
pub(crate) struct Schemas {
    made: Vec<(RecordKind, Option<Value>)>,
    /// The generated blocks' options, once made.
    blocks: Option<Value>,
}

impl Schemas {
    fn of(&mut self, kind: RecordKind) -> Option<&Value> {
        if !self.made.iter().any(|(k, _)| *k == kind) {
            let rules: Vec<&str> = oversight_rules::CATALOGUE.iter().flat_map(|r| [r.code.code, r.code.name]).collect();
            let name = kind.row().schema.map(|s| s.name);
            let schema = oversight_model::schemas(&rules).into_iter().find(|s| Some(s.name) == name);
            self.made.push((kind, schema.map(|s| s.schema)));
        }
        self.made.iter().find(|(k, _)| *k == kind)?.1.as_ref()
    }

    /// The schema of a generated block's option `key`, or with `None` of all the options.
    pub(crate) fn block_option(&mut self, key: Option<&str>) -> Option<Key> {
        let root = self.blocks.get_or_insert_with(|| oversight_rules::blocks::options_schema().to_value()).clone();
        let node = match key {
            Some(key) => child(&root, &root, key)?,
            None => root.clone(),
        };
        Some(Key { root, node })
    }

    /// The schema of the value at `path` (keys, list indexes left out) in a record of `kind`.
    pub(crate) fn at(&mut self, kind: RecordKind, path: &[String]) -> Option<Key> {
        let root = self.of(kind)?.clone();
        let mut node = root.clone();
        for key in path {
            node = child(&root, &node, key)?;
        }
        Some(Key { root, node })
    }
}

/// One key's schema, with the root its references point into.
pub(crate) struct Key {
    root: Value,
    node: Value,
}

impl Key {
    /// What the key holds, as its doc comment says.
    pub(crate) fn description(&self) -> Option<String> {
        let mut found = None;
        visit(&self.root, &self.node, 0, &mut |n| {
            if found.is_none() {
                found = n.get("description").and_then(Value::as_str).map(str::to_string);
            }
        });
        found
    }

    /// The values it allows, if it is one of a list (its items', for a list), each with what
    /// it means where the schema says.
    pub(crate) fn values(&self) -> Vec<(String, Option<String>)> {
        let mut values = Vec::new();
        visit(&self.root, &self.node, 0, &mut |n| {
            let description = n.get("description").and_then(Value::as_str).map(str::to_string);
            if let Some(Value::String(one)) = n.get("const") {
                values.push((one.clone(), description.clone()));
            }
            for one in n.get("enum").and_then(Value::as_array).into_iter().flatten() {
                if let Some(one) = one.as_str() {
                    values.push((one.to_string(), description.clone()));
                }
            }
        });
        values.dedup_by(|a, b| a.0 == b.0);
        values
    }

    /// The keys it may hold, if it is a mapping (its items', for a list of mappings).
    pub(crate) fn keys(&self) -> Vec<(String, Option<String>)> {
        let mut keys = Vec::new();
        visit(&self.root, &self.node, 0, &mut |n| {
            for (key, schema) in n.get("properties").and_then(Value::as_object).into_iter().flatten() {
                let description = resolve(&self.root, schema).get("description").and_then(Value::as_str);
                let description = schema.get("description").and_then(Value::as_str).or(description);
                keys.push((key.clone(), description.map(str::to_string)));
            }
        });
        keys
    }
}

/// Follows a `$ref` into the root's definitions.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..8 {
        match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => match root.pointer(pointer) {
                Some(target) => node = target,
                None => break,
            },
            None => break,
        }
    }
    node
}

/// Calls `f` on `node` and every schema it stands for: what it refers to, its alternatives
/// (`anyOf`, `oneOf`, `allOf`: an optional value, an enum's documented variants) and a list's
/// items.
fn visit(root: &Value, node: &Value, depth: usize, f: &mut dyn FnMut(&Value)) {
    if depth > 8 {
        return;
    }
    f(node);
    let target = resolve(root, node);
    if !std::ptr::eq(target, node) {
        visit(root, target, depth + 1, f);
        return;
    }
    for word in ["anyOf", "oneOf", "allOf"] {
        for alternative in node.get(word).and_then(Value::as_array).into_iter().flatten() {
            visit(root, alternative, depth + 1, f);
        }
    }
    if let Some(items) = node.get("items") {
        visit(root, items, depth + 1, f);
    }
}

/// The schema of `key` in `node`.
fn child(root: &Value, node: &Value, key: &str) -> Option<Value> {
    let mut found = None;
    visit(root, node, 0, &mut |n| {
        if found.is_none() {
            found = n.get("properties").and_then(|p| p.get(key)).cloned();
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_their_descriptions_and_allowed_values() {
        let mut schemas = Schemas::default();
        let region = schemas.at(RecordKind::Organisation, &["region".into()]).unwrap();
        assert!(region.description().unwrap().contains("region"), "{:?}", region.description());
        let values: Vec<String> = region.values().into_iter().map(|(v, _)| v).collect();
        assert!(values.contains(&"north-west".to_string()), "{values:?}");
        let criteria = schemas.at(RecordKind::Organisation, &["rsp".into(), "criteria".into()]).unwrap();
        assert!(!criteria.values().is_empty(), "a list's items' values");
        let segments = schemas.at(RecordKind::Organisation, &["segments".into()]).unwrap();
        let keys: Vec<String> = segments.keys().into_iter().map(|(k, _)| k).collect();
        assert!(keys.contains(&"framework".to_string()), "{keys:?}");
        let framework = schemas.at(RecordKind::Organisation, &["segments".into(), "framework".into()]).unwrap();
        assert!(!framework.values().is_empty(), "edition names");
        assert!(schemas.at(RecordKind::Organisation, &["nonsense".into()]).is_none());
    }
}
