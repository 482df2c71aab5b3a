//! The command line (clap derive). Each subcommand's work lives in [`crate::commands`].

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use oversight_rules::blocks::TimelineOrder;

use crate::ui::ColorChoice;
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::Format;

#[derive(Debug, Parser)]
#[command(
    name = "oversight",
    version = env!("OVERSIGHT_VERSION"),
    about = "Validate an NHS oversight register and compile it into a website and board papers",
    after_help = "Documentation, built in: `oversight docs` lists the guides (the record format, the rules, \
                  blocks, editors, import and export); `oversight docs record-format` prints one; \
                  `oversight docs --output DIR` writes them all as a website to read offline."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Say nothing but problems and results (no "built …" lines or progress).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more about what is done (files read, as-of date, timings).
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a new register: site.yaml, one example of each record kind, a CI workflow that
    /// checks and publishes, and editor settings. The folder must be new or empty.
    Init(InitArgs),
    /// Check the register against the record format and the oversight framework's rules.
    ///
    /// Exit status: 0 clean, 1 the content has errors (or warnings under --deny warnings),
    /// 2 usage or I/O failure.
    Check(CheckArgs),
    /// Check the register, then build the website into the output folder.
    ///
    /// The build is atomic: it is written beside the output folder and swapped in when
    /// complete, so a failed build leaves the previous output as it was.
    Build(BuildArgs),
    /// Preview the site: build it, serve it on 127.0.0.1 and rebuild on every change, with live
    /// reload and errors shown in the browser.
    Serve(ServeArgs),
    /// Run the language server for editors, over standard input and output.
    ///
    /// Diagnostics as you type (on unsaved buffers), hover, go to definition, document links,
    /// completion and quick fixes, for the register the editor's folder is in (the nearest
    /// folder holding content/, walking up). Editors start it themselves: see docs/editors.md.
    Lsp,
    /// Make board papers as PDF: one pack per meeting and one PDF per paper.
    ///
    /// The register is checked first; errors stop it. Output is written atomically, like
    /// `build`.
    Papers(PapersArgs),
    /// Write a Markdown skeleton of a meeting's minutes, for the secretary to finish.
    ///
    /// It is made from the agenda, attendance, declarations of interest, decisions and
    /// actions the meeting recorded, with `minutes_of:` set, as a draft paper. Printed to
    /// standard output, or written to `--output` (never over an existing file).
    Minutes(MinutesArgs),
    /// Write the timeline of RSP entry and exit points to standard output, for scripts.
    ///
    /// CSV and JSON carry one row per episode (columns in docs/timeline-data.md); SVG is the
    /// chart. The register is checked first: with errors, nothing is written and the exit
    /// status is 1.
    Timeline(TimelineArgs),
    /// Read a spreadsheet (.xlsx, .xls, .ods or .csv) into the register: new organisations,
    /// segment history, RSP episodes, exit criteria, support packages and undertakings.
    ///
    /// New records become new files; differences from records already in the register are
    /// reported, and applied (in place, keeping comments and key order) only with --update.
    /// The result is checked with every rule first: with any error, nothing is written.
    /// Columns, date forms and examples: docs/import-export.md.
    Import(ImportArgs),
    /// Write the register as an Excel workbook: a sheet per record kind, the timeline and the
    /// figures the website states, as at a date.
    Export(ExportArgs),
    /// Write a synthetic register, for benchmarks (deterministic by seed; every record passes
    /// `check`).
    #[command(hide = true)]
    Generate(GenerateArgs),
    /// List every rule: code, default level, name and what it checks.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
    },
    /// Explain one rule: what it checks, why, and its source.
    Explain {
        /// Rule code (OVS101) or name (segment-out-of-range).
        rule: String,
    },
    /// Write a JSON Schema for site.yaml and every record kind, for editors and validators.
    ///
    /// With the schemas, an editor that speaks yaml-language-server (VS Code's YAML extension
    /// and others) completes keys and allowed values and flags typos as you type; see
    /// docs/editors.md.
    Schema(SchemaArgs),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    ///
    /// For example, for bash: `oversight completions bash > ~/.local/share/bash-completion/completions/oversight`;
    /// for zsh: `oversight completions zsh > ~/.zfunc/_oversight` (with ~/.zfunc on fpath).
    Completions { shell: clap_complete::Shell },
    /// Read the documentation built into this program: the guide, the record format, the
    /// rules, blocks, editors, import and export.
    ///
    /// Without a name, lists the documents; with one (`record-format`), prints it as Markdown;
    /// with --output, writes them all as a small website to read offline.
    Docs(DocsArgs),
    /// Print the manual page (roff).
    ///
    /// For example: `oversight man > ~/.local/share/man/man1/oversight.1`, then `man oversight`.
    Man,
    /// Delete output folders that builds replaced (`.NAME.replaced-...`, holding the build
    /// marker); started by `build` and `papers` so they need not wait for it.
    #[command(hide = true)]
    RemoveReplaced { folders: Vec<std::path::PathBuf> },
}

