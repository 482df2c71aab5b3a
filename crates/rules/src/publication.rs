//! Publishing safely (`OVS7xx`): what a paper written elsewhere carries besides its pages
//! (a protective marking above what it may be published at, tracked changes, comments, hidden
//! text, annotations, embedded files, scripts, filled-in forms, people's names in its
//! metadata), and NHS numbers anywhere the website would publish them. The files are read by
//! oversight-model's `inspect` as they are loaded; this decides, paper by paper, what stops a
//! build. `oversight build` also reads every file it writes for NHS numbers (src/commands/build.rs).

use super::{Checker, Rule};
use oversight_model::inspect::{Allow, Finding, Marking};
use std::path::{Path, PathBuf};

use oversight_model::{Paper, PrivateFolder, Register, Session, nhs_number};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::{Code, Diagnostic, Level};
use oversight_syntax::source::{FileId, Span};

pub(crate) static PROTECTIVE_MARKING: Rule = Rule {
    code: Code {
        code: "OVS701",
        name: "protective-marking",
        level: Level::Error,
        summary: "A PDF or Word paper marked above its own classification, or above what the website may publish",
        explanation: "NHS bodies have published board papers footed \"Restricted\". A paper written elsewhere is published as given, so its text (body, headers, footers) and its metadata (title, subject, keywords, a Word file's custom properties, where sensitivity labels are kept) are read for protective markings: OFFICIAL-SENSITIVE, \"Commercial in confidence\" (a caveat of it), Restricted, Confidential, SECRET and TOP SECRET. A word counts as a marking when it is written in capitals, when its line holds nothing but the marking and label words (\"Private and confidential\", \"Classification: Restricted\", a footer \"Page 3 of 12 Restricted\"), or, for OFFICIAL-SENSITIVE, anywhere. A paper the website publishes (on a public agenda, on none, or a private one past its `restricted_until`) may carry no marking above OFFICIAL; one the website leaves out may carry none above its own `classification`. Fix the file or the classification; a word the check misreads is allowed with `allow: [protective-marking]` in the paper's details file. Source: Cabinet Office, Government Security Classifications [S74].",
        source: "[S74]",
        configurable: false,
    },
    check: Some(check_markings),
};

pub(crate) static HIDDEN_CONTENT: Rule = Rule {
    code: Code {
        code: "OVS702",
        name: "hidden-content",
        level: Level::Error,
        summary: "A PDF or Word paper carries what its pages do not show: tracked changes, comments, hidden text, annotations, attachments, scripts or filled-in forms",
        explanation: "A paper written elsewhere is published exactly as given, and what a reader of its pages does not see is published with it: a trust was fined for spreadsheet data it could not see, and the ICO's guidance on disclosing documents asks that hidden content be removed first [S75]. A Word paper is refused while it has tracked changes (insertions, deletions or moves not accepted), comments, or hidden text; a PDF while it has comments or other annotations (links and form widgets aside), embedded files, a JavaScript or launch action, or form fields that hold values, or when it cannot be read to look. Each may be allowed, after a person has looked, in the paper's details file (`allow: [tracked-changes, comments, hidden-text, annotations, embedded-files, form-fields]`); a script, a launch action and a file that cannot be read never are. Source: ICO, How to disclose information safely [S75].",
        source: "[S75]",
        configurable: false,
    },
    check: Some(check_hidden),
};

pub(crate) static METADATA_NAMES: Rule = Rule {
    code: Code {
        code: "OVS703",
        name: "metadata-names-people",
        level: Level::Error,
        summary: "A PDF or Word paper whose metadata names a person: its author, or who last changed it",
        explanation: "A Word file records its author and who last modified it (`docProps/core.xml`), and its manager; a PDF its author (the document information dictionary and the XMP metadata's `dc:creator`). The website publishes the file as given, so these names are published with it, often a junior officer who drafted the paper rather than the director it is by. Remove them (Word: File > Info > Check for Issues > Inspect Document; a PDF reader's document properties), or allow them in the paper's details file with `allow: [metadata-names]`. The program that made the file (`Creator`, `Producer`) is not a person and is not reported. Source: ICO, How to disclose information safely [S75].",
        source: "[S75]",
        configurable: false,
    },
    check: Some(check_names),
};

