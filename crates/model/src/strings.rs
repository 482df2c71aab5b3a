//! Short labels that authors write as numbers as often as strings.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The error for a bare decimal label; the loader's help quotes the source text.
pub const DECIMAL_MUST_BE_QUOTED: &str = "a decimal number here must be quoted";

/// For required text fields: a string that is not empty or only white space (`name:` with no
/// value reads as an empty string otherwise).
pub fn required_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if text.trim().is_empty() { Err(de::Error::custom("must not be empty")) } else { Ok(text) }
}

/// For a field that is required where it is read but optional in the record type (a Markdown
/// paper's `paper_type`, which a PDF paper may lack): serde reports it missing, as it does not
/// for a plain `Option` field.
pub(crate) fn some<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// [`required_text`], for a field that is required where it is read but optional in the
/// record type.
pub(crate) fn some_required_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    required_text(deserializer).map(Some)
}

/// An agenda item number, undertaking number or time: a string, or a whole number written
/// bare (`item: 3`). A bare decimal (`item: 4.10`) is refused, because YAML would read it as
/// the number 4.1 and lose the zero; the error says to quote it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label(pub String);

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// In a JSON Schema: text, or a whole number (a decimal is not an integer, so it is refused
/// there too).
impl schemars::JsonSchema for Label {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Label".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": ["string", "integer"],
            "description": "A label such as an item number: text, or a whole number written bare. Quote a number with a decimal point: \"4.10\".",
            "examples": ["4.2", 3, "10:00"]
        })
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Label, D::Error> {
        struct LabelVisitor;
        impl Visitor<'_> for LabelVisitor {
            type Value = Label;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string such as \"4.2\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Label, E> {
                Ok(Label(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Label, E> {
                Ok(Label(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Label, E> {
                Ok(Label(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Label, E> {
                // The loader sees this phrase and quotes the value as written in the help.
                Err(E::custom(DECIMAL_MUST_BE_QUOTED))
            }
        }
        deserializer.deserialize_any(LabelVisitor)
    }
}
