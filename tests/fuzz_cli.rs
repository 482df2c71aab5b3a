//! The black-box fuzz harness: mutations of the example register's YAML, Markdown and papers
//! (a PDF paper's bytes damaged),
//! run through the binary's `check`, `build` and `papers` under a memory limit and a timeout.
//! A second test mutates the two binary inputs the hardening issues found weakest: a small
//! valid workbook (its zip damaged, or a part's XML edited and zipped again) run through
//! `import`, and a small valid given PDF (bytes damaged, or PDF syntax inserted) run through
//! `check` (and `build` when check passes), with [`INPUT_CASES`] cases.
//! Every run must end with exit status 0, 1 or 2 (never a signal, an abort or a hang), and a
//! site that `check` passes must build: CI runs `check` and then publishes, so a green check
//! followed by a failed build is a broken promise.
//!
//! `cargo test --release --test fuzz_cli` runs [`DEFAULT_CASES`] cases (CI does). For many
//! more: `FUZZ_CASES=5000 cargo test --release --test fuzz_cli -- --nocapture`; `FUZZ_SEED`
//! picks the first case's seed; `OVERSIGHT_BIN` runs another binary (a copy, so a long run is
//! not disturbed by rebuilds). A failing case is kept in a folder the failure names, with the
//! command that failed, to reproduce by hand.
#![cfg(target_os = "linux")]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Cases per `cargo test` run: a few minutes on two cores.
const DEFAULT_CASES: u64 = 200;
/// Cases of the workbook and given-PDF test: half of each, well under a minute on two cores.
/// `FUZZ_INPUT_CASES` sets another number.
const INPUT_CASES: u64 = 300;
/// Per command, as in the hardening issue's own runs.
const TIMEOUT: Duration = Duration::from_secs(20);
/// Address space per command (3 GiB).
const MEMORY: u64 = 3 << 30;

/// Text that means something to YAML, Markdown, the generated blocks, HTML, Typst or a
/// terminal: inserted at random places.
const SNIPPETS: &[&str] = &[
    "- ",
    ": ",
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "|\n",
    ">\n",
    "\t",
    "\n---\n",
    "#",
    "\u{FEFF}",
    "[^n]",
    "[^n]: note [^m]\n\n[^m]: [^n]\n",
    ">>>>>>>>>>>>>>>>>>>> ",
    "    - ",
    "```stats\n```\n",
    "```timeline\norder: nowhere\n```\n",
    "```changes-since\nsince: 2031-02-30\n```\n",
    "{{ x }}",
    "<script>alert(1)</script>",
    "<td style=\"position:fixed\">",
    "[x](javascript:alert(1))",
    "[x](@/pages/nope.md)",
    "\u{1b}[2J",
    "\u{E000}generated-0\u{E000}",
    "#import \"/etc/passwd\"",
    "$x$",
    "2022-02-31",
    "2021-07",
    "9999-12-31",
    "segment: 5\n",
    "segment: 99999999999999999999\n",
    "exited: 2020-01-01\n",
    "draft: true\n",
    "session: private\n",
    "—",
    "é",
    "\u{202E}",
    "\r\n",
    "0x10",
    "~",
    "null",
    "!!binary AAAA",
    "<<: *a\n",
];

/// A small, seeded generator (splitmix64): the same seed gives the same case on any machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutation of `text`, at a character boundary.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let at = boundaries[rng.below(boundaries.len())];
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // Issue 27's alias bomb, now and then: one anchored 100 KB value and 400 aliases of it
    // (40 MB expanded, past the 32 MiB budget in bytes), appended to the file or its front
    // matter's end, wherever it lands.
    if rng.below(40) == 0 {
        let bomb = format!("bomb: &big {}\nmore:\n{}", "x".repeat(100_000), "  - *big\n".repeat(400));
        return format!("{}\n{bomb}{}", &text[..at], &text[at..]);
    }
    match rng.below(6) {
        0 | 1 => format!("{}{}{}", &text[..at], SNIPPETS[rng.below(SNIPPETS.len())], &text[at..]),
        2 => {
            let end =
                boundaries[(boundaries.partition_point(|&b| b < at) + 1 + rng.below(40)).min(boundaries.len() - 1)];
            format!("{}{}", &text[..at], &text[end..])
        }
        3 if !lines.is_empty() => {
            let i = rng.below(lines.len());
            let mut out = lines.clone();
            out.insert(i, lines[i]);
            out.concat()
        }
        4 if lines.len() > 1 => {
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            let mut out = lines.clone();
            out.swap(a, b);
            out.concat()
        }
        // A value replaced: everything after the `: ` on a line.
        _ => {
            let i = rng.below(lines.len().max(1));
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            if let Some(line) = out.get_mut(i)
                && let Some(colon) = line.find(": ")
            {
                *line = format!("{}{}\n", &line[..colon + 2], SNIPPETS[rng.below(SNIPPETS.len())].trim_end());
            }
            out.concat()
        }
    }
}

