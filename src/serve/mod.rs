//! `oversight serve`: build the site in memory, serve it on 127.0.0.1, and rebuild on every
//! change with live reload. While the content has errors, the last good site stays up with
//! the diagnostics over every page; the very first build may fail and the server still starts.
//! Pages whose template and context did not change are not rendered again, and the browser
//! reloads once the pages are made: the search index, the feed, the sitemap and the timeline's
//! data follow without a reload, and a request for one of them waits until it is. It makes what
//! `oversight build` makes ([`crate::outputs`]): the workbook and the PDFs in the background,
//! after the pages are live.

pub mod http;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::outputs::{self, OUTPUTS, Output};
use http::Shared;
use oversight_model::{LoadError, Reach};
use oversight_rules::check::{Checked, Workspace};
use oversight_site::{PageCache, RenderOptions};
use oversight_syntax::diagnostics::{Colour, Level, Summary, render_human};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: PathBuf,
    pub bind: IpAddr,
    /// The first port to try; the next free one is used if it is taken. 0: any free port.
    pub port: u16,
    pub drafts: bool,
    /// Show private meetings and their papers too.
    pub private: bool,
    pub poll: bool,
    pub open: bool,
}

/// How many ports after the requested one to try.
const PORT_TRIES: u16 = 20;

fn bind(options: &ServeOptions) -> Result<(tiny_http::Server, u16), String> {
    let ports: Vec<u16> =
        if options.port == 0 { vec![0] } else { (options.port..options.port.saturating_add(PORT_TRIES)).collect() };
    for port in ports {
        if let Ok(server) = tiny_http::Server::http((options.bind, port)) {
            let port = server.server_addr().to_ip().map_or(port, |a| a.port());
            return Ok((server, port));
        }
    }
    Err(format!("no free port from {} to {}", options.port, options.port.saturating_add(PORT_TRIES - 1)))
}

/// Runs until the process is stopped; returns only on a failure to start or to watch.
pub fn run(options: &ServeOptions, today: oversight_syntax::date::Date) -> Result<(), String> {
    if !options.site.join("content").is_dir() {
        return Err(format!("no content/ folder in {}: pass the site folder with --site", options.site.display()));
    }
    // The watcher reports absolute paths; a relative --site would match none of them.
    let site = std::fs::canonicalize(&options.site).map_err(|e| format!("{}: {e}", options.site.display()))?;
    let (server, port) = bind(options)?;
    if options.port != 0 && port != options.port {
        eprintln!("port {} is in use, so the preview is on port {port}", options.port);
    }
    let host = if options.bind.is_unspecified() { IpAddr::V4(Ipv4Addr::LOCALHOST) } else { options.bind };
    let url = format!("http://{}/", std::net::SocketAddr::new(host, port));
    if !options.bind.is_loopback() {
        eprintln!("warning: serving on {}: other machines on the network can see this preview", options.bind);
    }
    let shared = Arc::new(Shared::default());
    let server = Arc::new(server);
    {
        let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
        std::thread::spawn(move || http::run(server, shared));
    }

    // Watch before the first build, so no save after it can be missed.
    let mut watch = watch::Watch::start(&site, options.poll)?;
    let mut builder = Builder {
        site,
        root: crate::commands::check::root(&options.site),
        live: None,
        options: render_options(options),
        cache: PageCache::default(),
        shared: Arc::clone(&shared),
        background: OUTPUTS.iter().filter(|o| o.pause().is_some()).map(|&o| Background::new(o)).collect(),
        today,
    };
    builder.rebuild(&[]);
    println!("Serving {} at {url} (Ctrl+C to stop)", options.site.display());
    if options.open {
        open_browser(&url);
    }
    loop {
        let mut changed = watch.next_batch()?;
        // A file written again while the rebuild read it may have raised no event the watcher
        // had not already counted (the kernel merges repeated ones): rebuild until what was
        // read is what is on disk.
        while !changed.is_empty() {
            let before = stamps(&changed);
            builder.rebuild(&changed);
            changed =
                changed.into_iter().zip(before).filter(|(path, was)| stamp(path) != *was).map(|(p, _)| p).collect();
        }
    }
}

