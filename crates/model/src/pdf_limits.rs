//! The bounds a given PDF must keep before it is handed to hayro (at `check`, and so at every
//! later command): how deep its arrays and dictionaries nest, how many bytes its streams hold
//! once decompressed, and how many pages its page tree lists.
//!
//! hayro reads a PDF recursively and builds its whole page list when it opens the file, and
//! Typst later decompresses the streams it places, without limits of their own: an array
//! nested 30,000 deep overflows the stack, a 7 KB stream can inflate to gigabytes, and a page
//! tree that lists one branch twice at each of 20 levels names a million pages. So the file is
//! first read here, by a small reader of its own that never recurses and never allocates more
//! than the limits: every `N G obj` in the file (wherever it sits, so that no object hayro
//! could reach by a cross-reference is missed) is parsed to a bounded depth, every stream is
//! decoded against one budget for the whole file, object streams are opened (within that
//! budget) so the objects in them are seen too, and the page tree is walked from the catalog
//! with an explicit stack, refusing a node reached twice.
//!
//! Encrypted streams cannot be decoded here; the decoded size of an encrypted file's streams
//! is measured again after hayro has opened it ([`check_decoded`]), with hayro's decryption.

use std::collections::HashMap;
use std::io::Read;

/// Arrays and dictionaries nest at most this deep in a given PDF. Real documents nest a
/// handful of levels (a page's resources, a font's widths); hayro recurses once per level.
pub(crate) const MAX_NESTING: usize = 64;

/// The streams of a given PDF hold at most this many bytes once decompressed, together (a
/// 64 MiB file of compressed pictures and text comes to a few hundred MiB).
pub(crate) const MAX_DECODED_BYTES: usize = 512 * 1024 * 1024;

/// A given PDF has at most this many pages: a board paper, or a report placed as an appendix,
/// has tens or hundreds.
pub(crate) const MAX_PAGES: usize = 2_000;

/// A page tree nests at most this deep (a balanced tree of a million pages needs five levels).
pub(crate) const MAX_PAGE_TREE_DEPTH: usize = 32;

/// Which bound a PDF crossed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exceeded {
    /// Arrays or dictionaries nested deeper than [`MAX_NESTING`], at this byte of the file.
    Nesting { offset: usize },
    /// Its streams hold more than [`MAX_DECODED_BYTES`] once decompressed.
    Decoded,
    /// Its page tree lists more than [`MAX_PAGES`] pages.
    Pages,
    /// Its page tree lists one page or branch twice (or inside itself).
    RepeatedPage,
    /// Its page tree nests deeper than [`MAX_PAGE_TREE_DEPTH`].
    PageTreeDepth,
}

/// What the check found out on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scan {
    /// The file is encrypted: its streams could not be decoded here (see [`check_decoded`]).
    pub encrypted: bool,
}

/// Checks `pdf` against the bounds, before any other reader sees it.
pub(crate) fn check(pdf: &[u8]) -> Result<Scan, Exceeded> {
    let mut budget = Budget::default();
    let mut objects: HashMap<u32, Value> = HashMap::new();
    let mut roots: Vec<Value> = Vec::new();
    let mut stream_end = 0;
    let mut at = 0;
    while let Some(found) = find(pdf, b"obj", at) {
        at = found + 3;
        let Some(number) = object_number(pdf, found) else { continue };
        // Inside another object's stream: parsed for its depth (a cross-reference may point
        // there), but not taken as a definition.
        let inside_stream = found < stream_end;
        let mut parser = Parser { data: pdf, pos: found + 3 };
        let value = match parser.value(0) {
            Ok(value) => value,
            Err(Stop::TooDeep(offset)) => return Err(Exceeded::Nesting { offset }),
            Err(Stop::Malformed) => continue,
        };
        if inside_stream {
            continue;
        }
        if let Value::Dict(dict) = &value
            && let Some((start, end)) = stream_data(pdf, parser.pos, dict)
        {
            stream_end = end;
            at = end;
            let decoded = budget.decode(dict, &pdf[start..end])?;
            if name_is(dict, b"Type", b"ObjStm") {
                object_stream(&decoded, dict, &mut objects)?;
            }
            if name_is(dict, b"Type", b"XRef") {
                roots.push(value.clone());
            }
        }
        objects.insert(number, value);
    }
    // The trailers (of a file updated in place, the last one counts).
    let mut at = 0;
    while let Some(found) = find(pdf, b"trailer", at) {
        at = found + 7;
        let mut parser = Parser { data: pdf, pos: at };
        match parser.value(0) {
            Ok(value) => roots.push(value),
            Err(Stop::TooDeep(offset)) => return Err(Exceeded::Nesting { offset }),
            Err(Stop::Malformed) => {}
        }
    }
    page_tree(&objects, &roots)?;
    let encrypted = roots.iter().any(|t| matches!(t, Value::Dict(d) if get(d, b"Encrypt").is_some()));
    Ok(Scan { encrypted })
}

