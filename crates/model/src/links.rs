//! Internal links in Markdown: `@/organisations/uhmb`, `@/pages/updates/feb-2022`, or a
//! relative link to another page's `.md` file. They resolve to a [`Target`] at build time, so a
//! renamed record breaks the build instead of leaving a dead link; external links pass through.

use crate::Register;
use crate::kinds::{self, KINDS, Kind, RecordKind};
use oversight_syntax::suggest::closest;

/// What an internal link points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// The page of the record of this kind and id ([`crate::kinds::Kind::url`]).
    Record(RecordKind, String),
    Home,
    Organisations,
    Timeline,
}

/// Whether a destination is internal (and so must resolve): `@/…`, or a relative path to a
/// `.md` file. Everything else — `https:`, `mailto:`, `#anchors`, other files — passes through.
pub fn is_internal(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    dest.starts_with("@/") || (!dest.contains(':') && !dest.starts_with('/') && path.ends_with(".md"))
}

/// Resolves an internal destination written in the document at `doc_dir` (its folder under
/// `content/`, e.g. `pages/updates`). Returns the target and the `#fragment`, if any.
pub fn resolve(dest: &str, doc_dir: &str, register: &Register) -> Result<(Target, Option<String>), String> {
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    let content_path = match path.strip_prefix("@/") {
        Some(p) => p.trim_end_matches('/').to_string(),
        None => join(doc_dir, path).ok_or_else(|| format!("`{dest}` points outside content/"))?,
    };
    let content_path = content_path.strip_suffix(".md").or(content_path.strip_suffix(".yaml")).unwrap_or(&content_path);
    let (folder, id) = content_path.split_once('/').unwrap_or((content_path, ""));
    let target = match (folder, id) {
        ("" | "index", "") => Target::Home,
        ("organisations", "") => Target::Organisations,
        ("timeline", "") => Target::Timeline,
        (folder, id) => match kinds::with_pages_at(folder) {
            Some(kind) => Target::Record(kind.kind, exists(register, kind, id)?.to_string()),
            None => {
                let starts: Vec<String> = KINDS.iter().filter_map(|k| k.url).map(|url| format!("@/{url}")).collect();
                let (last, rest) = starts.split_last().map_or(("", &[][..]), |(l, r)| (l.as_str(), r));
                return Err(format!("`{dest}` is not a record: internal links start {} or {last}", rest.join(", ")));
            }
        },
    };
    Ok((target, fragment))
}

/// `id` if a record of `kind` has it. A record whose file could not be read counts as there:
/// the file's own problem is the one to fix, and "there is no …" would contradict what the
/// author sees.
fn exists<'a>(register: &Register, kind: &Kind, id: &'a str) -> Result<&'a str, String> {
    if (kind.has)(register, id) || register.is_unreadable(kind.kind, id) {
        return Ok(id);
    }
    let ids = register.records(kind.kind);
    let noun = kind.singular;
    Err(match closest(id, ids.into_iter().map(|(i, _)| i)) {
        Some(near) => format!("there is no {noun} `{id}` (did you mean `{near}`?)"),
        None => format!("there is no {noun} `{id}`"),
    })
}

/// The folder under content/ a document's relative links start from: `pages/updates` for the
/// page `updates/feb-2022`.
pub fn doc_dir(kind: RecordKind, id: &str) -> String {
    let folder = kind.row().folder;
    match id.rsplit_once('/') {
        Some((dir, _)) => format!("{folder}/{dir}"),
        None => folder.to_string(),
    }
}

/// Joins a relative path onto `dir`, refusing to climb above the content folder.
pub(crate) fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_or_not() {
        for dest in ["@/organisations/x", "other.md", "../updates/x.md#top", "x.md?y"] {
            assert!(is_internal(dest), "{dest}");
        }
        for dest in ["https://nhs.uk/x.md", "#top", "/abs/x.md", "mailto:a@b", "report.pdf", "javascript:alert(1)"] {
            assert!(!is_internal(dest), "{dest}");
        }
    }

    #[test]
    fn joins_without_escaping() {
        assert_eq!(join("pages/updates", "../about.md").as_deref(), Some("pages/about.md"));
        assert_eq!(join("pages", "../../etc/passwd.md"), None);
        assert_eq!(join("pages/a", "./b.md").as_deref(), Some("pages/a/b.md"));
    }
}
