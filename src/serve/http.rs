//! The preview's HTTP side: files from the latest good build, held in memory, with a live
//! reload script and (while the content has errors) an overlay of diagnostics injected into
//! every HTML page.
//!
//! Files are looked up in the in-memory site by a normalised path, so a request can never
//! reach anything outside the site: `..`, encoded `%2e%2e`, backslashes and NUL bytes are
//! refused before the lookup, and nothing is read from disk.
//!
//! Only requests addressed to the preview itself are answered: a `Host` naming `localhost` or
//! an IP address. A web page the author visits could otherwise point its own domain name at
//! 127.0.0.1 (DNS rebinding) and read the preview as if it were its own site.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server, StatusCode};

use crate::outputs::Output;
use oversight_syntax::escape::xml;
use oversight_syntax::hash::Map;

/// The files of a site by path.
pub type Files = Map<String, Arc<Vec<u8>>>;

/// How long an events request is held open waiting for a change.
const HOLD: Duration = Duration::from_secs(25);
/// The longest a request for a file made after the pages waits for it.
const LATER_HOLD: Duration = Duration::from_secs(10);

/// What the server serves: one version of the site.
#[derive(Default)]
pub struct Snapshot {
    pub files: Files,
    /// The files among them of each output made in the background after the pages.
    made_later: Map<Output, Vec<String>>,
    /// Diagnostics to show over every page, as HTML, while the content has errors.
    pub overlay: Option<String>,
    /// Goes up by one each time a new snapshot is published.
    pub version: u64,
    /// The rebuild that published these pages is still making the files made from the whole
    /// site ([`oversight_site::made_later`]): requests for them wait.
    later: bool,
}

/// The snapshot and the means to wake requests waiting for the next one.
#[derive(Default)]
pub struct Shared {
    snapshot: Mutex<Snapshot>,
    changed: Condvar,
}

/// What a rebuild changed: the files new or different since the last rebuild, and the files
/// gone. A one-page edit changes a handful of files, so publishing touches only those.
#[derive(Default)]
pub struct Changes {
    pub changed: Vec<(String, Arc<Vec<u8>>)>,
    pub removed: Vec<String>,
}

impl Changes {
    fn apply(self, files: &mut Files) {
        for path in &self.removed {
            files.remove(path);
        }
        files.extend(self.changed);
    }
}

impl Shared {
    /// Publishes a new snapshot: waiting browsers reload once it is in place. A rebuild's
    /// `changes` are its pages: requests for the files it makes after them wait for
    /// [`Shared::land_later`]. Without changes (the overlay over the last good site), nothing
    /// is to come.
    pub fn publish(&self, changes: Option<Changes>, overlay: Option<String>) {
        let mut s = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        s.later = changes.is_some();
        if let Some(changes) = changes {
            changes.apply(&mut s.files);
        }
        s.overlay = overlay;
        s.version += 1;
        self.changed.notify_all();
    }

    /// Adds the rest of the rebuild whose pages [`Shared::publish`] published, without a
    /// reload, and answers the requests waiting for it.
    pub fn land_later(&self, changes: Changes) {
        let mut s = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        changes.apply(&mut s.files);
        s.later = false;
        self.changed.notify_all();
    }

    /// Replaces the files of an output made in the background, after the pages (the
    /// workbook, the PDFs), without reloading browsers. Those it no longer makes go (the PDFs
    /// of papers and meetings since removed).
    pub(crate) fn set_output(&self, output: Output, files: Vec<(String, Arc<Vec<u8>>)>) {
        let mut s = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        let old = s.made_later.insert(output, files.iter().map(|(path, _)| path.clone()).collect());
        for path in old.unwrap_or_default() {
            s.files.remove(&path);
        }
        s.files.extend(files);
    }

    /// The snapshot to answer a request for `key` from; for a file the rebuild that published
    /// the pages is still making, once it is made (the last build's may be out of date).
    fn snapshot_for(&self, key: &str) -> MutexGuard<'_, Snapshot> {
        let s = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        if !(s.later && oversight_site::made_later(key)) {
            return s;
        }
        self.changed.wait_timeout_while(s, LATER_HOLD, |s| s.later).unwrap_or_else(|e| e.into_inner()).0
    }

    pub fn version(&self) -> u64 {
        self.snapshot.lock().unwrap_or_else(|e| e.into_inner()).version
    }
}