/// Checks the decoded size of streams whose raw (decrypted) bytes another reader gives:
/// `streams` yields each stream's compressions, in order, and its data.
pub(crate) fn check_decoded<D: AsRef<[u8]>>(
    streams: impl IntoIterator<Item = (Vec<Codec>, D)>,
) -> Result<(), Exceeded> {
    let mut budget = Budget::default();
    for (codecs, data) in streams {
        budget.decode_with(&codecs, true, data.as_ref())?;
    }
    Ok(())
}

/// Walks the page tree from the catalog the last trailer names, counting pages.
fn page_tree(objects: &HashMap<u32, Value>, trailers: &[Value]) -> Result<(), Exceeded> {
    let catalog = trailers
        .iter()
        .rev()
        .filter_map(|t| match t {
            Value::Dict(d) => get(d, b"Root"),
            _ => None,
        })
        .find_map(|root| resolve(objects, root))
        .or_else(|| objects.values().find(|v| matches!(v, Value::Dict(d) if name_is(d, b"Type", b"Catalog"))));
    let pages = catalog.and_then(|c| match c {
        Value::Dict(d) => get(d, b"Pages"),
        _ => None,
    });
    let Some(pages) = pages else {
        // No page tree: hayro then takes every object with contents as a page.
        let candidates =
            objects.values().filter(|v| matches!(v, Value::Dict(d) if get(d, b"Contents").is_some())).count();
        return if candidates > MAX_PAGES { Err(Exceeded::Pages) } else { Ok(()) };
    };
    let mut seen: std::collections::HashSet<u32> = std::collections::HashSet::new();
    let mut stack: Vec<(&Value, usize)> = vec![(pages, 0)];
    let mut count = 0usize;
    while let Some((node, depth)) = stack.pop() {
        if let Value::Ref(n) = node
            && !seen.insert(*n)
        {
            return Err(Exceeded::RepeatedPage);
        }
        let Some(Value::Dict(dict)) = resolve(objects, node) else { continue };
        // As hayro reads it: the root is a branch whatever its type, a kid only if its type
        // says so.
        match get(dict, b"Kids").and_then(|k| resolve(objects, k)) {
            Some(Value::Array(kids)) if depth == 0 || name_is(dict, b"Type", b"Pages") => {
                if depth >= MAX_PAGE_TREE_DEPTH {
                    return Err(Exceeded::PageTreeDepth);
                }
                stack.extend(kids.iter().map(|kid| (kid, depth + 1)));
            }
            _ => {
                count += 1;
                if count > MAX_PAGES {
                    return Err(Exceeded::Pages);
                }
            }
        }
    }
    Ok(())
}

/// Follows a reference (once: a reference to a reference is not a PDF object).
fn resolve<'a>(objects: &'a HashMap<u32, Value>, value: &'a Value) -> Option<&'a Value> {
    match value {
        Value::Ref(n) => objects.get(n),
        other => Some(other),
    }
}

/// The objects of an object stream: `/N` pairs of object number and offset, then the objects
/// from `/First` on.
fn object_stream(decoded: &[u8], dict: &[(Vec<u8>, Value)], objects: &mut HashMap<u32, Value>) -> Result<(), Exceeded> {
    let (Some(Value::Int(n)), Some(Value::Int(first))) = (get(dict, b"N"), get(dict, b"First")) else {
        return Ok(());
    };
    let first = usize::try_from(*first).unwrap_or(usize::MAX);
    let mut header = Parser { data: decoded, pos: 0 };
    let mut entries = Vec::new();
    for _ in 0..*n {
        let (Ok(Value::Int(number)), Ok(Value::Int(offset))) = (header.value(0), header.value(0)) else { break };
        entries.push((number, offset));
    }
    for (number, offset) in entries {
        let (Ok(number), Ok(offset)) = (u32::try_from(number), usize::try_from(offset)) else { continue };
        let mut parser = Parser { data: decoded, pos: first.saturating_add(offset) };
        match parser.value(0) {
            Ok(value) => {
                objects.insert(number, value);
            }
            // Reported at the object stream's content, which has no place in the file.
            Err(Stop::TooDeep(_)) => return Err(Exceeded::Nesting { offset: 0 }),
            Err(Stop::Malformed) => {}
        }
    }
    Ok(())
}