pub(crate) static NHS_NUMBER: Rule = Rule {
    code: Code {
        code: "OVS704",
        name: "nhs-number",
        level: Level::Error,
        summary: "An NHS number in what the website publishes",
        explanation: "An NHS number identifies a patient, and nothing a register of organisations publishes should hold one. Any ten digits that pass the NHS number's modulus-11 check, written together or in 3-3-4 groups (`943 476 5919`, spaces, hyphens or no-break spaces), are refused: in a record, a page or a paper the website publishes, and in the text of a PDF or Word paper it publishes, at `check`; and `build` reads every file it writes (pages, feeds, data files, the workbook's cells, the theme's and `static/` files) and refuses to publish one, naming the record or page it came from where it can be found, else the file. Digits that run on into a longer number, digits inside a code, and ten copies of one digit are not read as one; dates, ODS codes and telephone numbers never are. Source: NHS Data Dictionary, NHS Number [S76].",
        source: "[S76]",
        configurable: false,
    },
    check: Some(check_nhs_numbers),
};

pub(crate) static PRIVATE_PAPER_PUBLISHED: Rule = Rule {
    code: Code {
        code: "OVS705",
        name: "private-paper-in-published-folder",
        level: Level::Warning,
        summary: "A Part II paper kept where the website's repository publishes it",
        explanation: "The website leaves out a paper presented only at private meetings, but the repository it is built from is published too: GitHub Pages on GitHub's free plan publishes only public repositories, so every file in it can be read by anyone, whatever the website shows. Keep Part II papers in a folder outside that repository (a private repository of its own, or a folder beside it), named by site.yaml's `private:` (`private: ../board-private`, holding `papers/` laid out as `content/papers/`): `check`, `papers` and `minutes` read it, `build` and `serve` never do. This warns for a Part II paper still in `content/` when site.yaml names a private folder or the repository has a workflow that publishes to GitHub Pages (one in `.github/workflows/` that uses `actions/deploy-pages` or pushes a `gh-pages` branch), and for a private folder inside such a repository. A paper past its `restricted_until` is published and is not reported. Source: GitHub Docs, About GitHub Pages (availability by plan) [S77].",
        source: "[S77]",
        configurable: true,
    },
    // Checked in [`crate::check`], which knows the site folder.
    check: None,
};

/// Part II papers kept where a published repository holds them, and a private folder inside
/// one (OVS705).
pub(crate) fn private_papers_published(register: &Register, as_of: Date, site_dir: &Path) -> Vec<Diagnostic> {
    // The folder a Pages workflow publishes: the site folder's own, else its repository's.
    let site_dir = site_dir.canonicalize().unwrap_or_else(|_| site_dir.to_path_buf());
    let repository = site_dir.ancestors().find(|dir| dir.join(".git").exists()).map(Path::to_path_buf);
    let pages = std::iter::once(site_dir.clone())
        .chain(repository)
        .find_map(|root| pages_workflow(&root).map(|workflow| (root, workflow)));
    let mut found = Vec::new();
    let publishes = match (&pages, &register.site.private) {
        (Some((_, workflow)), _) => format!(
            "`{}` publishes this repository to GitHub Pages, which on GitHub's free plan must be public",
            workflow.display()
        ),
        (None, Some(named)) => format!("site.yaml keeps private papers in `{named}`, outside the repository"),
        (None, None) => return found,
    };
    let in_content =
        |p: &&Paper| !matches!(&register.private, PrivateFolder::Read { files, .. } if files.contains(&p.file));
    for paper in register.papers.iter().filter(in_content).filter(|p| !published(register, &p.id, as_of)) {
        let files = match paper.given_file() {
            Some(file) => format!("{file} (and content/papers/{}.yaml)", paper.id),
            None => format!("content/papers/{}.md", paper.id),
        };
        let help = match &register.site.private {
            Some(named) => format!("move {files} to `{named}/papers/`"),
            None => format!(
                "move {files} to a folder outside this repository, `../board-private/papers/`, and name it in site.yaml: `private: ../board-private`"
            ),
        };
        found.push(
            PRIVATE_PAPER_PUBLISHED
                .at(Span::file_start(paper.file), format!("`{}` is a Part II paper (presented only at private meetings) kept in content/, and {publishes}", paper.id))
                .with_help(help),
        );
    }
    let root = match &register.private {
        PrivateFolder::Unnamed => None,
        PrivateFolder::Read { root, .. } | PrivateFolder::Unread { root, .. } => root.canonicalize().ok(),
    };
    if let (Some(root), Some((published, workflow))) = (root, &pages)
        && root.starts_with(published)
    {
        found.push(
            PRIVATE_PAPER_PUBLISHED
                .at(register.value_span(register.site.file, "private"), format!("the private folder is inside the repository that `{}` publishes to GitHub Pages", workflow.display()))
                .with_help("move it outside the repository (a folder beside it, or a private repository of its own) and give that path, e.g. `private: ../board-private`"),
        );
    }
    found
}

