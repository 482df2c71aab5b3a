//! Word papers (`content/papers/<id>.docx`) become PDFs with LibreOffice, run headless:
//! `soffice --headless --convert-to pdf` with the export options for a tagged PDF/UA-1 file
//! ([`EXPORT`]). Each conversion is kept in the site's
//! `.oversight-cache/word/`, named by a hash of the Word file's bytes and the export options, so the next check or
//! build of an unchanged file reads the PDF made last time.
//!
//! The cache lives in the site folder, not in the user's cache folder, because LibreOffice's
//! output depends on its version and the fonts installed: kept beside `content/` (and
//! committed, or cached by CI), the same Word file gives the same pack on every machine, and
//! a machine without LibreOffice can still build a site whose Word papers were converted once.
//!
//! LibreOffice runs in a fresh profile of its own ([`PROFILE`]: linked content is never
//! updated on load, untrusted links are blocked, macros are off, and its network goes through a
//! proxy that does not exist, so nothing is fetched), in a process group of its own, which is
//! killed whole when it finishes or times out: `soffice` starts `soffice.bin` as a child, and a
//! hung one would otherwise be left running. A Word file that links content from outside is
//! refused before it gets here ([`crate::inspect::docx`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The folder in a site that holds converted Word papers.
pub const CACHE: &str = ".oversight-cache/word";

/// A conversion that has not finished in this time is stopped: LibreOffice converts a long
/// paper in seconds, and a hung one must not hang the check.
const TIMEOUT: Duration = Duration::from_secs(180);

/// The settings of LibreOffice's fresh profile (its `user/registrymodifications.xcu`):
/// Writer never updates links when it loads a document (`Content/Update/Link` 0, "never"),
/// links from documents outside trusted locations are blocked, macros never run, and every
/// HTTP, HTTPS and FTP request goes to a proxy at 127.0.0.1 port 9, where nothing listens.
const PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetNoProxy" oor:op="fuse"><value></value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetHTTPSProxyPort" oor:op="fuse"><value>9</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyName" oor:op="fuse"><value>127.0.0.1</value></prop></item>
<item oor:path="/org.openoffice.Inet/Settings"><prop oor:name="ooInetFTPProxyPort" oor:op="fuse"><value>9</value></prop></item>
</oor:items>
"#;

/// The proxy LibreOffice's own network code is pointed at, by its environment too.
const NO_PROXY: &str = "http://127.0.0.1:9";

/// Why a Word paper has no PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WordProblem {
    /// LibreOffice's `soffice` is not on PATH (nor where its installers put it).
    NoLibreOffice,
    /// LibreOffice ran and made no PDF; what it said.
    Failed(String),
}

/// How LibreOffice is asked to write the PDF: its Writer PDF export filter, with the options
/// (in the JSON form LibreOffice 7.4 and later read) that make a tagged PDF for screen readers
/// that claims PDF/UA-1, so LibreOffice applies its PDF/UA checks as it writes. Without them it
/// writes an untagged PDF.
pub(crate) const EXPORT: &str = r#"pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},"PDFUACompliance":{"type":"boolean","value":"true"},"ExportBookmarks":{"type":"boolean","value":"true"}}"#;

/// Where a converted Word file with these bytes is kept in the site folder `site`. The key
/// covers the export options too, so a PDF made with other options (an untagged one, by an
/// earlier version of this program) is not read back as this one.
pub fn cached_path(site: &Path, docx: &[u8]) -> PathBuf {
    site.join(CACHE).join(format!("{}.pdf", content_hash(&[EXPORT.as_bytes(), docx])))
}