/// The bytes of the stream whose dictionary ends at `after`: from the end of the `stream`
/// line, `/Length` bytes if that is a number and `endstream` follows, else up to `endstream`.
fn stream_data(pdf: &[u8], after: usize, dict: &[(Vec<u8>, Value)]) -> Option<(usize, usize)> {
    let mut pos = skip_space(pdf, after);
    if !pdf[pos..].starts_with(b"stream") {
        return None;
    }
    pos += 6;
    if pdf[pos..].starts_with(b"\r\n") {
        pos += 2;
    } else if pdf[pos..].starts_with(b"\n") || pdf[pos..].starts_with(b"\r") {
        pos += 1;
    }
    if let Some(Value::Int(len)) = get(dict, b"Length")
        && let Ok(len) = usize::try_from(*len)
        && let Some(end) = pos.checked_add(len).filter(|&e| e <= pdf.len())
        && pdf[skip_space(pdf, end)..].starts_with(b"endstream")
    {
        return Some((pos, end));
    }
    let end = find(pdf, b"endstream", pos).unwrap_or(pdf.len());
    Some((pos, end))
}

/// The decompressed bytes of a file so far, against [`MAX_DECODED_BYTES`].
#[derive(Default)]
struct Budget {
    used: usize,
}

impl Budget {
    /// Decodes `data` through the stream's filters, as far as they are compressions (image
    /// codings are left as they are: they are placed, not decoded), and counts the result.
    fn decode(&mut self, dict: &[(Vec<u8>, Value)], data: &[u8]) -> Result<Vec<u8>, Exceeded> {
        let names: Vec<&[u8]> = match get(dict, b"Filter") {
            Some(Value::Name(name)) => vec![name.as_slice()],
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(|n| match n {
                    Value::Name(name) => Some(name.as_slice()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let codecs: Vec<Codec> = names.into_iter().map_while(Codec::named).collect();
        let early_change = match get(dict, b"DecodeParms") {
            Some(Value::Dict(p)) => !matches!(get(p, b"EarlyChange"), Some(Value::Int(0))),
            _ => true,
        };
        self.decode_with(&codecs, early_change, data)
    }

    fn decode_with(&mut self, codecs: &[Codec], early_change: bool, data: &[u8]) -> Result<Vec<u8>, Exceeded> {
        let mut current = data.to_vec();
        for codec in codecs {
            let room = MAX_DECODED_BYTES - self.used;
            current = match codec {
                Codec::Flate => inflate(&current, room)?,
                Codec::Lzw => lzw(&current, room, early_change)?,
                Codec::Hex => hex(&current),
                Codec::Ascii85 => ascii85(&current),
                Codec::RunLength => run_length(&current, room)?,
            };
            if current.len() > room {
                return Err(Exceeded::Decoded);
            }
        }
        self.used += current.len().min(MAX_DECODED_BYTES - self.used);
        Ok(current)
    }
}

/// The stream filters that compress (the others code pictures, and are placed as they are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Codec {
    Flate,
    Lzw,
    Hex,
    Ascii85,
    RunLength,
}

impl Codec {
    fn named(name: &[u8]) -> Option<Codec> {
        Some(match name {
            b"FlateDecode" | b"Fl" => Codec::Flate,
            b"LZWDecode" | b"LZW" => Codec::Lzw,
            b"ASCIIHexDecode" | b"AHx" => Codec::Hex,
            b"ASCII85Decode" | b"A85" => Codec::Ascii85,
            b"RunLengthDecode" | b"RL" => Codec::RunLength,
            _ => return None,
        })
    }
}

/// Inflates a zlib stream (or a raw deflate stream, which some writers leave), stopping past
/// `room` bytes. A damaged stream counts what it gave before the damage.
fn inflate(data: &[u8], room: usize) -> Result<Vec<u8>, Exceeded> {
    let limit = room as u64 + 1;
    let mut out = Vec::new();
    let zlib = flate2::read::ZlibDecoder::new(data).take(limit).read_to_end(&mut out);
    if zlib.is_err() && out.is_empty() {
        let _ = flate2::read::DeflateDecoder::new(data).take(limit).read_to_end(&mut out);
    }
    if out.len() > room { Err(Exceeded::Decoded) } else { Ok(out) }
}

/// Decodes LZW (most significant bit first, as PDF writes it), stopping past `room` bytes.
fn lzw(data: &[u8], room: usize, early_change: bool) -> Result<Vec<u8>, Exceeded> {
    let mut decoder = if early_change {
        weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
    } else {
        weezl::decode::Decoder::new(weezl::BitOrder::Msb, 8)
    };
    let mut out = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut input = data;
    loop {
        let result = decoder.decode_bytes(input, &mut buffer);
        out.extend_from_slice(&buffer[..result.consumed_out]);
        if out.len() > room {
            return Err(Exceeded::Decoded);
        }
        input = &input[result.consumed_in..];
        match result.status {
            Ok(weezl::LzwStatus::Ok) if result.consumed_in > 0 || result.consumed_out > 0 => {}
            _ => return Ok(out),
        }
    }
}

fn hex(data: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> =
        data.iter().take_while(|&&b| b != b'>').filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8)).collect();
    digits.chunks(2).map(|pair| pair[0] << 4 | pair.get(1).copied().unwrap_or(0)).collect()
}

fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut group = [0u8; 5];
    let mut n = 0;
    for &b in data {
        match b {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group[n] = b - b'!';
                n += 1;
                if n == 5 {
                    let v = group.iter().fold(0u64, |acc, &d| acc * 85 + u64::from(d));
                    out.extend_from_slice(&(v as u32).to_be_bytes());
                    n = 0;
                }
            }
            _ => {}
        }
    }
    if n > 1 {
        group[n..].fill(84);
        let v = group.iter().fold(0u64, |acc, &d| acc * 85 + u64::from(d));
        out.extend_from_slice(&(v as u32).to_be_bytes()[..n - 1]);
    }
    out
}

