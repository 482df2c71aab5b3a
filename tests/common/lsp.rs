//! A Language Server Protocol client for tests and benchmarks: it starts `oversight lsp`,
//! frames JSON-RPC messages with `Content-Length` headers over the child's standard input and
//! output, and keeps the notifications that arrive while it waits for a response.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub(crate) struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pending: VecDeque<Value>,
    next_id: i64,
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How long any answer may take before a test fails.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(30);

/// The `file:` URI of a path.
pub(crate) fn uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", path.display())
}

impl Client {
    /// Starts `binary lsp` in `cwd`.
    pub(crate) fn start(binary: &Path, cwd: &Path) -> Client {
        let mut child = Command::new(binary)
            .arg("lsp")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("oversight lsp starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (send, messages) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_frame(&mut stdout) {
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, messages, pending: VecDeque::new(), next_id: 1 }
    }

    /// Writes raw bytes as one frame's body (for malformed messages).
    pub(crate) fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        let body = json!({ "jsonrpc": "2.0", "method": method, "params": params }).to_string();
        self.send_raw(body.as_bytes());
    }

    /// Sends a request and waits for its response (the whole message: `result` or `error`).
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let body = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }).to_string();
        self.send_raw(body.as_bytes());
        self.response(id)
    }

    pub(crate) fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.next(deadline).unwrap_or_else(|| panic!("no response to request {id}"));
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.pending.push_back(message);
        }
    }

    fn next(&mut self, deadline: Instant) -> Option<Value> {
        self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())).ok()
    }

    /// The next diagnostics published for `uri` (those already received first).
    pub(crate) fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.try_diagnostics(uri, TIMEOUT).unwrap_or_else(|| panic!("no diagnostics published for {uri}"))
    }

    /// [`Client::diagnostics`], or `None` after `wait`.
    pub(crate) fn try_diagnostics(&mut self, uri: &str, wait: Duration) -> Option<Vec<Value>> {
        let is_for =
            |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"].as_str() == Some(uri);
        if let Some(at) = self.pending.iter().position(is_for) {
            let message = self.pending.remove(at).unwrap();
            return Some(message["params"]["diagnostics"].as_array().cloned().unwrap_or_default());
        }
        let deadline = Instant::now() + wait;
        while let Some(message) = self.next(deadline) {
            if is_for(&message) {
                return Some(message["params"]["diagnostics"].as_array().cloned().unwrap_or_default());
            }
            self.pending.push_back(message);
        }
        None
    }

    /// Forgets the notifications received so far.
    pub(crate) fn clear(&mut self) {
        self.pending.clear();
        while let Ok(message) = self.messages.try_recv() {
            drop(message);
        }
    }

    /// `initialize` with `root` as the workspace folder, then `initialized`.
    pub(crate) fn initialize(&mut self, root: &Path) -> Value {
        let response = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": uri(root), "capabilities": {}, "workspaceFolders": [{ "uri": uri(root), "name": "register" }] }),
        );
        self.notify("initialized", json!({}));
        response
    }

    pub(crate) fn open(&mut self, uri: &str, text: &str) {
        let language = if uri.ends_with(".md") { "markdown" } else { "yaml" };
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    /// Replaces the whole text of an open document.
    pub(crate) fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// Shuts the server down and waits for it to exit; its exit status.
    pub(crate) fn shutdown(mut self) -> std::process::ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// The position (0-based line, UTF-16 column) of the first `needle` in `text`, plus `shift`
/// characters.
pub(crate) fn position_of(text: &str, needle: &str, shift: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` is not in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count();
    let column = before.rsplit('\n').next().unwrap_or("").encode_utf16().count() + shift;
    json!({ "line": line, "character": column })
}

fn read_frame(input: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