/// The PDF of the Word document `docx` (the bytes of a `.docx` file): from the cache in `site`,
/// else converted by LibreOffice and cached.
pub(crate) fn to_pdf(site: &Path, docx: &[u8]) -> Result<Vec<u8>, WordProblem> {
    let cached = cached_path(site, docx);
    if let Ok(pdf) = fs::read(&cached) {
        return Ok(pdf);
    }
    let soffice = find_soffice().ok_or(WordProblem::NoLibreOffice)?;
    let pdf = convert(&soffice, docx, TIMEOUT)?;
    // LibreOffice does not ask viewers to show the title, which PDF/UA-1 requires; a PDF that
    // cannot be updated (none LibreOffice writes, so far) is kept as LibreOffice made it.
    let pdf = crate::viewer::show_title(&pdf).unwrap_or(pdf);
    // A site folder that cannot be written to still gets its PDF, converted again next time.
    let _ = keep(&cached, &pdf);
    Ok(pdf)
}

/// A 128-bit hash of the parts, as 32 hex digits: the cache key. SipHash-1-3 (the `siphasher`
/// crate, which Typst uses for the same job) is plenty for telling files apart; the cache is
/// the site's own, so nobody gains from forging a collision.
fn content_hash(parts: &[&[u8]]) -> String {
    use siphasher::sip128::{Hasher128, SipHasher13};
    use std::hash::Hasher;
    let mut hasher = SipHasher13::new();
    for part in parts {
        // Each part's length first, so no two lists of parts hash the same bytes.
        hasher.write(&(part.len() as u64).to_le_bytes());
        hasher.write(part);
    }
    format!("{:032x}", hasher.finish128().as_u128())
}

/// Writes the PDF into the cache in one step (a partial file, then a rename), so a
/// conversion interrupted half-way is never read back.
fn keep(path: &Path, pdf: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let partial = tempfile::NamedTempFile::new_in(dir)?;
    fs::write(partial.path(), pdf)?;
    partial.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `soffice` on PATH, else where LibreOffice's installers put it on macOS and Windows (which
/// do not add it to PATH).
fn find_soffice() -> Option<PathBuf> {
    let names: &[&str] = if cfg!(windows) { &["soffice.exe", "soffice.com"] } else { &["soffice"] };
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)));
    let installed =
        ["/Applications/LibreOffice.app/Contents/MacOS/soffice", r"C:\Program Files\LibreOffice\program\soffice.exe"]
            .into_iter()
            .map(PathBuf::from)
            .filter(|_| !cfg!(target_os = "linux"));
    on_path.chain(installed).find(|p| p.is_file())
}

/// Runs LibreOffice on a copy of `docx` in a folder of its own, with a fresh profile of its
/// own ([`PROFILE`]): a LibreOffice already open (or another conversion running beside this
/// one) would otherwise take the job and make nothing here. Stopped after `timeout`.
fn convert(soffice: &Path, docx: &[u8], timeout: Duration) -> Result<Vec<u8>, WordProblem> {
    let failed = |what: String| WordProblem::Failed(what);
    let work = tempfile::tempdir().map_err(|e| failed(format!("cannot make a working folder: {e}")))?;
    let input = work.path().join("paper.docx");
    let out = work.path().join("out");
    fs::write(&input, docx).map_err(|e| failed(format!("cannot write a working copy: {e}")))?;
    let profile = work.path().join("profile");
    fs::create_dir_all(profile.join("user"))
        .and_then(|()| fs::write(profile.join("user/registrymodifications.xcu"), PROFILE))
        .map_err(|e| failed(format!("cannot write LibreOffice's profile: {e}")))?;
    let log = work.path().join("soffice.log");
    let log_file = fs::File::create(&log).map_err(|e| failed(format!("cannot write a log: {e}")))?;
    let mut command = Command::new(soffice);
    command
        .arg(format!("-env:UserInstallation={}", file_url(&profile)))
        .args(["--headless", "--norestore", "--nolockcheck", "--convert-to", EXPORT, "--outdir"])
        .arg(&out)
        .arg(&input)
        .envs(
            [
                "http_proxy",
                "https_proxy",
                "ftp_proxy",
                "all_proxy",
                "HTTP_PROXY",
                "HTTPS_PROXY",
                "FTP_PROXY",
                "ALL_PROXY",
            ]
            .map(|v| (v, NO_PROXY)),
        )
        .env_remove("no_proxy")
        .env_remove("NO_PROXY")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().map_err(|e| failed(e.to_string()))?)
        .stderr(log_file);
    // A process group of its own, so that every process LibreOffice starts can be stopped.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(|e| failed(format!("cannot run {}: {e}", soffice.display())))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                kill_group(&mut child);
                return Err(failed(format!("LibreOffice did not finish in {} s", timeout.as_secs())));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => {
                kill_group(&mut child);
                return Err(failed(e.to_string()));
            }
        }
    };
    // Anything it left running (soffice.bin after a crash of its launcher) goes too.
    kill_group(&mut child);
    match fs::read(out.join("paper.pdf")) {
        Ok(pdf) if !pdf.is_empty() => Ok(pdf),
        _ => {
            let said = fs::read_to_string(&log).unwrap_or_default();
            let said = said.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or("");
            Err(failed(format!(
                "LibreOffice made no PDF ({status}){}",
                if said.is_empty() { String::new() } else { format!(": {said}") }
            )))
        }
    }
}