#[derive(Debug, clap::Args)]
pub struct DocsArgs {
    /// The document to print, by the name `oversight docs` lists (e.g. record-format).
    #[arg(conflicts_with = "output")]
    pub name: Option<String>,
    /// Write every document as an HTML page into this folder (made, or replaced if an earlier
    /// `oversight docs` made it).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The folder to write the schemas into (made if missing).
    #[arg(long, default_value = "schemas")]
    pub output: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site folder: the one holding content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// How to print diagnostics.
    #[arg(long, default_value = "human", value_parser = format_parser())]
    pub format: Format,
    /// Treat warnings as errors for the exit status.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Check as at this date (YYYY-MM-DD) instead of site.yaml's `as_of` or today.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site folder: the one holding content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// Where to write the site (default: public/ in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// The URL the site is published at, overriding site.yaml's `base_url` (`/` for the root
    /// of any host).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Build draft pages and draft papers too.
    #[arg(long)]
    pub drafts: bool,
    /// Also publish private meetings (`session: private`) and the papers only they present.
    /// Never the default: a board's Part II papers are not for the public website.
    #[arg(long)]
    pub publish_private: bool,
    /// Skip typesetting board papers and packs as PDF.
    #[arg(long)]
    pub no_papers: bool,
    /// Build as at this date (YYYY-MM-DD) instead of site.yaml's `as_of` or today.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// Treat warnings as errors: do not build if there are any.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// How to print diagnostics.
    #[arg(long, default_value = "human", value_parser = format_parser())]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// The folder to write the site into (it must not hold a content/ folder yet).
    pub output: PathBuf,
    #[arg(long, default_value_t = 1000)]
    pub organisations: usize,
    #[arg(long, default_value_t = 0)]
    pub pages: usize,
    #[arg(long, default_value_t = 0)]
    pub papers: usize,
    /// Papers on each meeting's agenda, so one pack can be as large as a benchmark needs.
    #[arg(long, default_value_t = 8)]
    pub papers_per_meeting: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site folder: the one holding content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// The port to serve on; the next free one is used if it is taken (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on. Anything but 127.0.0.1 exposes the preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Build draft pages and draft papers too.
    #[arg(long)]
    pub drafts: bool,
    /// Also show private meetings (`session: private`) and the papers only they present.
    /// Never the default: a board's Part II papers are not for the public website.
    #[arg(long)]
    pub publish_private: bool,
    /// Poll for changes instead of using file system events (network drives, containers, WSL).
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, clap::Args)]
pub struct PapersArgs {
    /// The site folder: the one holding content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// Only this meeting's pack and papers.
    #[arg(long)]
    pub meeting: Option<String>,
    /// Where to write the PDFs (default: papers/ in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Include draft papers (`draft: true`), which packs otherwise leave out.
    #[arg(long)]
    pub drafts: bool,
    /// Also one pack per board member (`<meeting>-pack-<member>.pdf`), without the papers of
    /// items they are conflicted on (docs/record-format.md, "Board governance").
    #[arg(long)]
    pub per_member: bool,
    /// As at this date (YYYY-MM-DD), for papers on no meeting's agenda.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// How to print diagnostics.
    #[arg(long, default_value = "human", value_parser = format_parser())]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct MinutesArgs {
    /// The site folder: the one holding content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// The meeting, by its id (its file name in content/meetings/).
    #[arg(long)]
    pub meeting: String,
    /// Write the skeleton to this file (e.g. content/papers/2026-10-board-minutes.md).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct TimelineArgs {
    /// The site folder: the one holding content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// As at this date (YYYY-MM-DD) instead of site.yaml's `as_of` or today.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// What to write (columns in docs/timeline-data.md).
    #[arg(long, value_enum, default_value_t = TimelineFormat::Csv)]
    pub format: TimelineFormat,
    /// Row order of the SVG chart: entry (by first entry date), region or type (then by entry).
    #[arg(long, default_value = "entry", value_parser = order_parser())]
    pub order: TimelineOrder,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to make the register in: new, or empty.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx, .xlsm, .xls, .ods or .csv.
    pub file: PathBuf,
    /// The site folder: the one holding content/ (made if there is none).
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// Read only this sheet (default: every sheet with a table import knows).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Show what would be written (new files in full, changes as a diff); write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Apply differences to records the register already has (default: only report them).
    #[arg(long)]
    pub update: bool,
    /// Say what a column holds: --map "Start of RSP=entered". Repeatable; `Header=-` leaves a
    /// column out.
    #[arg(long = "map", value_name = "HEADER=KEY")]
    pub map: Vec<String>,
    /// How to print diagnostics.
    #[arg(long, default_value = "human", value_parser = format_parser())]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The site folder: the one holding content/.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    #[arg(long, value_enum, default_value_t = ExportFormat::Xlsx)]
    pub format: ExportFormat,
    /// The file to write.
    #[arg(long)]
    pub output: PathBuf,
    /// The timeline and figures as at this date (YYYY-MM-DD) instead of site.yaml's `as_of`
    /// or today.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// An Excel workbook.
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// One row per RSP episode, for spreadsheets (RFC 4180).
    Csv,
    /// The same rows as JSON: `{"as_of", "columns", "episodes": [...]}`.
    Json,
    /// The timeline chart.
    Svg,
}

