//! The protocol's framing over standard input and output: `Content-Length` headers, then a
//! JSON-RPC message. It stands in for `lsp-server`'s own stdio threads, which end the whole
//! connection at the first malformed message; here a frame that is not a message is answered
//! (an error response when it has an id) or passed over, and the server reads on. A frame
//! larger than any buffer an editor sends is skipped unread.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};

/// No message an editor sends comes near this (a buffer at the loader's 16 MiB limit, escaped).
const MAX_FRAME_BYTES: usize = 128 * 1024 * 1024;

/// The threads that read standard input and write standard output.
pub(crate) struct Threads {
    reader: thread::JoinHandle<()>,
    writer: thread::JoinHandle<()>,
}

impl Threads {
    /// Waits for both threads: the writer ends when every sender has gone.
    pub(crate) fn join(self) {
        let _ = self.reader.join();
        let _ = self.writer.join();
    }
}

/// A connection over standard input and output.
pub(crate) fn stdio() -> (Connection, Threads) {
    let (to_writer, from_server) = crossbeam_channel::unbounded::<Message>();
    let (to_server, from_reader) = crossbeam_channel::unbounded::<Message>();
    let writer = thread::spawn(move || write_all(from_server, io::stdout().lock()));
    let replies = to_writer.clone();
    let reader = thread::spawn(move || read_all(io::stdin().lock(), &to_server, &replies));
    (Connection { sender: to_writer, receiver: from_reader }, Threads { reader, writer })
}

fn write_all(messages: Receiver<Message>, mut out: impl Write) {
    for message in messages {
        if message.write(&mut out).is_err() {
            // The editor has gone: nothing more can be said.
            return;
        }
    }
}

/// Reads frames until the input ends or an `exit` notification, handing messages to the server
/// and answering malformed requests itself.
pub(crate) fn read_all(mut input: impl BufRead, server: &Sender<Message>, replies: &Sender<Message>) {
    loop {
        let body = match read_frame(&mut input) {
            Ok(Frame::Body(body)) => body,
            Ok(Frame::Skipped(why)) => {
                eprintln!("oversight lsp: {why}");
                continue;
            }
            Ok(Frame::End) | Err(_) => return,
        };
        match serde_json::from_slice::<Message>(&body) {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if server.send(message).is_err() || exit {
                    return;
                }
            }
            Err(err) => {
                eprintln!("oversight lsp: a message that is not JSON-RPC was passed over: {err}");
                if let Some(id) = request_id(&body) {
                    let reply =
                        Response::new_err(id, ErrorCode::InvalidRequest as i32, format!("not a request: {err}"));
                    let _ = replies.send(Message::Response(reply));
                }
            }
        }
    }
}

/// The id of what looks like a request, so that its sender hears it was refused.
fn request_id(body: &[u8]) -> Option<RequestId> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    match value.get("id")? {
        serde_json::Value::Number(n) => Some(RequestId::from(i32::try_from(n.as_i64()?).ok()?)),
        serde_json::Value::String(s) => Some(RequestId::from(s.clone())),
        _ => None,
    }
}

enum Frame {
    Body(Vec<u8>),
    /// A frame that was read past, and why.
    Skipped(String),
    End,
}

fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(Frame::End);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length else { return Ok(Frame::Skipped("a frame without a valid Content-Length".into())) };
    if length > MAX_FRAME_BYTES {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Frame::Skipped(format!("a message of {length} bytes is too large to read")));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Frame::Body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_frames_are_answered_or_passed_over_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            // Valid JSON with an id that is neither a request nor a response.
            frame(r#"{"jsonrpc":"2.0","id":7,"method":42,"error":1}"#),
            "Content-Type: x\r\n\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","method":"never-read"}"#),
        ]
        .concat();
        let (server, from_reader) = crossbeam_channel::unbounded();
        let (replies, from_replies) = crossbeam_channel::unbounded();
        read_all(input.as_bytes(), &server, &replies);
        let read: Vec<Message> = from_reader.try_iter().collect();
        assert_eq!(read.len(), 2, "{read:?}");
        assert!(matches!(&read[0], Message::Request(r) if r.method == "shutdown"));
        let answered: Vec<Message> = from_replies.try_iter().collect();
        assert!(
            matches!(&answered[..], [Message::Response(r)] if r.id == RequestId::from(7) && r.error.is_some()),
            "{answered:?}"
        );
    }
}
