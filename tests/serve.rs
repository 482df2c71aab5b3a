//! `oversight serve` driven from outside: a page, an editor's rename save, the reload event,
//! a broken edit and its overlay, the fix, and requests that try to leave the site.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use std::{fs, thread};

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &Path) -> Server {
    start_with(site, &[])
}

/// [`start`], with more options for `serve`.
fn start_with(site: &Path, options: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oversight"))
        .args(["serve", "--port", "0"])
        .args(options)
        .arg("--site")
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = rx.recv_timeout(Duration::from_secs(60)).expect("serve prints its address");
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("a URL").to_string();
    let address = url.trim_start_matches("http://").trim_end_matches('/').to_string();
    assert!(address.starts_with("127.0.0.1:"), "listens on loopback by default: {address}");
    Server { child, address }
}

/// A raw HTTP GET (the path is sent exactly as given): status and body.
fn get(address: &str, path: &str) -> (u16, String) {
    get_as(address, path, address)
}

/// [`get`], naming the server `host` in the request.
fn get_as(address: &str, path: &str, host: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

/// The version a page was rendered at, from its live-reload script.
fn version(page: &str) -> u64 {
    let at = page.find("events?v=").expect("the live-reload script") + "events?v=".len();
    page[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

/// Waits for the reload event after `version` (the request is held until the site changes).
fn wait_for_reload(address: &str, version: u64) {
    let (_, body) = get(address, &format!("/__oversight/events?v={version}"));
    assert!(body.contains("data: reload"), "expected a reload event, got {body:?}");
}

/// Saves a file as editors do: write a temporary file beside it, then rename it over.
fn save(path: &Path, text: &str) {
    let temp = path.with_file_name(format!(".{}.tmp", path.file_name().unwrap().to_string_lossy()));
    fs::write(&temp, text).unwrap();
    fs::rename(&temp, path).unwrap();
}

#[test]
fn edit_reload_break_overlay_fix() {
    let site = common::example_copy();
    let server = start(site.path());
    let page = "/organisations/kestrel-bay-university-hospitals/";
    let (status, body) = get(&server.address, page);
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Kestrel Bay University Hospitals NHS Trust (fictional)</h1>"));

    // An editor's rename save: the reload event comes once the new page is being served.
    let record = site.path().join("content/organisations/kestrel-bay-university-hospitals.yaml");
    let original = fs::read_to_string(&record).unwrap();
    let v = version(&body);
    save(
        &record,
        &original.replace(
            "Kestrel Bay University Hospitals NHS Trust (fictional)",
            "Kestrel Bay Hospitals NHS Trust (renamed, fictional)",
        ),
    );
    wait_for_reload(&server.address, v);
    let (_, body) = get(&server.address, page);
    assert!(
        body.contains("<h1>Kestrel Bay Hospitals NHS Trust (renamed, fictional)</h1>"),
        "the new content is served"
    );

    // A broken edit: the last good page stays, with the diagnostics over it.
    let v = version(&body);
    save(&record, &original.replace("region: south-east", "region: south-eest"));
    wait_for_reload(&server.address, v);
    let (status, body) = get(&server.address, page);
    assert_eq!(status, 200);
    assert!(body.contains("id=\"oversight-errors\""), "the overlay");
    assert!(
        body.contains("content/organisations/kestrel-bay-university-hospitals.yaml:6:9"),
        "file:line:col in the overlay"
    );
    assert!(body.contains("OVS003"), "the rule code");
    assert!(body.contains("Kestrel Bay Hospitals NHS Trust (renamed, fictional)"), "the last good page underneath");

    // The fix clears it.
    let v = version(&body);
    save(&record, &original);
    wait_for_reload(&server.address, v);
    let (_, body) = get(&server.address, page);
    assert!(!body.contains("oversight-errors"));
    assert!(body.contains("<h1>Kestrel Bay University Hospitals NHS Trust (fictional)</h1>"));

    // A removed page leaves the preview; a new one joins it.
    let about = site.path().join("content/pages/about.md");
    let (status, _) = get(&server.address, "/pages/about/");
    assert_eq!(status, 200);
    let v = version(&body);
    fs::rename(&about, site.path().join("content/pages/about-us.md")).unwrap();
    // A rename may reach the watcher as two batches (the old name gone, then the new one),
    // each rebuilt and reloaded on its own: after the first reload, allow the second a moment.
    wait_for_reload(&server.address, v);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while get(&server.address, "/pages/about-us/").0 != 200 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(get(&server.address, "/pages/about/").0, 404, "the removed page is gone");
    assert_eq!(get(&server.address, "/pages/about-us/").0, 200, "the new page is served");
}

#[test]
fn issue30_2_the_preview_links_the_pdfs_it_makes_drafts_included() {
    // Was: the preview's pages linked no PDF (it rendered them as `--no-papers` would) while
    // it typeset them in the background, and those without `--drafts`' draft papers.
    let site = common::example_copy();
    // A draft of a paper on no agenda: its front matter, a body of its own.
    let paper = fs::read_to_string(site.path().join("content/papers/rsp-update.md")).unwrap();
    let front = paper.split_inclusive("---\n").take(2).collect::<String>();
    let draft = front.replacen("---\ntitle: Update", "---\ndraft: true\ntitle: Draft update", 1);
    assert!(draft.contains("draft: true"));
    fs::write(site.path().join("content/papers/draft-update.md"), draft + "## Purpose\n\nA draft.\n").unwrap();
    let server = start_with(site.path(), &["--drafts"]);
    for page in ["/papers/rsp-update/", "/papers/draft-update/", "/meetings/2026-10-board/"] {
        let (status, body) = get(&server.address, page);
        assert_eq!(status, 200, "{page}");
        let links: Vec<&str> = body
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|href| href.ends_with(".pdf"))
            .collect();
        assert!(!links.is_empty(), "{page} links no PDF");
        for link in links {
            // The PDFs are typeset in the background, after the pages.
            let deadline = std::time::Instant::now() + Duration::from_secs(120);
            let (mut status, mut pdf) = get(&server.address, link);
            while status != 200 && std::time::Instant::now() < deadline {
                thread::sleep(Duration::from_millis(250));
                (status, pdf) = get(&server.address, link);
            }
            assert_eq!(status, 200, "{page} links {link}, which the preview does not serve");
            // (Its bytes as text, perhaps in chunks.)
            assert!(pdf.contains("%PDF-") && pdf.contains("%%EOF"), "{link} is a PDF");
        }
    }
}

#[test]
fn a_broken_first_build_still_serves_the_errors() {
    let site = common::example_copy();
    fs::write(site.path().join("content/organisations/broken.yaml"), "name: [unclosed\n").unwrap();
    let server = start(site.path());
    let (status, body) = get(&server.address, "/");
    assert_eq!(status, 404, "no good build yet");
    assert!(body.contains("oversight-errors") && body.contains("content/organisations/broken.yaml:1:7"), "{body}");
}

#[test]
fn requests_never_leave_the_site() {
    let site = common::example_copy();
    fs::write(site.path().join("secret.txt"), "SECRET-NEXT-TO-CONTENT").unwrap();
    let server = start(site.path());
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/assets/../../secret.txt",
        "//etc/passwd",
        "/content/site.yaml",
        "/..\\secret.txt",
        "/%00",
    ] {
        let (status, body) = get(&server.address, path);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(
            !body.contains("SECRET-NEXT-TO-CONTENT") && !body.contains("root:x:0") && !body.contains("title: "),
            "{path} leaked"
        );
    }
    let (status, _) = get(&server.address, "/assets/style.css");
    assert_eq!(status, 200);
}

#[test]
fn issue19_7_a_page_reached_by_another_name_is_not_answered() {
    // Was: any Host answered, so a page on evil.example re-pointed at 127.0.0.1 (DNS
    // rebinding) could read the preview.
    let site = common::example_copy();
    let server = start(site.path());
    let port = server.address.rsplit(':').next().unwrap();
    for host in [format!("evil.example:{port}"), "evil.example".into(), format!("127.0.0.1.nip.io:{port}")] {
        let (status, body) = get_as(&server.address, "/", &host);
        assert_eq!(status, 421, "{host}");
        assert!(!body.contains("<html"), "{host}: {body}");
    }
    for host in [server.address.clone(), format!("localhost:{port}")] {
        assert_eq!(get_as(&server.address, "/", &host).0, 200, "{host}");
    }
}

#[test]
fn issue19_11_an_in_place_save_is_shown_once_written() {
    // Was: a save that truncates the file and then writes it (what `open(path, "w")` does)
    // could be read while empty: "an organisation is empty" stayed up after the write.
    let site = common::example_copy();
    let server = start(site.path());
    let page = "/organisations/kestrel-bay-university-hospitals/";
    let record = site.path().join("content/organisations/kestrel-bay-university-hospitals.yaml");
    let original = fs::read_to_string(&record).unwrap();
    for (round, pause) in [(1, 30), (2, 300)] {
        let name = format!("Kestrel Bay Hospitals NHS Trust (save {round}, fictional)");
        let mut file = fs::File::create(&record).unwrap();
        file.flush().unwrap();
        thread::sleep(Duration::from_millis(pause));
        file.write_all(original.replace("Kestrel Bay University Hospitals NHS Trust (fictional)", &name).as_bytes())
            .unwrap();
        drop(file);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut body = String::new();
        while std::time::Instant::now() < deadline {
            body = get(&server.address, page).1;
            if body.contains(&name) && !body.contains("oversight-errors") {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        assert!(body.contains(&format!("<h1>{name}</h1>")), "round {round}: the saved content is served");
        assert!(!body.contains("oversight-errors"), "round {round}: no error left over from the empty file");
    }
}

#[test]
// Without DISPLAY there is no browser on Linux; macOS and Windows always have one.
#[cfg_attr(not(target_os = "linux"), ignore)]
fn open_without_a_browser_prints_the_address_and_feeds_are_feeds() {
    let site = common::example_copy();
    let mut child = Command::new(env!("CARGO_BIN_EXE_oversight"))
        .args(["serve", "--port", "0", "--open", "--site"])
        .arg(site.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let mut server = Server { child, address: String::new() };
    let (tx, rx) = mpsc::channel();
    for stream in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(stderr)] {
        let tx = tx.clone();
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let mut lines = Vec::new();
    // Standard output and error are read on two threads: wait for both lines, in either order.
    while !(lines.iter().any(|l: &String| l.starts_with("no browser"))
        && lines.iter().any(|l| l.starts_with("Serving")))
    {
        lines.push(rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("no line in {lines:?}")));
    }
    let serving = lines.iter().find(|l| l.starts_with("Serving")).expect("the address line");
    let url = serving.split_whitespace().find(|w| w.starts_with("http://")).unwrap();
    assert!(lines.contains(&format!("no browser to open here: open {url} yourself")), "{lines:?}");
    server.address = url.trim_start_matches("http://").trim_end_matches('/').to_string();

    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
    write!(stream, "GET /atom.xml HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.to_ascii_lowercase().contains("content-type: application/atom+xml"), "{response}");
}