/// Answers requests until the server stops; each request on its own thread, since event
/// requests are held open.
pub fn run(server: Arc<Server>, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || respond(request, &shared));
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(request: Request, shared: &Shared) {
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str().to_string());
    if !host.as_deref().is_none_or(names_this_machine) {
        let response =
            Response::from_string("421 Misdirected Request: this preview answers only to localhost or an IP address\n")
                .with_status_code(StatusCode(421))
                .with_header(header("Content-Type", "text/plain; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    if path == "/__oversight/events" {
        return events(request, shared, &url);
    }
    let response = match normalise(&path) {
        None => not_found(shared),
        Some(key) => {
            let s = shared.snapshot_for(&key);
            match s.files.get(&key) {
                Some(bytes) => {
                    let body = if key.ends_with(".html") { inject(bytes, &s) } else { bytes.to_vec() };
                    Response::from_data(body)
                        .with_header(header("Content-Type", content_type(&key)))
                        .with_status_code(200)
                }
                None if !path.ends_with('/') && s.files.contains_key(&format!("{key}/index.html")) => {
                    Response::from_data(Vec::new())
                        .with_status_code(301)
                        .with_header(header("Location", &format!("{path}/")))
                }
                None => {
                    drop(s);
                    not_found(shared)
                }
            }
        }
    };
    let _ = request.respond(response.with_header(header("Cache-Control", "no-store")));
}

fn not_found(shared: &Shared) -> Response<std::io::Cursor<Vec<u8>>> {
    let s = shared.snapshot.lock().unwrap_or_else(|e| e.into_inner());
    let body = match s.files.get("404.html") {
        Some(page) => inject(page, &s),
        None => inject(
            b"<!DOCTYPE html><html lang=\"en\"><title>Not found</title><body><h1>Page not found</h1></body></html>",
            &s,
        ),
    };
    Response::from_data(body)
        .with_status_code(StatusCode(404))
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
}

/// Holds an event request until the site is newer than the version the page was rendered
/// at (the `v` query or the browser's `Last-Event-ID`), then sends one `reload` event. Each
/// response is complete, so no event waits in a buffer; the browser reconnects at once.
fn events(request: Request, shared: &Shared, url: &str) {
    let from_query = url.split_once("v=").and_then(|(_, v)| v.split('&').next()?.parse::<u64>().ok());
    let from_header = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Last-Event-ID"))
        .and_then(|h| h.value.as_str().parse::<u64>().ok());
    let seen = from_header.or(from_query).unwrap_or(0);
    let guard = shared.snapshot.lock().unwrap_or_else(|e| e.into_inner());
    let (guard, _) =
        shared.changed.wait_timeout_while(guard, HOLD, |s| s.version <= seen).unwrap_or_else(|e| e.into_inner());
    let version = guard.version;
    drop(guard);
    let body = if version > seen {
        format!("retry: 200\nid: {version}\ndata: reload\n\n")
    } else {
        format!("retry: 200\nid: {seen}\n: nothing changed\n\n")
    };
    let response = Response::from_string(body)
        .with_header(header("Content-Type", "text/event-stream"))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

/// Whether a `Host` header names the preview by address rather than by a domain name:
/// `localhost`, an IPv4 address or a bracketed IPv6 address, with or without a port. The
/// server is bound to an address (127.0.0.1, or `--bind`), so those are the names it has.
fn names_this_machine(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => {
            return v6
                .split_once(']')
                .is_some_and(|(ip, rest)| ip.parse::<std::net::Ipv6Addr>().is_ok() && (rest.is_empty() || port(rest)));
        }
        None => host.rsplit_once(':').filter(|(_, p)| port(&format!(":{p}"))).map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::Ipv4Addr>().is_ok()
}

/// `:1234`.
fn port(text: &str) -> bool {
    text.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A request path as a key of the in-memory site (`organisations/x/index.html`), or `None`
/// for anything that is not a plain path inside it.
pub fn normalise(path: &str) -> Option<String> {
    let decoded = percent_decode(path)?;
    if decoded.contains(['\0', '\\']) || !decoded.starts_with('/') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part == "." || part == ".." {
            return None;
        }
        parts.push(part);
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// Decodes `%XX` escapes; `None` if they are malformed or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(key: &str) -> &'static str {
    // The Atom feed has its own type, so feed readers and browsers take it as a feed.
    if key == "atom.xml" || key.ends_with("/atom.xml") {
        return "application/atom+xml";
    }
    match key.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// Adds the live-reload script, and the overlay if there is one, before `</body>`. A page
/// without the overlay forgets that one was closed ([`DISMISSED`]), so the same errors coming
/// back after a fix show again.
fn inject(page: &[u8], s: &Snapshot) -> Vec<u8> {
    let html = String::from_utf8_lossy(page);
    let forget = if s.overlay.is_none() {
        format!("try{{sessionStorage.removeItem('{DISMISSED}');}}catch(x){{}}")
    } else {
        String::new()
    };
    let mut extra = format!(
        "<script>(function(){{{forget}var e=new EventSource('/__oversight/events?v={}');e.onmessage=function(m){{if(m.data==='reload'){{e.close();location.reload();}}}};}})();</script>",
        s.version
    );
    if let Some(overlay) = &s.overlay {
        extra.insert_str(0, overlay);
    }
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]).into_bytes(),
        None => format!("{html}{extra}").into_bytes(),
    }
}

/// The overlay's colours: white on the NHS.UK text colour, and the code frames white on black
/// (14.4:1 and 21:1; the tests check both are at least 4.5:1).
const OVERLAY_TEXT: &str = "#ffffff";
const OVERLAY_BACK: &str = "#212b32";
const OVERLAY_CODE_BACK: &str = "#000000";
/// The NHS.UK focus colour, for the outline of whatever in the overlay has the keyboard focus.
const OVERLAY_FOCUS: &str = "#ffeb3b";

/// The session storage key that holds the fingerprint of the errors the author closed. It is
/// not named `oversight-errors…`, so a page without the overlay never mentions the overlay.
const DISMISSED: &str = "oversight.closed";

/// What the overlay shows: the errors first, then the warnings and notes, each as rendered in
/// the terminal.
#[derive(Debug, Default)]
pub struct Report {
    /// "2 errors, 1 warning", or what went wrong ("the site could not be read").
    pub summary: String,
    pub errors: String,
    pub others: String,
}

impl Report {
    /// What went wrong when there are no diagnostics to list: the site could not be read, or
    /// a template failed.
    pub fn failure(summary: &str, error: &dyn std::fmt::Display) -> Report {
        Report { summary: summary.to_string(), errors: error.to_string(), others: String::new() }
    }
}

/// The overlay for a report: a panel at the foot of the screen over the last good page, which
/// the author can close (the button, or Escape) until the next, different, set of problems.
///
/// It sits over any site's pages, so it must not take their styles: its own rules first set
/// every property of it and everything in it back to the browser's defaults (`all: revert`,
/// with `!important` and an id selector, which beats any theme rule short of an `!important`
/// one with an id), then give its own colours and type.
///
/// For assistive technology it is a non-modal `alertdialog` named by its heading and described
/// by its summary; it takes the keyboard focus when it appears, so a screen reader announces
/// it, and on closing the focus goes to the small "show" button left in its place.
pub fn overlay(report: &Report) -> String {
    let Report { summary, errors, others } = report;
    let fingerprint = format!("{:016x}", oversight_syntax::hash::of(&(summary, errors, others)));
    let style = format!(
        "#oversight-errors,#oversight-errors *,#oversight-errors-show{{all:revert!important}}\
#oversight-errors{{display:block!important;position:fixed!important;z-index:2147483647!important;right:16px!important;bottom:16px!important;left:auto!important;top:auto!important;width:min(46rem,calc(100vw - 32px))!important;max-height:min(65vh,44rem)!important;overflow:auto!important;box-sizing:border-box!important;margin:0!important;padding:0 20px 20px!important;border:2px solid {OVERLAY_TEXT}!important;border-radius:4px!important;box-shadow:0 4px 16px rgba(0,0,0,.5)!important;background:{OVERLAY_BACK}!important;color:{OVERLAY_TEXT}!important;font:16px/1.5 Arial,sans-serif!important;text-align:left!important}}\
#oversight-errors[hidden],#oversight-errors-show[hidden]{{display:none!important}}\
#oversight-errors :focus-visible,#oversight-errors:focus-visible,#oversight-errors-show:focus-visible{{outline:4px solid {OVERLAY_FOCUS}!important;outline-offset:2px!important}}\
#oversight-errors:focus-visible{{outline-offset:0!important}}\
#oversight-errors .oversight-head{{display:flex!important;position:sticky!important;top:0!important;align-items:flex-start!important;justify-content:space-between!important;gap:12px!important;margin:0 -20px 8px!important;padding:16px 20px 8px!important;background:{OVERLAY_BACK}!important}}\
#oversight-errors h2{{display:block!important;margin:0!important;color:{OVERLAY_TEXT}!important;font:bold 20px/1.3 Arial,sans-serif!important}}\
#oversight-errors h3{{display:block!important;margin:16px 0 8px!important;color:{OVERLAY_TEXT}!important;font:bold 17px/1.3 Arial,sans-serif!important}}\
#oversight-errors button,#oversight-errors-show{{display:inline-block!important;flex:none!important;min-height:44px!important;min-width:44px!important;margin:0!important;padding:8px 14px!important;border:2px solid {OVERLAY_TEXT}!important;border-radius:4px!important;background:{OVERLAY_BACK}!important;color:{OVERLAY_TEXT}!important;font:bold 16px/1.5 Arial,sans-serif!important;cursor:pointer!important}}\
#oversight-errors-show{{position:fixed!important;z-index:2147483647!important;right:16px!important;bottom:16px!important;max-width:calc(100vw - 32px)!important;box-sizing:border-box!important;text-align:left!important}}\
#oversight-errors pre{{display:block!important;margin:0 0 16px!important;padding:16px!important;overflow:visible!important;white-space:pre-wrap!important;overflow-wrap:anywhere!important;background:{OVERLAY_CODE_BACK}!important;color:{OVERLAY_TEXT}!important;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace!important}}\
#oversight-errors p{{display:block!important;margin:0 0 8px!important;color:{OVERLAY_TEXT}!important;font:16px/1.5 Arial,sans-serif!important}}"
    );
    let section = |heading: &str, text: &str| {
        if text.trim().is_empty() { String::new() } else { format!("<h3>{heading}</h3><pre>{}</pre>", xml(text)) }
    };
    // Closing keeps the fingerprint for this tab's session; the page reloads on every rebuild,
    // and only a different set of problems (another fingerprint) opens the panel again.
    let script = format!(
        "(function(){{var p=document.getElementById('oversight-errors'),b=document.getElementById('oversight-errors-show'),c=document.getElementById('oversight-errors-close'),f=p.getAttribute('data-fingerprint'),k='{DISMISSED}';\
function keep(v){{try{{if(v)sessionStorage.setItem(k,v);else sessionStorage.removeItem(k);}}catch(x){{}}}}\
function closed(){{try{{return sessionStorage.getItem(k)===f;}}catch(x){{return false;}}}}\
function close(){{p.hidden=true;b.hidden=false;keep(f);b.focus();}}\
function open(){{b.hidden=true;p.hidden=false;keep(null);p.focus();}}\
c.addEventListener('click',close);b.addEventListener('click',open);\
document.addEventListener('keydown',function(e){{if(e.key==='Escape'&&!p.hidden){{e.preventDefault();close();}}}});\
if(closed()){{p.hidden=true;b.hidden=false;}}else{{keep(null);p.focus({{preventScroll:true}});}}}})();"
    );
    format!(
        "<style>{style}</style>\
<section id=\"oversight-errors\" role=\"alertdialog\" aria-modal=\"false\" aria-labelledby=\"oversight-errors-title\" aria-describedby=\"oversight-errors-summary\" tabindex=\"-1\" data-fingerprint=\"{fingerprint}\">\
<div class=\"oversight-head\"><h2 id=\"oversight-errors-title\">The site has errors</h2><button type=\"button\" id=\"oversight-errors-close\">Close</button></div>\
<p id=\"oversight-errors-summary\">{}: showing the last good build underneath. Fix the files and save: this page reloads by itself.</p>\
<p>Close or Escape hides this panel until the problems change.</p>{}{}</section>\
<button type=\"button\" id=\"oversight-errors-show\" hidden>Show the errors ({})</button>\
<script>{script}</script>",
        xml(summary),
        section("Errors", errors),
        section("Warnings and notes", others),
        xml(summary),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(shared: &Shared) -> Vec<(String, String)> {
        let s = shared.snapshot.lock().unwrap();
        let mut files: Vec<_> =
            s.files.iter().map(|(path, bytes)| (path.clone(), String::from_utf8_lossy(bytes).into_owned())).collect();
        files.sort();
        files
    }

    fn file(path: &str, text: &str) -> (String, Arc<Vec<u8>>) {
        (path.to_string(), Arc::new(text.as_bytes().to_vec()))
    }

    #[test]
    fn publishing_applies_a_rebuild_and_pdfs_replace_their_set() {
        let shared = Shared::default();
        shared.publish(Some(Changes { changed: vec![file("a", "1"), file("b", "1")], removed: Vec::new() }), None);
        shared.publish(Some(Changes { changed: vec![file("b", "2")], removed: vec!["a".into()] }), None);
        assert_eq!(served(&shared), [("b".into(), "2".into())]);
        assert_eq!(shared.version(), 2);

        shared.set_output(Output::Pdfs, vec![file("p.pdf", "x"), file("q.pdf", "y")]);
        shared.set_output(Output::Workbook, vec![file("w.xlsx", "1")]);
        shared.set_output(Output::Pdfs, vec![file("p.pdf", "z")]);
        assert_eq!(
            served(&shared),
            [("b".into(), "2".into()), ("p.pdf".into(), "z".into()), ("w.xlsx".into(), "1".into())]
        );
        // They arrive without a reload.
        assert_eq!(shared.version(), 2);
    }

    #[test]
    fn the_files_made_after_the_pages_are_answered_once_they_are_made() {
        let shared = Arc::new(Shared::default());
        let index = "search/index.json";
        shared.publish(
            Some(Changes { changed: vec![file("index.html", "1"), file(index, "1")], removed: Vec::new() }),
            None,
        );
        shared.land_later(Changes::default());
        shared.publish(Some(Changes { changed: vec![file("index.html", "2")], removed: Vec::new() }), None);
        assert_eq!(shared.version(), 2, "the pages reload");
        // A page, and a file made with the pages, are answered at once.
        assert_eq!(**shared.snapshot_for("index.html").files.get("index.html").unwrap(), b"2");
        drop(shared.snapshot_for("assets/style.css"));
        let waiting = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || shared.snapshot_for(index).files.get(index).unwrap().to_vec())
        };
        std::thread::sleep(Duration::from_millis(100));
        assert!(!waiting.is_finished(), "the search index is held while it is made");
        shared.land_later(Changes { changed: vec![file(index, "2")], removed: Vec::new() });
        assert_eq!(waiting.join().unwrap(), b"2", "and answered as made");
        assert_eq!(shared.version(), 2, "without a second reload");
    }

    /// WCAG 2.x contrast ratio of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        };
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn the_overlay_has_its_own_readable_colours_and_escapes_what_it_shows() {
        assert!(contrast(OVERLAY_TEXT, OVERLAY_BACK) >= 4.5, "{}", contrast(OVERLAY_TEXT, OVERLAY_BACK));
        assert!(contrast(OVERLAY_TEXT, OVERLAY_CODE_BACK) >= 4.5);
        assert!(contrast(OVERLAY_FOCUS, OVERLAY_BACK) >= 3.0, "the focus outline against the overlay");
        assert!((contrast("#ffffff", "#000000") - 21.0).abs() < 0.01, "the formula");
        let html = overlay(&Report::failure("1 error", &"error: <script>x</script> & co"));
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt; &amp; co"), "{html}");
        // Its rules reset everything in it before setting its own: a theme's `pre` background
        // (the bug: white text on light grey) cannot reach it.
        let reset =
            html.find("#oversight-errors,#oversight-errors *,#oversight-errors-show{all:revert!important}").unwrap();
        let pre = html.find("#oversight-errors pre{").unwrap();
        assert!(reset < pre);
        assert!(html[pre..].starts_with(&format!("#oversight-errors pre{{display:block!important;margin:0 0 16px!important;padding:16px!important;overflow:visible!important;white-space:pre-wrap!important;overflow-wrap:anywhere!important;background:{OVERLAY_CODE_BACK}!important;color:{OVERLAY_TEXT}!important")));
        assert!(html.contains("role=\"alertdialog\" aria-modal=\"false\""));
    }

    #[test]
    fn the_overlay_is_a_panel_that_lists_errors_first_and_can_be_closed() {
        let report = |others: &str| Report {
            summary: "1 error, 1 warning".into(),
            errors: "error[OVS003]: bad".into(),
            others: others.into(),
        };
        let html = overlay(&report("warning[OVS207]: later"));
        let (errors, others) =
            (html.find("<h3>Errors</h3>").unwrap(), html.find("<h3>Warnings and notes</h3>").unwrap());
        assert!(errors < html.find("error[OVS003]").unwrap() && html.find("error[OVS003]").unwrap() < others);
        assert!(others < html.find("warning[OVS207]").unwrap());
        // Not over the whole screen: fixed at the foot, as wide and tall as it may be.
        assert!(!html.contains("inset:0"));
        assert!(html.contains("max-height:min(65vh,44rem)!important"));
        // A close button, Escape, and the button that brings it back; hidden means hidden
        // whatever the panel's own `display`.
        assert!(html.contains("<button type=\"button\" id=\"oversight-errors-close\">Close</button>"));
        assert!(html.contains("e.key==='Escape'"));
        assert!(html.contains("id=\"oversight-errors-show\" hidden>Show the errors (1 error, 1 warning)</button>"));
        assert!(html.contains("#oversight-errors[hidden],#oversight-errors-show[hidden]{display:none!important}"));
        // Closing lasts until the problems change: the fingerprint tells sets apart.
        let fingerprint = |html: &str| html.split("data-fingerprint=\"").nth(1).unwrap()[..16].to_string();
        assert_eq!(fingerprint(&html), fingerprint(&overlay(&report("warning[OVS207]: later"))));
        assert_ne!(fingerprint(&html), fingerprint(&overlay(&report(""))));
        // No warnings: no empty section.
        assert!(!overlay(&report("")).contains("Warnings and notes"));
        // A page without the overlay forgets a closed one, and never names it.
        let page = inject(b"<html><body></body></html>", &Snapshot::default());
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains(&format!("sessionStorage.removeItem('{DISMISSED}')")) && !page.contains("oversight-errors")
        );
    }

    #[test]
    fn only_hosts_that_name_this_machine_are_answered() {
        for good in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:1111",
            "127.0.0.1:1111",
            "192.168.1.20:8080",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(names_this_machine(good), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example:1111",
            "[::1]x",
            "1.2.3.4:abc",
            "",
        ] {
            assert!(!names_this_machine(bad), "{bad}");
        }
    }

    #[test]
    fn feeds_are_served_as_feeds() {
        assert_eq!(content_type("atom.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("organisations/x/index.html"), "text/html; charset=utf-8");
    }

    #[test]
    fn paths_never_leave_the_site() {
        assert_eq!(normalise("/").as_deref(), Some("index.html"));
        assert_eq!(normalise("/organisations/x/").as_deref(), Some("organisations/x/index.html"));
        assert_eq!(normalise("/assets/style.css").as_deref(), Some("assets/style.css"));
        assert_eq!(normalise("/a%20b.txt").as_deref(), Some("a b.txt"));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2fetc/passwd",
            "/a/../../b",
            "/a%00b",
            "/a\\..\\b",
            "/%zz",
            "relative",
            "/a/%2e/b",
        ] {
            assert_eq!(normalise(bad), None, "{bad}");
        }
    }
}