fn run_length(data: &[u8], room: usize) -> Result<Vec<u8>, Exceeded> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&len) = data.get(i) {
        match len {
            128 => break,
            0..=127 => {
                let run = data.get(i + 1..i + 2 + usize::from(len)).unwrap_or(&data[(i + 1).min(data.len())..]);
                out.extend_from_slice(run);
                i += 2 + usize::from(len);
            }
            _ => {
                let byte = data.get(i + 1).copied().unwrap_or(0);
                out.extend(std::iter::repeat_n(byte, 257 - usize::from(len)));
                i += 2;
            }
        }
        if out.len() > room {
            return Err(Exceeded::Decoded);
        }
    }
    Ok(out)
}

/// A PDF value, as far as the bounds need it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Name(Vec<u8>),
    Array(Vec<Value>),
    Dict(Vec<(Vec<u8>, Value)>),
    Ref(u32),
    /// Anything else (a real number, a string, a boolean, null, an operator).
    Other,
}

fn get<'a>(dict: &'a [(Vec<u8>, Value)], key: &[u8]) -> Option<&'a Value> {
    dict.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn name_is(dict: &[(Vec<u8>, Value)], key: &[u8], name: &[u8]) -> bool {
    matches!(get(dict, key), Some(Value::Name(n)) if n == name)
}

/// Why a value could not be read.
enum Stop {
    /// Nested past [`MAX_NESTING`], at this byte.
    TooDeep(usize),
    Malformed,
}

