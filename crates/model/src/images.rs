//! Pictures in Markdown pages and papers: `![Entries by quarter](entries.png)` names a PNG,
//! JPEG or SVG file by its path from the document's folder under `content/`. A paper's PDF
//! places it (with its description as the PDF's alternative text) and the website copies it
//! to `media/<its path under content/>`. A path never leaves `content/`: not by `..`, not
//! through a symbolic link; and the file must be the kind of picture its name says.

use std::path::Path;

use crate::links::join;

/// The file extensions of the pictures papers and pages may hold.
pub const EXTENSIONS: [&str; 4] = ["png", "jpg", "jpeg", "svg"];

/// The largest picture read, in bytes: a board paper's photograph or chart is far smaller.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;

/// Whether an image's destination names a file of the register (a relative path) rather
/// than an address on the web (`https:`) or on the website (`/static/x.png`), which are
/// left as they are.
pub fn is_local(dest: &str) -> bool {
    let d = dest.trim();
    !d.is_empty() && !d.contains(':') && !d.starts_with(['/', '\\', '#', '?', '@'])
}

/// The path under `content/` of the local image `dest` of the document in `doc_dir` (its
/// folder under `content/`, see [`crate::links::doc_dir`]), or what is wrong with it.
pub fn content_path(dest: &str, doc_dir: &str) -> Result<String, String> {
    let path = dest.trim().split(['#', '?']).next().unwrap_or_default();
    let joined = join(doc_dir, path)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| format!("the picture `{dest}` points outside content/"))?;
    let ext = joined.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if joined.contains('\\') || !EXTENSIONS.contains(&ext.as_str()) {
        return Err(format!("`{dest}` is not a PNG, JPEG or SVG picture (.png, .jpg, .jpeg or .svg)"));
    }
    Ok(joined)
}

/// Where the website has the picture at `path` under `content/`.
pub fn output_path(path: &str) -> String {
    format!("media/{path}")
}

/// The bytes of the picture at `path` under the folder `content`, checked: a regular file
/// inside `content` (no symbolic link leads out), at most [`MAX_BYTES`], and a picture of the
/// kind its extension names.
pub fn read(content: &Path, path: &str) -> Result<Vec<u8>, String> {
    let file = content.join(path);
    let shown = format!("content/{path}");
    let real = match file.canonicalize() {
        Ok(real) => real,
        Err(_) => return Err(format!("there is no picture {shown}")),
    };
    let root = content.canonicalize().map_err(|e| format!("cannot read content/: {e}"))?;
    if !real.starts_with(&root) || file.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!("{shown} is a symbolic link: a picture must be a file inside content/"));
    }
    let meta = real.metadata().map_err(|e| format!("cannot read {shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown} is a folder, not a picture"));
    }
    if meta.len() > MAX_BYTES {
        return Err(format!("{shown} is {} MB: a picture may be at most {} MB", meta.len() >> 20, MAX_BYTES >> 20));
    }
    let bytes = std::fs::read(&real).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let is_kind = match ext.as_str() {
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        _ => std::str::from_utf8(&bytes).is_ok_and(|t| t.contains("<svg")),
    };
    if !is_kind {
        return Err(format!("{shown} is not a {} file, as its name says", ext.to_ascii_uppercase()));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_pictures_stay_in_content_and_are_pictures() {
        assert!(is_local("chart.png") && is_local("../media/x.svg"));
        for dest in ["https://x.example/a.png", "/static/x.png", "data:image/png;base64,AA", "#x", "@/pages/a"] {
            assert!(!is_local(dest), "{dest}");
        }
        assert_eq!(content_path("figures/a.PNG", "papers").as_deref(), Ok("papers/figures/a.PNG"));
        assert_eq!(content_path("../a.jpg", "pages/updates").as_deref(), Ok("pages/a.jpg"));
        assert!(content_path("../../etc/x.png", "papers").unwrap_err().contains("outside content/"));
        assert!(content_path("a.gif", "papers").unwrap_err().contains("not a PNG, JPEG or SVG"));
    }

    #[test]
    fn a_picture_is_read_only_from_inside_content_and_as_what_it_says() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("papers")).unwrap();
        std::fs::write(content.join("papers/a.png"), b"\x89PNG\r\n\x1a\nrest").unwrap();
        std::fs::write(content.join("papers/b.png"), b"<svg/>").unwrap();
        std::fs::write(dir.path().join("secret.png"), b"\x89PNG\r\n\x1a\nsecret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.png"), content.join("papers/c.png")).unwrap();
        assert!(read(&content, "papers/a.png").is_ok());
        assert!(read(&content, "papers/b.png").unwrap_err().contains("not a PNG file"));
        assert!(read(&content, "papers/c.png").unwrap_err().contains("symbolic link"));
        assert!(read(&content, "papers/d.png").unwrap_err().contains("there is no picture content/papers/d.png"));
    }
}
