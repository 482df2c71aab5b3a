//! The site's URL scheme: pretty URLs (`/organisations/uhmb/`) under the base URL, which may
//! have a sub-path (`https://example.nhs.uk/rsp/`). Pages link with root-relative paths that
//! include the sub-path, so links and assets resolve at any depth; feeds and the sitemap use
//! absolute URLs.

use crate::links::Target;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// Scheme and host, e.g. `https://example.nhs.uk`; empty for a root-relative base (`/`).
    origin: String,
    /// The path every URL starts with, beginning and ending with `/`, e.g. `/rsp/`.
    base_path: String,
}

impl Urls {
    /// Where a paper's PDF goes in the site: `papers/<id>.pdf`.
    pub fn paper_pdf(id: &str) -> String {
        format!("papers/{id}.pdf")
    }

    /// Where a meeting's pack goes in the site: `meetings/<id>/pack.pdf`.
    pub fn pack_pdf(id: &str) -> String {
        format!("meetings/{id}/pack.pdf")
    }

    /// From a base URL such as `https://example.nhs.uk/rsp/`, or a bare path such as `/`.
    pub fn new(base_url: &str) -> Result<Urls, String> {
        let base = base_url.trim();
        let (origin, path) = if let Some(rest) = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://"))
        {
            let scheme_len = base.len() - rest.len();
            let host_end = rest.find('/').unwrap_or(rest.len());
            if host_end == 0 {
                return Err(format!("`{base_url}` has no host"));
            }
            (base[..scheme_len + host_end].to_string(), &rest[host_end..])
        } else if base.starts_with('/') {
            (String::new(), base)
        } else {
            return Err(format!("`{base_url}` is not an absolute URL (https://…) or a path starting with /"));
        };
        if path.contains(['?', '#', ' ', '"', '<', '>', '\\']) || path.split('/').any(|p| p == "..") {
            return Err(format!("`{base_url}` has a path that cannot be a site's base"));
        }
        let mut base_path = format!("/{}", path.trim_matches('/'));
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        Ok(Urls { origin, base_path })
    }

    /// The base path, e.g. `/rsp/`.
    pub fn base(&self) -> &str {
        &self.base_path
    }

    /// A site-relative path (`organisations/uhmb/`) as a link: `/rsp/organisations/uhmb/`.
    pub fn path(&self, relative: &str) -> String {
        format!("{}{}", self.base_path, relative.trim_start_matches('/'))
    }

    /// A site-relative path as an absolute URL, for feeds and the sitemap (root-relative if the
    /// base has no host).
    pub fn absolute(&self, relative: &str) -> String {
        format!("{}{}", self.origin, self.path(relative))
    }

    /// The page a target lives at, relative to the site root (`organisations/uhmb/`).
    pub fn relative(target: &Target) -> String {
        match target {
            Target::Home => String::new(),
            Target::Organisations => "organisations/".into(),
            Target::Timeline => "timeline/".into(),
            Target::Record(kind, id) => format!("{}{id}/", kind.row().url.unwrap_or_default()),
        }
    }

    pub fn target(&self, target: &Target) -> String {
        self.path(&Urls::relative(target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_with_and_without_sub_paths() {
        let u = Urls::new("https://example.nhs.uk/rsp").unwrap();
        assert_eq!(
            u.target(&Target::Record(crate::kinds::RecordKind::Organisation, "uhmb".into())),
            "/rsp/organisations/uhmb/"
        );
        assert_eq!(u.absolute("sitemap.xml"), "https://example.nhs.uk/rsp/sitemap.xml");
        let root = Urls::new("/").unwrap();
        assert_eq!(root.target(&Target::Home), "/");
        assert_eq!(root.absolute("atom.xml"), "/atom.xml");
        assert_eq!(Urls::new("http://127.0.0.1:8080/").unwrap().absolute(""), "http://127.0.0.1:8080/");
        for bad in ["example.nhs.uk", "https:///x", "/a/../b", "javascript:alert(1)"] {
            assert!(Urls::new(bad).is_err(), "{bad}");
        }
    }
}
