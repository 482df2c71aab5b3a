//! `oversight lsp`: the checker in the author's editor, as they type. A Language Server over
//! standard input and output (`lsp-server`'s message types, no async runtime: one thread
//! answers in order, as the protocol allows).
//!
//! The open documents' text stands in front of the disk in the same incremental [`Workspace`]
//! `serve` keeps ([`documents`]); after each burst of edits the whole register is checked
//! once, so a file that depends on an edited record is diagnosed again, and each file's
//! diagnostics are published when they change ([`diagnostics`]). Hover, definition, document
//! links, completion and code actions read the same register. The register is the folder
//! holding `content/`, found by walking up from the editor's workspace folder (or, failing
//! that, from the first document opened). Nothing a client sends may stop the server: a
//! request it cannot read gets an error response, and a handler that panics is answered with
//! an error (a notification's panic reloads the register from disk and the buffers).

mod actions;
mod completion;
mod context;
mod definition;
mod diagnostics;
mod documents;
mod hover;
mod keys;
mod position;
mod records;
mod transport;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentLinkRequest, GotoDefinition, HoverRequest, Request as _,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, Diagnostic as LspDiagnostic, DocumentLinkOptions,
    HoverProviderCapability, OneOf, Position, PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, Url,
};
use oversight_model::Register;
use oversight_model::kinds::{RecordKind, classify};
use oversight_rules::check::Workspace;
use oversight_syntax::date::Date;
use serde_json::Value;

use documents::Documents;
use position::LineIndex;

/// Runs the server until the editor says `exit` (or closes its end).
/// `oversight lsp`: the server on standard input and output, until the client says exit.
pub fn run() -> Result<super::Outcome, super::Failure> {
    speak(super::today()).map_err(super::Failure)?;
    Ok(super::Outcome::Success)
}

fn speak(today: Date) -> Result<(), String> {
    let (connection, threads) = transport::stdio();
    let result = serve(&connection, today);
    drop(connection);
    threads.join();
    result
}

/// Speaks the protocol on `connection`: the handshake, then every message until `exit`.
pub fn serve(connection: &Connection, today: Date) -> Result<(), String> {
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["/", ":", " ", "{", "`", "-"].map(String::from).to_vec()),
            ..Default::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        ..Default::default()
    };
    let capabilities = serde_json::to_value(capabilities).map_err(|e| e.to_string())?;
    let params =
        connection.initialize(capabilities).map_err(|e| format!("the editor did not start the session: {e}"))?;
    let mut server = Server::new(connection, today, &roots(&params));
    loop {
        let message = match connection.receiver.recv() {
            Ok(message) => message,
            Err(_) => return Ok(()),
        };
        if let Message::Request(request) = &message {
            match connection.handle_shutdown(request) {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(_) => return Ok(()),
            }
        }
        if let Message::Notification(n) = &message
            && n.method == "exit"
        {
            return Ok(());
        }
        server.handle(message);
        // Every edit of a burst is taken in before the register is checked once.
        if server.dirty && connection.receiver.is_empty() {
            server.check_and_publish();
        }
    }
}