/// A GitHub workflow of the repository in `root` that publishes to GitHub Pages, by its path
/// there (`.github/workflows/pages.yml`).
fn pages_workflow(root: &Path) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(root.join(".github/workflows")).ok()?.filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    files.into_iter().find_map(|path| {
        let yaml = path.extension().is_some_and(|e| e == "yml" || e == "yaml");
        // A workflow is a few kilobytes; a larger file is not read.
        let small = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() < 1024 * 1024);
        let text = if yaml && small { std::fs::read_to_string(&path).ok()? } else { return None };
        let publishes = ["actions/deploy-pages", "upload-pages-artifact", "gh-pages"].iter().any(|m| text.contains(m));
        publishes.then(|| path.strip_prefix(root).unwrap_or(&path).to_path_buf())
    })
}

/// Whether the website publishes `paper` at `as_of` (`--drafts` aside): it is not private,
/// or it is a private paper past its `restricted_until`.
fn published(register: &Register, paper: &str, as_of: Date) -> bool {
    !register.is_private_paper(paper) || register.is_released(paper, as_of)
}

/// The given papers, each with how diagnostics name its file.
fn given(register: &Register) -> impl Iterator<Item = (&Paper, String)> {
    register.papers.iter().filter_map(|p| p.given_file().map(|file| (p, file)))
}

/// Where `allow:` is (the details file's), for the help line.
fn allow_help(paper: &Paper, key: Allow) -> String {
    format!(
        "or, if a person has checked that it may be published, add `allow: [{}]` to content/papers/{}.yaml",
        key.key(),
        paper.id
    )
}

fn check_markings(cx: &mut Checker) {
    let register = cx.register;
    for (paper, file) in given(register) {
        let Some(a) = paper.attachment() else { continue };
        if paper.allow.contains(&Allow::ProtectiveMarking) {
            continue;
        }
        let public = published(register, &paper.id, cx.as_of);
        let own = Marking::level_of_classification(paper.classification.as_deref());
        let allowed = if public { 0 } else { own };
        for (marking, line, place) in a.inspection.markings.iter().filter(|(m, _, _)| m.level() > allowed) {
            let above = if public {
                "above OFFICIAL, and the website publishes it".to_string()
            } else {
                match &paper.classification {
                    Some(c) => format!("above its classification `{c}`"),
                    None => "and the paper gives no `classification`".to_string(),
                }
            };
            let d = PROTECTIVE_MARKING
                .at(Span::file_start(paper.file), format!("{file} is marked {} in {place} (\"{line}\"), {above}", marking.name()))
                .with_help(if public {
                    format!("if the paper is {}, present it only at a private meeting (`session: private`); if the marking is stale, remove it from the file; {}", marking.name(), allow_help(paper, Allow::ProtectiveMarking))
                } else {
                    format!("set `classification:` in content/papers/{}.yaml to the marking the paper carries, or remove the marking from the file; {}", paper.id, allow_help(paper, Allow::ProtectiveMarking))
                });
            cx.report(d);
        }
    }
}