/// One way a binary file (a PDF paper) gets damaged: cut short, a run of bytes overwritten, or
/// a stretch repeated.
fn damage(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let at = rng.below(bytes.len() + 1);
    let mut out = bytes.to_vec();
    match rng.below(3) {
        0 => out.truncate(at),
        1 => {
            for b in out.iter_mut().skip(at).take(1 + rng.below(64)) {
                *b = rng.next() as u8;
            }
        }
        _ => {
            let end = (at + 1 + rng.below(4096)).min(bytes.len());
            out.splice(at..at, bytes[at..end].iter().copied());
        }
    }
    out
}

/// The example register's content, copied into `dir`, with one to three files mutated.
fn make_case(dir: &Path, rng: &mut Rng) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    copy(&root.join("content"), dir, Some(&mut files));
    // The pictures site.yaml names; not mutated.
    copy(&root.join("static"), dir, None);
    // Papers and meetings are the newest and riskiest inputs: half the cases mutate one.
    let papers: Vec<&PathBuf> = files
        .iter()
        .filter(|f| f.components().any(|c| c.as_os_str() == "papers" || c.as_os_str() == "meetings"))
        .collect();
    let mut touched = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let file = if rng.below(2) == 0 { papers[rng.below(papers.len())] } else { &files[rng.below(files.len())] };
        // A PDF paper is bytes: it is damaged as a file is, not edited as text.
        let Ok(text) = fs::read_to_string(file) else {
            let bytes = fs::read(file).unwrap();
            fs::write(file, damage(&bytes, rng)).unwrap();
            touched.push(file.strip_prefix(dir).unwrap().display().to_string());
            continue;
        };
        let mut mutated = text;
        for _ in 0..1 + rng.below(4) {
            mutated = mutate(&mutated, rng);
        }
        fs::write(file, mutated).unwrap();
        touched.push(file.strip_prefix(dir).unwrap().display().to_string());
    }
    touched
}

/// Copies the folder `from` of the repository into `dir`, listing the files copied in `files`.
fn copy(from: &Path, dir: &Path, mut files: Option<&mut Vec<PathBuf>>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let to = dir.join(entry.path().strip_prefix(root).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(entry.path(), &to).unwrap();
            if let Some(files) = files.as_deref_mut() {
                files.push(to);
            }
        }
    }
}

/// How a command ended.
#[derive(Debug, PartialEq)]
enum Ended {
    Code(i32),
    Signal(String),
    TimedOut,
}