/// Where to look for the register: the workspace folders and root the editor names, then the
/// folder the server was started in.
fn roots(params: &Value) -> Vec<PathBuf> {
    let uris = params["workspaceFolders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["uri"].as_str())
        .chain(params["rootUri"].as_str());
    let mut roots: Vec<PathBuf> = uris.filter_map(|u| Url::parse(u).ok()?.to_file_path().ok()).collect();
    roots.extend(params["rootPath"].as_str().map(PathBuf::from));
    roots.extend(std::env::current_dir().ok());
    roots
}

/// A register and what the server knows of it.
struct Site {
    /// The folder holding `content/`, symbolic links resolved.
    dir: PathBuf,
    /// The register as loaded, with the open documents in front of the disk; `None` while it
    /// cannot be read (it is tried again after the next change).
    workspace: Option<Workspace>,
    schemas: keys::Schemas,
    /// What was last published, by file.
    published: BTreeMap<Url, Vec<LspDiagnostic>>,
    today: Date,
}

static EMPTY: LazyLock<Register> = LazyLock::new(Register::default);

impl Site {
    fn register(&self) -> &Register {
        self.workspace.as_ref().map_or(&EMPTY, |w| &w.loaded.register)
    }

    /// The date the register is viewed at: site.yaml's as-of date, else today.
    fn as_of(&self) -> Date {
        self.register().site.as_of.unwrap_or(self.today)
    }

    /// How diagnostics name a file: `content/organisations/x.yaml`.
    fn sources_path(&self, file: oversight_syntax::source::FileId) -> String {
        match &self.workspace {
            Some(w) if (file.0 as usize) < w.loaded.sources.len() => w.loaded.sources.path(file).display().to_string(),
            _ => String::new(),
        }
    }

    fn uri_of(&self, file: oversight_syntax::source::FileId) -> Option<Url> {
        let sources = &self.workspace.as_ref()?.loaded.sources;
        ((file.0 as usize) < sources.len()).then(|| diagnostics::uri_of(&self.dir, sources, file))?
    }

    /// The rule codes of the published diagnostics of `uri` that cover `position`.
    fn codes_at(&self, uri: &Url, position: Position) -> Vec<String> {
        let mut codes: Vec<String> = self
            .published
            .get(uri)
            .into_iter()
            .flatten()
            .filter(|d| d.range.start <= position && position <= d.range.end)
            .filter_map(|d| match &d.code {
                Some(lsp_types::NumberOrString::String(code)) => Some(code.clone()),
                _ => None,
            })
            .collect();
        codes.dedup();
        codes
    }

    /// The register read afresh from disk, with the open documents in front of it.
    fn reload(&mut self, documents: &Documents) {
        self.workspace = match Workspace::load(&self.dir, oversight_model::Reach::Public) {
            Ok(mut workspace) => {
                for doc in documents.all() {
                    if let Err(e) = workspace.set_overlay(&doc.path, Some(doc.text.clone())) {
                        eprintln!("oversight lsp: {e}");
                    }
                }
                Some(workspace)
            }
            Err(e) => {
                eprintln!("oversight lsp: {e}");
                None
            }
        };
    }
}

/// One document as a request sees it: its text and where it is in the register.
struct View {
    uri: Url,
    text: String,
    index: LineIndex,
    /// Its path under `content/`.
    rel: PathBuf,
    /// Its folder under `content/`, from which relative links resolve.
    doc_dir: String,
    /// The kind of record its path says it holds.
    kind: Option<RecordKind>,
}

impl View {
    fn position(&self, offset: usize) -> Position {
        self.index.position(&self.text, offset)
    }

    fn offset(&self, position: Position) -> usize {
        self.index.offset(&self.text, position)
    }

    fn range(&self, (start, end): (usize, usize)) -> lsp_types::Range {
        self.index.range(&self.text, start, end)
    }

    fn markdown(&self) -> bool {
        self.rel.extension().is_some_and(|e| e == "md")
    }

    /// Where `offset` is in the document's YAML (a record, or a Markdown file's front matter).
    fn yaml_place(&self, offset: usize) -> Option<context::YamlPlace> {
        let range = context::yaml_range(&self.text, self.markdown())?;
        context::yaml_place(&self.text, range, offset)
    }
}

struct Server<'a> {
    connection: &'a Connection,
    documents: Documents,
    roots: Vec<PathBuf>,
    site: Option<Site>,
    /// Whether something changed since the last check.
    dirty: bool,
    today: Date,
}