struct Builder {
    site: PathBuf,
    /// The site folder as diagnostics name files under it: relative to the working directory.
    root: PathBuf,
    /// The site as last loaded; a change re-reads only the files it names.
    live: Option<Workspace>,
    /// What every output is made with, as `oversight build` would make it.
    options: RenderOptions,
    cache: PageCache,
    shared: Arc<Shared>,
    /// The outputs made after the pages are live.
    background: Vec<Background>,
    today: oversight_syntax::date::Date,
}

/// The options `oversight build` would be given for what the preview shows: every page as at
/// the root of the preview, linking the PDFs it makes.
fn render_options(options: &ServeOptions) -> RenderOptions {
    RenderOptions { base_url: Some("/".into()), drafts: options.drafts, papers: true, private: options.private }
}

/// An output `serve` makes on another thread once the pages are published, and adds without a
/// reload.
struct Background {
    output: Output,
    /// Bumped by every build, so a slow job from an older build does not overwrite newer files.
    generation: Arc<AtomicU64>,
    /// The last good site, waiting for a pause in editing to be made.
    pending: Arc<Mutex<Option<Checked>>>,
}

impl Background {
    fn new(output: Output) -> Background {
        Background { output, generation: Arc::new(AtomicU64::new(0)), pending: Arc::default() }
    }
}

impl Builder {
    /// The site with these changes taken in: the changed files re-read, or everything read
    /// afresh if nothing is loaded yet (the first build, or after the site could not be read).
    fn load(&mut self, changed: &[PathBuf]) -> Result<&Workspace, LoadError> {
        match &mut self.live {
            Some(live) => {
                live.update(changed)?;
            }
            None => {
                // The private folder only when the preview shows what is private; its files
                // are read when the site is loaded, not as they change.
                let reach = if self.options.private { Reach::WithPrivate } else { Reach::Public };
                self.live = Some(Workspace::load(&self.site, reach)?)
            }
        }
        Ok(self.live.as_ref().expect("loaded above"))
    }