/// `--order`: the values of a timeline block's `order:` option.
fn order_parser() -> impl clap::builder::TypedValueParser<Value = TimelineOrder> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["entry", "region", "type"]).map(|s| match s.as_str() {
        "region" => TimelineOrder::Region,
        "type" => TimelineOrder::Type,
        _ => TimelineOrder::Entry,
    })
}

/// `--format` of the diagnostics: the formats the diagnostics crate prints ([`Format::ALL`]).
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = Format::ALL.map(|(_, name, help)| PossibleValue::new(name).help(help));
    PossibleValuesParser::new(values)
        .map(|name| Format::ALL.iter().find(|(_, n, _)| *n == name).map_or(Format::Human, |(format, _, _)| *format))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// One line per rule, for the terminal.
    Table,
    /// Every rule with its explanation and sources in full, for scripts.
    Json,
    /// The page docs/rules.md is generated from.
    Markdown,
}

/// The command line as users see it, for completions and the manual page: without hidden
/// commands (`generate`, for benchmarks), which clap_complete would otherwise offer.
pub fn user_command() -> clap::Command {
    let full = <Cli as clap::CommandFactory>::command();
    let visible: Vec<clap::Command> = full.get_subcommands().filter(|c| !c.is_hide_set()).cloned().collect();
    let mut user = clap::Command::new("oversight")
        .version(env!("OVERSIGHT_VERSION"))
        .args(full.get_arguments().cloned())
        .subcommands(visible);
    if let Some(about) = full.get_about() {
        user = user.about(about.clone());
    }
    user
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
}