impl<'a> Server<'a> {
    fn new(connection: &'a Connection, today: Date, roots: &[PathBuf]) -> Server<'a> {
        let mut server = Server {
            connection,
            documents: Documents::default(),
            roots: roots.to_vec(),
            site: None,
            dirty: false,
            today,
        };
        let found = server.roots.iter().find_map(|r| documents::find_register(r));
        if let Some(dir) = found {
            server.open_site(dir);
        }
        server
    }

    fn open_site(&mut self, dir: PathBuf) {
        let mut site = Site {
            dir,
            workspace: None,
            schemas: keys::Schemas::default(),
            published: BTreeMap::new(),
            today: self.today,
        };
        site.reload(&self.documents);
        self.site = Some(site);
        self.dirty = true;
    }

    /// Handles one message; a handler that panics is answered with an error and, for a
    /// change, leaves the register to be read again.
    fn handle(&mut self, message: Message) {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let method = request.method.clone();
                let response = catch_unwind(AssertUnwindSafe(|| self.request(request))).unwrap_or_else(|_| {
                    Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("{method} failed: an internal error"),
                    )
                });
                self.send(Message::Response(response));
            }
            Message::Notification(notification) => {
                if catch_unwind(AssertUnwindSafe(|| self.notification(notification))).is_err() {
                    if let Some(site) = &mut self.site {
                        site.reload(&self.documents);
                    }
                    self.dirty = true;
                }
            }
            // The server sends no requests, so expects no responses.
            Message::Response(_) => {}
        }
    }

    fn send(&self, message: Message) {
        // The writer ends only when the editor has gone.
        let _ = self.connection.sender.send(message);
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params) else { return };
                let doc = p.text_document;
                let Some(path) = self.documents.open(doc.uri, doc.version, doc.text.clone()).map(|d| d.path.clone())
                else {
                    return;
                };
                if self.site.is_none()
                    && let Some(dir) = documents::find_register(path.parent().unwrap_or(&path))
                {
                    self.open_site(dir);
                }
                self.overlay(&path, Some(doc.text));
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params) else { return };
                let doc = p.text_document;
                let Some(doc) = self.documents.change(&doc.uri, doc.version, p.content_changes) else { return };
                let (path, text) = (doc.path.clone(), doc.text.clone());
                self.overlay(&path, Some(text));
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params) else { return };
                if let Some(doc) = self.documents.close(&p.text_document.uri) {
                    self.overlay(&doc.path, None);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params) else { return };
                let paths: Vec<PathBuf> = p.changes.iter().filter_map(|c| documents::file_path(&c.uri)).collect();
                if let Some(workspace) = self.site.as_mut().and_then(|s| s.workspace.as_mut())
                    && let Err(e) = workspace.update(&paths)
                {
                    eprintln!("oversight lsp: {e}");
                    if let Some(site) = self.site.as_mut() {
                        site.workspace = None;
                    }
                }
                self.dirty = true;
            }
            _ => {}
        }
    }

    /// Puts a document's text in front of the disk (or takes it away).
    fn overlay(&mut self, path: &Path, text: Option<String>) {
        let Some(site) = &mut self.site else { return };
        if !path.starts_with(site.dir.join("content")) {
            return;
        }
        if let Some(workspace) = &mut site.workspace
            && let Err(e) = workspace.set_overlay(path, text)
        {
            eprintln!("oversight lsp: {e}");
            site.workspace = None;
        }
        self.dirty = true;
    }

    /// Checks the register and publishes what changed.
    fn check_and_publish(&mut self) {
        self.dirty = false;
        let Some(site) = &mut self.site else { return };
        if site.workspace.is_none() {
            site.reload(&self.documents);
        }
        let Some(workspace) = &site.workspace else {
            // Nothing can be said of a register that cannot be read: what was said goes.
            let gone: Vec<Url> = std::mem::take(&mut site.published).into_keys().collect();
            for uri in gone {
                publish(self.connection, uri, Vec::new(), None);
            }
            return;
        };
        // The check is dropped once published: a share of the register kept past it would make
        // the next edit copy the whole register (and every file's text) to patch it.
        let checked = workspace.check(None, self.today);
        let mut now = diagnostics::by_file(&checked, &site.dir);
        drop(checked);
        let versions: BTreeMap<&Path, i32> = self.documents.all().map(|d| (d.path.as_path(), d.version)).collect();
        let version = |uri: &Url| uri.to_file_path().ok().and_then(|p| versions.get(p.as_path()).copied());
        for (uri, was) in &site.published {
            if !now.contains_key(uri) && !was.is_empty() {
                publish(self.connection, uri.clone(), Vec::new(), version(uri));
            }
        }
        for (uri, diagnostics) in &now {
            if site.published.get(uri) != Some(diagnostics) {
                publish(self.connection, uri.clone(), diagnostics.clone(), version(uri));
            }
        }
        now.retain(|_, d| !d.is_empty());
        site.published = now;
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => self.answer::<lsp_types::HoverParams, _>(request, |s, p| {
                let tdp = p.text_document_position_params;
                let (site, view) = s.view(&tdp.text_document.uri)?;
                let offset = view.offset(tdp.position);
                let (value, range) = hover::at(site, &view, offset)?;
                Some(lsp_types::Hover {
                    contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
                        kind: lsp_types::MarkupKind::Markdown,
                        value,
                    }),
                    range: range.map(|r| view.range(r)),
                })
            }),
            GotoDefinition::METHOD => self.answer::<lsp_types::GotoDefinitionParams, _>(request, |s, p| {
                let tdp = p.text_document_position_params;
                let (site, view) = s.view(&tdp.text_document.uri)?;
                let offset = view.offset(tdp.position);
                definition::at(site, &view, offset).map(lsp_types::GotoDefinitionResponse::Scalar)
            }),
            DocumentLinkRequest::METHOD => self.answer::<lsp_types::DocumentLinkParams, _>(request, |s, p| {
                let (site, view) = s.view(&p.text_document.uri)?;
                Some(definition::links(site, &view))
            }),
            Completion::METHOD => self.answer::<lsp_types::CompletionParams, _>(request, |s, p| {
                let tdp = p.text_document_position;
                let (site, view) = s.view(&tdp.text_document.uri)?;
                let offset = view.offset(tdp.position);
                Some(lsp_types::CompletionResponse::Array(completion::at(site, &view, offset)))
            }),
            CodeActionRequest::METHOD => self.answer::<lsp_types::CodeActionParams, _>(request, |s, p| {
                let site = s.site.as_ref()?;
                Some(actions::for_range(site, &p))
            }),
            _ => Err(Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("no method {}", request.method),
            )),
        };
        match result {
            Ok(value) => Response { id, result: Some(value), error: None },
            Err(response) => response,
        }
    }

    /// Reads a request's parameters as `P` and answers with what `f` finds (`null` for nothing).
    fn answer<P: serde::de::DeserializeOwned, R: serde::Serialize>(
        &mut self,
        request: Request,
        f: impl FnOnce(&mut Self, P) -> Option<R>,
    ) -> Result<Value, Response> {
        let params: P = serde_json::from_value(request.params).map_err(|e| {
            Response::new_err(request.id.clone(), ErrorCode::InvalidParams as i32, format!("invalid parameters: {e}"))
        })?;
        let answer = f(self, params);
        Ok(serde_json::to_value(answer).unwrap_or(Value::Null))
    }

    /// The register and the document at `uri`, if it is in the register's content.
    fn view(&mut self, uri: &Url) -> Option<(&mut Site, View)> {
        let site = self.site.as_mut()?;
        let (text, path) = match self.documents.get(uri) {
            Some(doc) => (doc.text.clone(), doc.path.clone()),
            None => {
                let path = documents::file_path(uri)?;
                (std::fs::read_to_string(&path).ok()?, path)
            }
        };
        let rel = path.strip_prefix(site.dir.join("content")).ok()?.to_path_buf();
        let index = LineIndex::new(&text);
        let view = View { uri: uri.clone(), doc_dir: records::doc_dir(&rel), kind: classify(&rel), rel, text, index };
        Some((site, view))
    }
}

fn publish(connection: &Connection, uri: Url, diagnostics: Vec<LspDiagnostic>, version: Option<i32>) {
    let params = PublishDiagnosticsParams { uri, diagnostics, version };
    let Ok(params) = serde_json::to_value(params) else { return };
    let _ = connection.sender.send(Message::Notification(Notification::new(PublishDiagnostics::METHOD.into(), params)));
}