/// Runs the binary in `dir` with `args` under the memory limit and the timeout.
fn run(dir: &Path, args: &[&str]) -> Ended {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    let binary = std::env::var_os("OVERSIGHT_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_oversight").into());
    let mut command = Command::new(binary);
    command.args(args).current_dir(dir).stdout(Stdio::null()).stderr(Stdio::null()).env("NO_COLOR", "1");
    // SAFETY: setrlimit is async-signal-safe, as code between fork and exec must be.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: MEMORY, rlim_max: MEMORY };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
        });
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return match (status.code(), status.signal()) {
                (Some(code), _) => Ended::Code(code),
                (None, signal) => Ended::Signal(format!("{signal:?}")),
            };
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Ended::TimedOut;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn check_build_and_papers_never_crash_and_check_predicts_build() {
    let cases: u64 = std::env::var("FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_CASES);
    let first: u64 = std::env::var("FUZZ_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    let mut passed_check = 0;
    for seed in first..first + cases {
        // Kept unless the case passes, so a failure can be looked at.
        let dir = tempfile::tempdir().unwrap().keep();
        let mut rng = Rng(seed);
        let touched = make_case(&dir, &mut rng);
        let fail = |what: String| -> ! {
            panic!("case {seed} (FUZZ_SEED={seed} FUZZ_CASES=1), files {touched:?}: {what}; kept in {}", dir.display())
        };
        let check = run(&dir, &["check"]);
        if !matches!(check, Ended::Code(0..=2)) {
            fail(format!("`oversight check` ended {check:?}"));
        }
        let build = run(&dir, &["build", "--output", "out-site"]);
        if !matches!(build, Ended::Code(0..=2)) {
            fail(format!("`oversight build` ended {build:?}"));
        }
        if check == Ended::Code(0) {
            passed_check += 1;
            if build != Ended::Code(0) {
                fail(format!("`check` passed but `build` ended {build:?}"));
            }
        }
        // `papers` typesets what `build` already did; every fifth case runs it too.
        if seed % 5 == 0 {
            let papers = run(&dir, &["papers", "--output", "out-papers"]);
            if !matches!(papers, Ended::Code(0..=2)) || (check == Ended::Code(0) && papers != Ended::Code(0)) {
                fail(format!("`oversight papers` ended {papers:?} (check {check:?})"));
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }
    eprintln!("{cases} cases from seed {first}: {passed_check} passed check");
}

/// Text that means something inside a workbook's XML parts: cells far out, huge ranges,
/// numbers past any date, entities, a doctype, nesting, broken tags.
const XML_SNIPPETS: &[&str] = &[
    r#"<c r="XFD1048576"><v>1</v></c>"#,
    r#"<dimension ref="A1:XFD1048576"/>"#,
    r#"<row r="1048576"><c r="A1048576" t="s"><v>0</v></c></row>"#,
    r#"<c r="A2" t="s"><v>4294967295</v></c>"#,
    r#"<c r="B2" s="1"><v>1e308</v></c>"#,
    r#"<c r="B2"><v>-1</v></c>"#,
    "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
    "&b;",
    "&#0;",
    "&#x2028;",
    "<si><t>x\nlicence_breach: true</t></si>",
    "<f>SUM(A1:XFD1048576)</f>",
    "<mergeCell ref=\"A1:XFD1048576\"/>",
    "<sheet name=\"x&#10;y\" sheetId=\"9\" r:id=\"rId9\"/>",
    "</worksheet>",
    "<",
    ">",
    "\"",
    "\u{FEFF}",
    "<t><t><t><t><t><t><t><t><t><t><t><t><t><t><t><t>",
];

/// PDF syntax inserted into a given PDF: deep nesting, huge numbers and lengths, references to
/// nothing and to themselves, a page tree that lists a child twice.
const PDF_SNIPPETS: &[&str] = &[
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "/Kids [3 0 R 3 0 R 3 0 R 3 0 R]",
    "/Count 2147483647",
    "/Length 99999999999",
    "/Filter [/FlateDecode /FlateDecode]",
    "99999999 0 R",
    "1 0 R",
    " obj ",
    "endobj\n",
    "stream\n",
    "endstream\n",
    "xref\n0 1\n0000000000 65535 f \n",
    "trailer\n<< /Root 99 0 R >>\n",
    "startxref\n0\n%%EOF\n",
    "/Encrypt << /Filter /Standard /V 5 >>",
    "/MediaBox [0 0 1e300 1e300]",
    "(((((((((((((((((((((((((((((((((((",
    "\0",
];

/// The bytes of a small valid workbook: a tracker of three trusts below a title, with a
/// merged group label, text and date cells.
fn small_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = book.add_worksheet().set_name("Tracker").unwrap();
    sheet.write_string(0, 0, "RSP tracker (fictional)").unwrap();
    sheet.merge_range(1, 5, 1, 6, "RSP", &Format::new()).unwrap();
    for (c, h) in ["Trust name", "ODS code", "Trust type", "Region", "Segment", "Entry", "Exit", "Reason for entry"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let rows = [
        (
            "Alderbrook Hospitals NHS Trust (fictional)",
            "R8A",
            "NHS trust",
            "North West",
            3.0,
            "13/07/2021",
            "01/11/2022",
        ),
        ("Birchfield NHS Foundation Trust (fictional)", "R8B", "Foundation trust", "Midlands", 4.0, "Jul 2021", ""),
        ("Cobble Vale Hospitals NHS Trust (fictional)", "R8C", "NHS trust", "London", 2.0, "", ""),
    ];
    for (i, (name, code, kind, region, segment, entry, exit)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, *name).unwrap();
        sheet.write_string(r, 1, *code).unwrap();
        sheet.write_string(r, 2, *kind).unwrap();
        sheet.write_string(r, 3, *region).unwrap();
        sheet.write_number(r, 4, *segment).unwrap();
        if !entry.is_empty() {
            sheet.write_string(r, 5, *entry).unwrap();
            sheet.write_string(r, 7, "Leadership; finance").unwrap();
        }
        if !exit.is_empty() {
            sheet.write_datetime_with_format(r, 6, ExcelDateTime::from_ymd(2022, 11, 1).unwrap(), &date).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

/// Inserts one of `snippets` at a random place in `bytes`.
fn insert_snippet(bytes: &[u8], snippets: &[&str], rng: &mut Rng) -> Vec<u8> {
    let at = rng.below(bytes.len() + 1);
    let snippet = snippets[rng.below(snippets.len())];
    let mut out = bytes.to_vec();
    out.splice(at..at, snippet.bytes());
    out
}

/// A workbook mutated: its zip damaged (a third of the cases), or one part's XML edited (a
/// snippet inserted, or text mutated as the register's files are) and the whole zipped again.
fn mutate_workbook(book: &[u8], rng: &mut Rng) -> Vec<u8> {
    use std::io::{Read, Write};
    if rng.below(3) == 0 {
        return damage(book, rng);
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        parts.push((file.name().to_string(), bytes));
    }
    // The parts a reader parses most: the sheets, the shared strings, the workbook.
    let wanted: Vec<usize> = (0..parts.len()).filter(|&i| parts[i].0.starts_with("xl/")).collect();
    let target = wanted[rng.below(wanted.len())];
    for _ in 0..1 + rng.below(3) {
        let part = &parts[target].1;
        parts[target].1 = match rng.below(2) {
            0 => insert_snippet(part, XML_SNIPPETS, rng),
            _ => mutate(&String::from_utf8_lossy(part), rng).into_bytes(),
        };
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn imported_workbooks_and_given_pdfs_never_crash_and_stay_within_limits() {
    let cases: u64 = std::env::var("FUZZ_INPUT_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(INPUT_CASES);
    let first: u64 = std::env::var("FUZZ_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let book = small_workbook();
    let pdf_path = "content/papers/2026-07-board-minutes.pdf";
    let pdf = fs::read(root.join(pdf_path)).unwrap();
    let (mut imported, mut pdfs_passed) = (0, 0);
    let started = Instant::now();
    for seed in first..first + cases {
        let dir = tempfile::tempdir().unwrap().keep();
        let mut rng = Rng(seed);
        let fail = |what: String| -> ! {
            panic!("case {seed} (FUZZ_SEED={seed} FUZZ_INPUT_CASES=1): {what}; kept in {}", dir.display())
        };
        if seed % 2 == 0 {
            // A workbook imported into a folder not made yet; what an import writes, check passes.
            fs::write(dir.join("book.xlsx"), mutate_workbook(&book, &mut rng)).unwrap();
            let import = run(&dir, &["import", "book.xlsx", "--site", "site"]);
            if !matches!(import, Ended::Code(0..=2)) {
                fail(format!("`oversight import` ended {import:?}"));
            }
            if import == Ended::Code(0) && dir.join("site/content").is_dir() {
                imported += 1;
                let check = run(&dir, &["check", "--site", "site"]);
                if check != Ended::Code(0) {
                    fail(format!("`import` wrote a register that `check` ends {check:?}"));
                }
            }
        } else {
            // The example register with its given PDF paper mutated.
            copy(&root.join("content"), &dir, None);
            copy(&root.join("static"), &dir, None);
            let mutated = match rng.below(2) {
                0 => damage(&pdf, &mut rng),
                _ => insert_snippet(&pdf, PDF_SNIPPETS, &mut rng),
            };
            fs::write(dir.join(pdf_path), mutated).unwrap();
            let check = run(&dir, &["check"]);
            if !matches!(check, Ended::Code(0..=2)) {
                fail(format!("`oversight check` ended {check:?}"));
            }
            // Check predicts build: on a few of the PDFs it passes (building is the slow part).
            if check == Ended::Code(0) {
                pdfs_passed += 1;
                if pdfs_passed % 10 == 1 {
                    let build = run(&dir, &["build", "--output", "out-site"]);
                    if build != Ended::Code(0) {
                        fail(format!("`check` passed the PDF but `build` ended {build:?}"));
                    }
                }
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }
    eprintln!(
        "{cases} cases from seed {first} in {:?}: {imported} workbooks imported, {pdfs_passed} PDFs passed check",
        started.elapsed()
    );
}