    /// Checks and renders the site and publishes it (or, with errors, the overlay over the last
    /// good site). Prints what changed and how long it took.
    fn rebuild(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        let names: Vec<String> =
            changed.iter().map(|p| p.strip_prefix(&self.site).unwrap_or(p).display().to_string()).collect();
        let today = self.today;
        for job in &self.background {
            job.pending.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
        let checked = match self.load(changed) {
            Ok(live) => live.check(None, today),
            Err(e) => {
                self.live = None;
                self.shared
                    .publish(None, Some(http::overlay(&http::Report::failure("the site could not be read", &e))));
                eprintln!("error: {e}");
                return;
            }
        };
        if checked.has_errors() {
            eprint!("{}", diagnostics_text(&checked, &self.root));
            self.shared.publish(None, Some(overlay_of(&checked, &self.root)));
            crate::say!("{} — showing the last good build ({:.0} ms)", changed_line(&names), ms(started));
            return;
        }
        let changed = Mutex::new(Vec::new());
        let emit = |path: String, bytes: Arc<Vec<u8>>| {
            changed.lock().unwrap_or_else(|e| e.into_inner()).push((path, bytes));
            Ok(())
        };
        let taken = || std::mem::take(&mut *changed.lock().unwrap_or_else(|e| e.into_inner()));
        // The pages go live as soon as they are made; the search index, the feed and the
        // timeline's data follow without a reload.
        let live = std::cell::Cell::new(None);
        let pages_done = |removed: Vec<String>| {
            self.shared.publish(Some(http::Changes { changed: taken(), removed }), None);
            live.set(Some(ms(started)));
        };
        let made = outputs::make(
            Output::Site,
            &self.site,
            &checked,
            &self.options,
            Some(&mut self.cache),
            Some(&pages_done),
            &emit,
        );
        match made {
            Ok(rendered) => {
                self.shared.land_later(http::Changes { changed: taken(), removed: rendered.removed });
                // Warnings and notes are printed; only errors cover the page.
                if !checked.diagnostics.is_empty() {
                    eprint!("{}", diagnostics_text(&checked, &self.root));
                }
                crate::say!(
                    "{} — rebuilt {} of {} pages in {:.0} ms",
                    changed_line(&names),
                    rendered.rendered,
                    rendered.pages,
                    live.get().unwrap_or_else(|| ms(started))
                );
                for job in &self.background {
                    self.in_background(job, checked.clone());
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                self.shared.publish(None, Some(http::overlay(&http::Report::failure("a template failed", &e))));
            }
        }
    }

    /// Makes a background output on another thread and adds its files when done, without a
    /// reload: a record edit does not wait for the workbook or the PDFs. Each waits for its
    /// pause in editing and is dropped if a newer build starts, so typesetting never competes
    /// with the rebuild after the next save. While waiting, the site sits in `pending`, which
    /// the next rebuild empties first: the waiting job then holds no share of the register
    /// that rebuild patches, so patching it copies nothing.
    fn in_background(&self, job: &Background, checked: Checked) {
        let generation = job.generation.fetch_add(1, Ordering::SeqCst) + 1;
        *job.pending.lock().unwrap_or_else(|e| e.into_inner()) = Some(checked);
        let (site, shared, options) = (self.site.clone(), Arc::clone(&self.shared), self.options.clone());
        let (output, current, pending) = (job.output, Arc::clone(&job.generation), Arc::clone(&job.pending));
        let pause = output.pause().unwrap_or_default();
        std::thread::spawn(move || {
            std::thread::sleep(pause);
            if current.load(Ordering::SeqCst) != generation {
                return;
            }
            let Some(checked) = pending.lock().unwrap_or_else(|e| e.into_inner()).take() else { return };
            let files = Mutex::new(Vec::new());
            let emit = |path: String, bytes: Arc<Vec<u8>>| {
                files.lock().unwrap_or_else(|e| e.into_inner()).push((path, bytes));
                Ok(())
            };
            match outputs::make(output, &site, &checked, &options, None, None, &emit) {
                Ok(_) if current.load(Ordering::SeqCst) == generation => {
                    shared.set_output(output, files.into_inner().unwrap_or_else(|e| e.into_inner()));
                }
                Ok(_) => {}
                Err(e) if output == Output::Pdfs => eprintln!("papers: {e}"),
                Err(e) => eprintln!("{e}"),
            }
        });
    }
}

/// What tells one version of a file from the next without reading it: its length and time of
/// last change (`None` if it is gone).
fn stamp(path: &std::path::Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = path.metadata().ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

fn stamps(paths: &[PathBuf]) -> Vec<Option<(u64, std::time::SystemTime)>> {
    paths.iter().map(|p| stamp(p)).collect()
}

fn diagnostics_text(checked: &Checked, root: &Path) -> String {
    let mut out = Vec::new();
    let _ = render_human(&checked.diagnostics, &checked.sources, root, Colour::Never, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The overlay for a check with errors: the errors first, then the warnings and notes.
fn overlay_of(checked: &Checked, root: &Path) -> String {
    let text = |errors: bool| {
        let picked: Vec<_> =
            checked.diagnostics.iter().filter(|d| (d.level == Level::Error) == errors).cloned().collect();
        let mut out = Vec::new();
        let _ = render_human(&picked, &checked.sources, root, Colour::Never, &mut out);
        let text = String::from_utf8_lossy(&out);
        // Each part's own count line goes: the overlay gives the whole count once, at the top.
        let count = format!("{}\n", Summary::of(&picked));
        text.strip_suffix(&count).unwrap_or(&text).to_string()
    };
    let summary = Summary::of(&checked.diagnostics).to_string();
    http::overlay(&http::Report { summary, errors: text(true), others: text(false) })
}

fn changed_line(names: &[String]) -> String {
    match names {
        [] => "initial build".to_string(),
        [one] => format!("changed {one}"),
        [first, rest @ ..] => format!("changed {first} and {} more", rest.len()),
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Opens the preview in the default browser. Where there is none (a server, a container, SSH
/// without a display), or the opener fails, it says so in one line with the address instead:
/// the preview runs all the same.
fn open_browser(url: &str) {
    let owned = url.to_string();
    let fallback = move || eprintln!("no browser to open here: open {owned} yourself");
    let (program, check_status) = if cfg!(target_os = "macos") {
        ("open", true)
    } else if cfg!(windows) {
        // explorer.exe exits 1 even when it opened the page.
        ("explorer", false)
    } else {
        let display = ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
        if !display {
            return fallback();
        }
        ("xdg-open", true)
    };
    let child = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match child {
        // The opener's own messages are dropped; its exit status says whether it worked.
        Ok(mut child) if check_status => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|status| status.success()) {
                    fallback();
                }
            });
        }
        Ok(_) => {}
        Err(_) => fallback(),
    }
}