/// Reads values from `data` at `pos`. Recursion is bounded by [`MAX_NESTING`].
struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn value(&mut self, depth: usize) -> Result<Value, Stop> {
        self.skip();
        let start = self.pos;
        let Some(&b) = self.data.get(self.pos) else { return Err(Stop::Malformed) };
        match b {
            b'[' | b'<' if self.data.get(self.pos + 1) == Some(&b'<') || b == b'[' => {
                if depth >= MAX_NESTING {
                    return Err(Stop::TooDeep(start));
                }
                let dict = b == b'<';
                self.pos += if dict { 2 } else { 1 };
                let mut items = Vec::new();
                loop {
                    self.skip();
                    let close: &[u8] = if dict { b">>" } else { b"]" };
                    if self.data[self.pos..].starts_with(close) {
                        self.pos += close.len();
                        break;
                    }
                    if self.pos >= self.data.len() {
                        return Err(Stop::Malformed);
                    }
                    let before = self.pos;
                    let item = self.value(depth + 1)?;
                    // Only a page tree's lists are read whole, and one longer than the page
                    // limit is refused anyway: a long array (of widths, say) is not kept.
                    if items.len() <= 4 * (MAX_PAGES + 1) {
                        items.push(item);
                    }
                    if self.pos == before {
                        // A stray delimiter (`)`, `>`, `}`): step over it.
                        self.pos += 1;
                    }
                }
                Ok(if dict { Value::Dict(pairs(items)) } else { Value::Array(refs(items)) })
            }
            b'<' => {
                self.pos = find(self.data, b">", self.pos).map_or(self.data.len(), |e| e + 1);
                Ok(Value::Other)
            }
            b'(' => {
                self.string();
                Ok(Value::Other)
            }
            b'/' => {
                self.pos += 1;
                let name = self.word();
                Ok(Value::Name(name.to_vec()))
            }
            b']' | b'>' | b')' | b'{' | b'}' => Err(Stop::Malformed),
            _ => {
                let word = self.word();
                if word.is_empty() {
                    self.pos += 1;
                    return Ok(Value::Other);
                }
                Ok(std::str::from_utf8(word).ok().and_then(|w| w.parse().ok()).map_or(Value::Other, Value::Int))
            }
        }
    }

    /// Steps over white space and comments.
    fn skip(&mut self) {
        loop {
            self.pos = skip_space(self.data, self.pos);
            if self.data.get(self.pos) == Some(&b'%') {
                while self.data.get(self.pos).is_some_and(|&b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                return;
            }
        }
    }

    /// A run of regular characters.
    fn word(&mut self) -> &[u8] {
        let start = self.pos;
        while self.data.get(self.pos).is_some_and(|&b| !is_space(b) && !b"()<>[]{}/%".contains(&b)) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    /// A literal string: balanced parentheses, backslash escapes.
    fn string(&mut self) {
        let mut depth = 0usize;
        while let Some(&b) = self.data.get(self.pos) {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}

/// Array items, with `N G R` read as references.
fn refs(items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        // `R` is read as an operator (Other) after two integers.
        if item == Value::Other
            && let [.., Value::Int(n), Value::Int(_)] = out.as_slice()
            && let Ok(n) = u32::try_from(*n)
        {
            out.truncate(out.len() - 2);
            out.push(Value::Ref(n));
        } else {
            out.push(item);
        }
    }
    out
}

/// Dictionary items, key then value, references read as in [`refs`].
fn pairs(items: Vec<Value>) -> Vec<(Vec<u8>, Value)> {
    let mut out = Vec::new();
    let mut items = refs(items).into_iter();
    while let Some(key) = items.next() {
        let Value::Name(key) = key else { continue };
        let Some(value) = items.next() else { break };
        out.push((key, value));
    }
    out
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn skip_space(data: &[u8], mut pos: usize) -> usize {
    while data.get(pos).is_some_and(|&b| is_space(b)) {
        pos += 1;
    }
    pos.min(data.len())
}

/// The object number before an `obj` keyword at `at` (`12 0 obj`), if it is one.
fn object_number(pdf: &[u8], at: usize) -> Option<u32> {
    if at >= 3 && &pdf[at - 3..at] == b"end" {
        return None;
    }
    let digits_back = |end: usize| -> Option<usize> {
        let mut start = end;
        while start > 0 && pdf[start - 1].is_ascii_digit() {
            start -= 1;
        }
        (start < end).then_some(start)
    };
    let mut end = at;
    let mut spaced = end;
    while spaced > 0 && is_space(pdf[spaced - 1]) {
        spaced -= 1;
    }
    if spaced == end {
        return None;
    }
    let generation = digits_back(spaced)?;
    end = generation;
    while end > 0 && is_space(pdf[end - 1]) {
        end -= 1;
    }
    if end == generation {
        return None;
    }
    let number = digits_back(end)?;
    std::str::from_utf8(&pdf[number..end]).ok()?.parse().ok()
}

/// The first `needle` in `hay` at or after `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let hay_from = hay.get(from..)?;
    hay_from.windows(needle.len()).position(|w| w == needle).map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_with_references() {
        let mut p = Parser { data: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>", pos: 0 };
        let Ok(Value::Dict(d)) = p.value(0) else { panic!() };
        assert!(name_is(&d, b"Type", b"Pages"));
        assert_eq!(get(&d, b"Kids"), Some(&Value::Array(vec![Value::Ref(3), Value::Ref(4)])));
        assert_eq!(get(&d, b"Count"), Some(&Value::Int(2)));
    }

    #[test]
    fn object_numbers_are_found_before_obj() {
        let pdf = b"12 0 obj\n<<>>\nendobj";
        assert_eq!(object_number(pdf, 5), Some(12));
        assert_eq!(object_number(pdf, 16), None);
    }

    #[test]
    fn filters_decode_within_the_budget() {
        assert_eq!(hex(b"48 65 6C6C 6F>"), b"Hello");
        assert_eq!(ascii85(b"87cURDZ~>"), b"Hello");
        assert_eq!(run_length(&[2, b'a', b'b', b'c', 254, b'z', 128], 100).ok(), Some(b"abczzz".to_vec()));
        assert_eq!(run_length(&[129, b'z'], 10), Err(Exceeded::Decoded));
    }
}
