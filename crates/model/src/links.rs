//! Internal links in Markdown: `@/organisations/uhmb`, `@/pages/updates/feb-2022`, or a
//! relative link to another page's `.md` file. They resolve to a [`Target`] at build time, so a
//! renamed record breaks the build instead of leaving a dead link; external links pass through.

use crate::Register;
use crate::load::RecordKind;
use oversight_syntax::suggest::closest;

/// What an internal link points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Home,
    Organisations,
    Organisation(String),
    Support(String),
    Undertaking(String),
    Page(String),
    Paper(String),
    Meeting(String),
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
    let (kind, id) = content_path.split_once('/').unwrap_or((content_path, ""));
    let noun = match kind {
        "organisations" => "organisation",
        "support" => "support package",
        "undertakings" => "undertakings record",
        "pages" => "page",
        "papers" => "paper",
        _ => "meeting",
    };
    // A record whose file could not be read counts as there: the file's own problem is the
    // one to fix, and "there is no …" would contradict what the author sees.
    let exists = |found: bool, kind: RecordKind, target: Target| {
        if found || register.is_unreadable(kind, id) {
            return Ok(target);
        }
        let r = register;
        let ids: Vec<&str> = match kind {
            RecordKind::Organisation => r.organisations.iter().map(|x| x.id.as_str()).collect(),
            RecordKind::Support => r.support.iter().map(|x| x.id.as_str()).collect(),
            RecordKind::Undertaking => r.undertakings.iter().map(|x| x.id.as_str()).collect(),
            RecordKind::Page => r.pages.iter().map(|x| x.id.as_str()).collect(),
            RecordKind::Paper => r.papers.iter().map(|x| x.id.as_str()).collect(),
            RecordKind::Meeting => r.meetings.iter().map(|x| x.id.as_str()).collect(),
            RecordKind::Site | RecordKind::PaperDetails => Vec::new(),
        };
        Err(match closest(id, ids) {
            Some(near) => format!("there is no {noun} `{id}` (did you mean `{near}`?)"),
            None => format!("there is no {noun} `{id}`"),
        })
    };
    let target = match (kind, id) {
        ("" | "index", "") => Ok(Target::Home),
        ("organisations", "") => Ok(Target::Organisations),
        ("timeline", "") => Ok(Target::Timeline),
        ("organisations", id) => {
            exists(register.organisation(id).is_some(), RecordKind::Organisation, Target::Organisation(id.into()))
        }
        ("support", id) => {
            exists(register.support.iter().any(|s| s.id == id), RecordKind::Support, Target::Support(id.into()))
        }
        ("undertakings", id) => exists(
            register.undertakings.iter().any(|u| u.id == id),
            RecordKind::Undertaking,
            Target::Undertaking(id.into()),
        ),
        ("pages", id) => exists(register.page(id).is_some(), RecordKind::Page, Target::Page(id.into())),
        ("papers", id) => exists(register.paper(id).is_some(), RecordKind::Paper, Target::Paper(id.into())),
        ("meetings", id) => {
            exists(register.meetings.iter().any(|m| m.id == id), RecordKind::Meeting, Target::Meeting(id.into()))
        }
        _ => Err(format!(
            "`{dest}` is not a record: internal links start @/organisations/, @/support/, @/undertakings/, @/pages/, @/papers/ or @/meetings/"
        )),
    }?;
    Ok((target, fragment))
}

/// The folder under content/ a document's relative links start from: `pages/updates` for the
/// page `updates/feb-2022` (`kind` is `pages` or `papers`).
pub fn doc_dir(kind: &str, id: &str) -> String {
    match id.rsplit_once('/') {
        Some((dir, _)) => format!("{kind}/{dir}"),
        None => kind.to_string(),
    }
}

/// Joins a relative path onto `dir`, refusing to climb above the content folder.
fn join(dir: &str, relative: &str) -> Option<String> {
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