/// Kills the child's whole process group (it leads one of its own: its id is the group's),
/// then reaps the child. Elsewhere than Unix, the child alone.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill(2) with a negative id signals the process group; no memory is shared.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A `file://` URL for a local path, as LibreOffice's `-env:UserInstallation` takes it.
fn file_url(path: &Path) -> String {
    let path = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from(if path.starts_with('/') { "file://" } else { "file:///" });
    for c in path.chars() {
        match c {
            ' ' => url.push_str("%20"),
            '%' => url.push_str("%25"),
            '#' => url.push_str("%23"),
            '?' => url.push_str("%3F"),
            c => url.push(c),
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_is_keyed_by_content() {
        let site = Path::new("/site");
        assert_eq!(cached_path(site, b"a"), cached_path(site, b"a"));
        assert_ne!(cached_path(site, b"a"), cached_path(site, b"b"));
        assert!(cached_path(site, b"a").starts_with("/site/.oversight-cache/word"));
    }

    /// #32 item 13: LibreOffice was left running after the timeout (a child of PID 1 at 100%
    /// CPU). A fake `soffice` that starts a child of its own and hangs: on the timeout, both go.
    #[cfg(target_os = "linux")]
    #[test]
    fn issue32_13_the_whole_process_group_is_killed_on_the_timeout() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("child.pid");
        let script = dir.path().join("soffice");
        fs::write(&script, format!("#!/bin/sh\nsleep 300 &\necho $! > '{}'\nsleep 300\n", pid_file.display())).unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        let started = Instant::now();
        let err = convert(&script, b"not read", Duration::from_secs(1)).unwrap_err();
        assert!(matches!(&err, WordProblem::Failed(why) if why.contains("did not finish")), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(30));
        let pid: u32 = fs::read_to_string(&pid_file).unwrap().trim().parse().unwrap();
        // Dead: gone, or a zombie until init reaps it.
        let alive = || {
            fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(!alive(), "the child soffice started (pid {pid}) is still running");
    }

    #[test]
    fn the_profile_is_well_formed_and_turns_links_off() {
        assert!(PROFILE.contains(r#"oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value>"#));
        let doc = well_formed(PROFILE);
        assert!(doc, "registrymodifications.xcu must be well-formed XML");
    }

    /// Well-formed, read with quick-xml (which the inspection of Word files uses).
    fn well_formed(xml: &str) -> bool {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => return true,
                Err(_) => return false,
                _ => {}
            }
        }
    }

    #[test]
    fn urls_of_paths() {
        assert_eq!(file_url(Path::new("/tmp/a b/p")), "file:///tmp/a%20b/p");
    }
}