fn check_hidden(cx: &mut Checker) {
    let register = cx.register;
    for (paper, file) in given(register) {
        let Some(a) = paper.attachment() else { continue };
        if let Some(why) = &a.inspection.unreadable {
            let d = HIDDEN_CONTENT
                .at(
                    Span::file_start(paper.file),
                    format!("{file} cannot be checked for hidden content before it is published: {why}"),
                )
                .with_help("open it and save it again (a PDF: Print to PDF), or ask its author for the file again");
            cx.report(d);
        }
        for finding in a.inspection.findings.iter().filter(|f| !matches!(f, Finding::MetadataName { .. })) {
            if finding.allowed_by().is_some_and(|key| paper.allow.contains(&key)) {
                continue;
            }
            let help = match finding.allowed_by() {
                Some(key) => format!("{}; {}", finding.help(), allow_help(paper, key)),
                None => format!("{} (a script or a launch action is never published)", finding.help()),
            };
            let d = HIDDEN_CONTENT
                .at(
                    Span::file_start(paper.file),
                    format!("{file} carries {}, which would be published with it", finding.describe()),
                )
                .with_help(help);
            cx.report(d);
        }
    }
}

fn check_names(cx: &mut Checker) {
    let register = cx.register;
    for (paper, file) in given(register) {
        let Some(a) = paper.attachment() else { continue };
        if paper.allow.contains(&Allow::MetadataNames) {
            continue;
        }
        for finding in a.inspection.findings.iter().filter(|f| matches!(f, Finding::MetadataName { .. })) {
            let d = METADATA_NAMES
                .at(
                    Span::file_start(paper.file),
                    format!("{file}: {}, which would be published with it", finding.describe()),
                )
                .with_help(format!("{}; {}", finding.help(), allow_help(paper, Allow::MetadataNames)));
            cx.report(d);
        }
    }
}

/// The files the website publishes something of: every text file but private meetings, the
/// actions and decisions they record, and the papers (and their details) the website leaves
/// out. (A comment in a published record is not published; it is read too, as a register is
/// often public itself.)
fn withheld_files(register: &Register, as_of: Date) -> Vec<FileId> {
    let private_meeting = |id: &str| register.meeting(id).is_some_and(|m| m.session == Session::Private);
    let mut files: Vec<FileId> = Vec::new();
    files.extend(register.meetings.iter().filter(|m| m.session == Session::Private).map(|m| m.file));
    files.extend(register.actions.iter().filter(|a| private_meeting(&a.meeting)).map(|a| a.file));
    files.extend(register.decisions.iter().filter(|d| private_meeting(&d.meeting)).map(|d| d.file));
    files.extend(register.papers.iter().filter(|p| !published(register, &p.id, as_of)).map(|p| p.file));
    files.extend(register.paper_details.iter().filter(|d| !published(register, &d.id, as_of)).map(|d| d.file));
    files
}

/// A diagnostic for an NHS number at `span`, found in `what`.
pub fn nhs_number_at(span: Span, what: &str, digits: &str) -> Diagnostic {
    NHS_NUMBER
        .at(span, format!("{what} holds `{digits}`, which is a valid NHS number: the website would publish it"))
        .with_help("remove it; if the digits are not an NHS number, write them another way (grouped differently, or with their unit) so they do not read as one")
}

fn check_nhs_numbers(cx: &mut Checker) {
    let register = cx.register;
    let withheld = withheld_files(register, cx.as_of);
    let given_files: Vec<FileId> = given(register).map(|(p, _)| p.file).collect();
    for index in 0..cx.sources.len() {
        let file = FileId::from_index(index);
        if withheld.contains(&file) || given_files.contains(&file) {
            continue;
        }
        let source = cx.sources.get(file);
        // Read for NHS numbers at load, and held none (as every released page did).
        if source.free_of_nhs_numbers {
            continue;
        }
        for found in nhs_number::find(source.text()) {
            let d = nhs_number_at(Span::new(file, found.start, found.end), "this file", &found.digits);
            cx.report(d);
        }
    }
    for (paper, file) in given(register) {
        let Some(a) = paper.attachment() else { continue };
        if !published(register, &paper.id, cx.as_of) {
            continue;
        }
        for found in nhs_number::find(&a.inspection.text) {
            let d = nhs_number_at(Span::file_start(paper.file), &format!("the text of {file}"), &found.digits);
            cx.report(d);
        }
    }
}
