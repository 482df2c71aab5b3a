//! The timeline chart of RSP entry and exit points as SVG, drawn here in Rust so it shows with
//! JavaScript off, prints, and embeds in PDFs.
//!
//! One row per organisation that ever had an episode (up to the as-at date), named in full:
//! a solid bar from entry to exit, or to the as-at line with an arrowhead while open; a circle
//! at entry and a diamond at exit; the segment-3 period after an exit as a lighter hatched bar.
//! Framework editions are bands behind the plot, years are ticks, and the as-at date is a
//! dashed line. Shapes and patterns carry every distinction that colour does. The same input
//! always gives the same bytes.
//!
//! SVG text scales with the picture, so one drawing cannot be readable both on a phone and on
//! a desktop. There are two layouts ([`Layout`]): `Wide`, names beside their bars, for screens
//! and pages at least [`WIDE_WIDTH`] wide (and PDFs); and `Narrow`, each name above its bar,
//! [`NARROW_WIDTH`] wide, the content width of a 320-pixel screen. The website puts both in
//! the page and shows one by the width available (a CSS container query), never scaling a
//! chart below its own size, so its 12-unit text is never under 12 pixels. Names wrap over as
//! many lines as they need, measured with Arial's character widths, so none is cut short.

use std::fmt::Write;

use super::{census, count};
use oversight_model::kinds::RecordKind;
use oversight_model::links::Target;
use oversight_model::urls::Urls;
use oversight_model::{Organisation, Register, RspEpisode};
use oversight_rules::blocks::TimelineOrder;
use oversight_rules::editions::{EDITIONS, RSP_LAUNCH};
use oversight_syntax::date::Date;
use oversight_syntax::escape::xml;

/// Where the names go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// In a column beside the bars.
    Wide,
    /// Above each bar, across the chart: for narrow screens.
    Narrow,
}

/// The width of the wide layout on the website: shown where the page is at least this wide.
pub const WIDE_WIDTH: u32 = 720;
/// The width of the narrow layout: the content width of a 320-pixel screen (16 px margins).
pub const NARROW_WIDTH: u32 = 288;

#[derive(Debug, Clone)]
pub struct ChartOptions {
    pub as_of: Date,
    pub order: TimelineOrder,
    /// Total width in SVG units (pixels at 100%); the height grows with the rows.
    pub width: u32,
    pub layout: Layout,
    /// Prefix for element ids, so several charts can share one page.
    pub id_prefix: String,
    /// Only this organisation's row (its own page), with an axis of its own.
    pub only: Option<String>,
    /// Each row links to its organisation's page at these URLs (none in PDFs).
    pub links: Option<Urls>,
    /// Links are absolute URLs, for the chart as a file of its own.
    pub absolute_links: bool,
}

impl ChartOptions {
    /// The wide chart, without links.
    pub fn new(as_of: Date) -> ChartOptions {
        ChartOptions {
            as_of,
            order: TimelineOrder::Entry,
            width: WIDE_WIDTH,
            layout: Layout::Wide,
            id_prefix: "tl".into(),
            only: None,
            links: None,
            absolute_links: false,
        }
    }

    /// The same chart in the narrow layout, its ids kept apart from the wide one's.
    pub fn narrow(&self) -> ChartOptions {
        ChartOptions {
            width: NARROW_WIDTH,
            layout: Layout::Narrow,
            id_prefix: format!("{}n", self.id_prefix),
            ..self.clone()
        }
    }
}

/// Font size of every label, in SVG units.
const FONT: f64 = 12.0;
/// Distance between the baselines of a wrapped name's lines.
const LINE: f64 = 15.0;
const BAR: f64 = 10.0;
/// Height of a row in the wide layout whose name takes one line.
const ROW: f64 = 24.0;
/// Space above the plot for the as-at label.
const HEAD: f64 = 24.0;
/// Height of the year axis under the plot.
const AXIS: f64 = 30.0;
const LEGEND_LINE: f64 = 22.0;
/// Names wrap before this share of the room they have, leaving slack for a fallback font
/// wider than Arial.
const SLACK: f64 = 0.92;

const PROGRAMME: &str = "#005EB8";
const AFTER_EXIT: &str = "#41B6E6";
const TEXT: &str = "#212B32";
const LINK: &str = "#005EB8";
const GRID: &str = "#D8DDE0";
const BANDS: [&str; 2] = ["#F0F4F5", "#FFFFFF"];

/// Where things go across the chart.
struct Across {
    width: f64,
    /// Left edge of the names.
    label_left: f64,
    /// Room for a line of a name.
    label_width: f64,
    plot_left: f64,
    plot_right: f64,
}

impl Across {
    fn new(width: f64, layout: Layout) -> Across {
        match layout {
            Layout::Wide => {
                let label_width = (width * 0.32).clamp(140.0, 280.0);
                Across {
                    width,
                    label_left: 8.0,
                    label_width,
                    plot_left: 8.0 + label_width + 12.0,
                    plot_right: width - 16.0,
                }
            }
            Layout::Narrow => {
                Across { width, label_left: 4.0, label_width: width - 8.0, plot_left: 4.0, plot_right: width - 14.0 }
            }
        }
    }
}

/// One organisation's row: its name's lines, its top and height, and the middle of its bar.
struct Row<'a> {
    org: &'a Organisation,
    lines: Vec<String>,
    top: f64,
    height: f64,
    mid: f64,
}

/// Where dates go across the plot: from `start` to `end`, between the plot's edges.
struct Scale {
    start: Date,
    end: Date,
    left: f64,
    width: f64,
}

impl Scale {
    /// Days from the start to the end, at least one.
    fn span(&self) -> f64 {
        self.start.days_until(self.end).max(1) as f64
    }

    /// Where `d` goes, held inside the plot.
    fn x(&self, d: Date) -> f64 {
        let days = self.start.days_until(d).clamp(0, self.start.days_until(self.end));
        self.left + self.width * days as f64 / self.span()
    }
}

/// The chart laid out: where everything goes, before any of it is written.
struct Chart<'a> {
    options: &'a ChartOptions,
    across: Across,
    scale: Scale,
    /// Each edition's band: its index in [`EDITIONS`] and its left and right edges.
    bands: Vec<(usize, f64, f64)>,
    /// Each edition's name: its index, centre and line above the plot.
    edition_labels: Vec<(usize, f64, usize)>,
    rows_top: f64,
    rows: Vec<Row<'a>>,
    plot_bottom: f64,
    legend: Vec<(Symbol, &'static str, f64, f64)>,
    height: f64,
}

/// Renders the chart.
pub fn render(register: &Register, options: &ChartOptions) -> String {
    let orgs = ordered(register, options);
    let chart = Chart::lay_out(&orgs, options);
    let (title, desc) = chart.title_and_description(register, orgs.len());
    let mut s = String::with_capacity(2048 + orgs.len() * 700);
    chart.write_head(&mut s, &title, &desc);
    chart.write_editions(&mut s);
    chart.write_years(&mut s);
    s.push_str(r#"<g class="rows">"#);
    for (i, row) in chart.rows.iter().enumerate() {
        chart.write_row(&mut s, i, row);
    }
    if chart.rows.is_empty() {
        chart.write_no_rows(&mut s);
    }
    s.push_str("</g>");
    chart.write_as_at(&mut s);
    chart.write_legend(&mut s);
    s.push_str("</svg>\n");
    s
}

/// The organisations with an episode by the as-at date (only the one asked for, if any), with
/// their first entry, in the chart's order.
fn ordered<'a>(register: &'a Register, options: &ChartOptions) -> Vec<(&'a Organisation, Date)> {
    let as_of = options.as_of;
    let mut orgs: Vec<(&Organisation, Date)> = register
        .organisations
        .iter()
        .filter(|o| options.only.as_deref().is_none_or(|id| o.id == id))
        .filter_map(|o| o.rsp.iter().map(|e| e.entered).filter(|d| *d <= as_of).min().map(|first| (o, first)))
        .collect();
    orgs.sort_by(|(a, fa), (b, fb)| match options.order {
        TimelineOrder::Entry => (fa, &a.id).cmp(&(fb, &b.id)),
        TimelineOrder::Region => (a.region, fa, &a.id).cmp(&(b.region, fb, &b.id)),
        TimelineOrder::Type => (a.org_type, fa, &a.id).cmp(&(b.org_type, fb, &b.id)),
    });
    orgs
}

impl<'a> Chart<'a> {
    fn lay_out(orgs: &[(&'a Organisation, Date)], options: &'a ChartOptions) -> Chart<'a> {
        // The axis runs from the start of SOF 2021/22 (or an earlier entry's month) to a little
        // past the as-at date.
        let first = orgs.iter().map(|(_, d)| *d).min().unwrap_or(RSP_LAUNCH).min(RSP_LAUNCH);
        let start = Date::constant(first.year(), first.civil().month(), 1);
        // At least a year wide, even as at a date before the programme began.
        let end = options.as_of.plus_months(3).max(start.plus_months(12));
        let minimum = match options.layout {
            Layout::Wide => 480,
            Layout::Narrow => 240,
        };
        let across = Across::new(f64::from(options.width.max(minimum)), options.layout);
        let scale = Scale { start, end, left: across.plot_left, width: across.plot_right - across.plot_left };
        let (bands, edition_labels, label_lines) = editions(&across, &scale);
        let rows_top = HEAD + 6.0 + LINE * label_lines.max(1) as f64;
        let (rows, rows_bottom) = lay_out_rows(orgs, &across, options.layout, rows_top);
        let plot_bottom = if rows.is_empty() { rows_top + ROW } else { rows_bottom };
        let legend = legend_layout(&across, plot_bottom + AXIS + 12.0);
        let height = legend.last().map_or(plot_bottom + AXIS, |(.., y)| y + 16.0);
        Chart { options, across, scale, bands, edition_labels, rows_top, rows, plot_bottom, legend, height }
    }

    /// The chart's title and description: one organisation's, or the programme's.
    fn title_and_description(&self, register: &Register, organisations: usize) -> (String, String) {
        let as_of = self.options.as_of;
        if let (Some(_), Some(row)) = (&self.options.only, self.rows.first()) {
            return (
                format!("{} in the Recovery Support Programme, as at {}", row.org.name, as_of.display_long()),
                format!(
                    "{}. The bar runs from entry (circle) to exit (diamond); an open bar ends in an arrow at the as-at line; a lighter hatched bar shows segment 3 after exit.",
                    row_title(row.org, as_of)
                ),
            );
        }
        let c = census(register, as_of);
        let exits = match c.exits {
            n if n == c.organisations_exited => String::new(),
            n => format!(" ({} in all)", count(n, "exit", "exits")),
        };
        (
            format!("Timeline of Recovery Support Programme entry and exit points, as at {}", as_of.display_long()),
            format!(
                "{} organisations have been in the programme since {}. As at {}, {} are in it ({} and {}); {} have exited{exits}. Each row is an organisation: a bar runs from entry (circle) to exit (diamond); an open bar ends in an arrow at the as-at line; a lighter hatched bar shows segment 3 after exit.",
                organisations,
                RSP_LAUNCH.display_long(),
                as_of.display_long(),
                c.in_programme(),
                count(c.providers, "provider", "providers"),
                count(c.icbs, "ICB", "ICBs"),
                c.organisations_exited,
            ),
        )
    }

    /// ` aria-hidden="true"` on the drawing when the rows are links (see [`Chart::write_head`]).
    fn hidden(&self) -> &'static str {
        if self.options.links.is_some() { r#" aria-hidden="true""# } else { "" }
    }

    /// The opening tag, title, description and the hatch pattern.
    fn write_head(&self, s: &mut String, title: &str, desc: &str) {
        let p = &self.options.id_prefix;
        // Rows that are links cannot sit inside role="img", whose content is hidden from
        // assistive technology: such a chart is a group of links, its title and description
        // still naming it, and its drawing hidden.
        let role = if self.options.links.is_some() { "group" } else { "img" };
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="{role}" aria-labelledby="{p}-title {p}-desc" font-family="Frutiger W01, Arial, sans-serif" font-size="{FONT}">"#,
            w = fmt(self.across.width),
            h = fmt(self.height)
        );
        let _ = write!(s, r#"<title id="{p}-title">{}</title><desc id="{p}-desc">{}</desc>"#, xml(title), xml(desc));
        let _ = write!(
            s,
            r#"<defs><pattern id="{p}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{AFTER_EXIT}" fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="6" stroke="{AFTER_EXIT}" stroke-width="3"/></pattern></defs>"#
        );
    }

    /// Edition bands and their names.
    fn write_editions(&self, s: &mut String) {
        let _ = write!(s, r#"<g class="editions"{}>"#, self.hidden());
        for &(i, x0, x1) in &self.bands {
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                fmt(x0),
                fmt(HEAD),
                fmt(x1 - x0),
                fmt(self.plot_bottom - HEAD),
                BANDS[i % 2]
            );
        }
        for &(i, centre, line) in &self.edition_labels {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle" fill="{TEXT}">{}</text>"#,
                fmt(centre),
                fmt(HEAD + LINE * (line + 1) as f64 - 2.0),
                xml(EDITIONS[i].short_name)
            );
        }
        s.push_str("</g>");
    }

    /// Year ticks, labelled as often as their labels fit.
    fn write_years(&self, s: &mut String) {
        let _ = write!(s, r#"<g class="years"{}>"#, self.hidden());
        let (start, end) = (self.scale.start, self.scale.end);
        let per_year = self.scale.width * 365.25 / self.scale.span();
        let every = ((text_width("2000", false) + 10.0) / per_year).ceil().max(1.0) as i16;
        for year in start.year()..=end.year() {
            let d = Date::constant(year, 1, 1);
            if d < start || d > end {
                continue;
            }
            let xx = fmt(self.scale.x(d));
            let _ = write!(
                s,
                r#"<line x1="{xx}" y1="{}" x2="{xx}" y2="{}" stroke="{GRID}"/>"#,
                fmt(self.rows_top),
                fmt(self.plot_bottom + 4.0)
            );
            if year % every == 0 {
                let _ = write!(
                    s,
                    r#"<text x="{xx}" y="{}" text-anchor="middle" fill="{TEXT}">{year}</text>"#,
                    fmt(self.plot_bottom + 18.0)
                );
            }
        }
        s.push_str("</g>");
    }

    /// Row `i`: a link (or group) with its tooltip, its band, its name and its episodes.
    fn write_row(&self, s: &mut String, i: usize, row: &Row) {
        let (org, as_of, options) = (row.org, self.options.as_of, self.options);
        let name_fill = if options.links.is_some() { LINK } else { TEXT };
        match &options.links {
            Some(urls) => {
                let target = Target::Record(RecordKind::Organisation, org.id.clone());
                let href =
                    if options.absolute_links { urls.absolute(&Urls::relative(&target)) } else { urls.target(&target) };
                let title = xml(&row_title(org, as_of));
                let _ =
                    write!(s, r#"<a class="row" href="{}" aria-label="{title}"><title>{title}</title>"#, xml(&href));
            }
            None => {
                let _ = write!(s, r#"<g class="row"><title>{}</title>"#, xml(&row_title(org, as_of)));
            }
        }
        // A band behind every other row, and behind any row with the keyboard focus (the
        // theme colours it).
        let _ = write!(
            s,
            r##"<rect class="row-back" x="0" y="{}" width="{}" height="{}" fill="#000" fill-opacity="{}"/>"##,
            fmt(row.top),
            fmt(self.across.width),
            fmt(row.height),
            if i % 2 == 1 { "0.03" } else { "0" }
        );
        let underline = if options.links.is_some() { r#" text-decoration="underline""# } else { "" };
        let first_baseline = match options.layout {
            Layout::Wide => row.mid - (row.lines.len() as f64 - 1.0) * LINE / 2.0 + 4.0,
            Layout::Narrow => row.top + LINE,
        };
        let left = self.across.label_left;
        let _ = write!(
            s,
            r#"<text class="name" x="{}" y="{}" fill="{name_fill}"{underline}>"#,
            fmt(left),
            fmt(first_baseline)
        );
        for (k, line) in row.lines.iter().enumerate() {
            let dy = if k == 0 { String::new() } else { format!(r#" dy="{LINE}""#) };
            // A space ends every line but the last, so the name reads whole as text (the
            // link's visible label must be part of its accessible name, WCAG 2.5.3).
            let space = if k + 1 < row.lines.len() { " " } else { "" };
            let _ = write!(s, r#"<tspan x="{}"{dy}>{}{space}</tspan>"#, fmt(left), xml(line));
        }
        s.push_str("</text>");
        for e in org.rsp.iter().filter(|e| e.entered <= as_of) {
            self.write_episode(s, org, e, row.mid);
        }
        s.push_str(if options.links.is_some() { "</a>" } else { "</g>" });
    }

    /// One episode on the row whose bar's middle is at `mid`: the hatched segment-3 stretch
    /// after an exit, the bar, an arrowhead while open, the entry circle, the exit diamond.
    fn write_episode(&self, s: &mut String, org: &Organisation, e: &RspEpisode, mid: f64) {
        let (as_of, p) = (self.options.as_of, &self.options.id_prefix);
        let exited = e.exited.filter(|x| *x <= as_of);
        let (x0, x1) = (self.scale.x(e.entered), self.scale.x(exited.unwrap_or(as_of)));
        if let Some(xd) = exited
            && let Some(after_end) = segment_3_after(org, e, xd, as_of)
        {
            let xa = self.scale.x(after_end);
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{}" height="{BAR}" fill="url(#{p}-hatch)" stroke="{AFTER_EXIT}" stroke-width="0.5"/>"#,
                fmt(x1),
                fmt(mid - BAR / 2.0),
                fmt((xa - x1).max(0.0))
            );
        }
        let _ = write!(
            s,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{PROGRAMME}" stroke-width="{BAR}"/>"#,
            fmt(x0),
            fmt(mid),
            fmt(x1.max(x0 + 1.0)),
            fmt(mid)
        );
        if exited.is_none() {
            s.push_str(&arrowhead(x1, mid));
        }
        let _ = write!(
            s,
            r##"<circle cx="{}" cy="{}" r="5" fill="#fff" stroke="{PROGRAMME}" stroke-width="2.5"/>"##,
            fmt(x0),
            fmt(mid)
        );
        if exited.is_some() {
            let _ = write!(
                s,
                r##"<path d="M{} {} l6 6 l-6 6 l-6 -6 z" fill="{TEXT}" stroke="#fff" stroke-width="1"/>"##,
                fmt(x1),
                fmt(mid - 6.0)
            );
        }
    }

    /// In place of rows, when no organisation had entered by the as-at date.
    fn write_no_rows(&self, s: &mut String) {
        let left = self.across.label_left;
        let message = "No organisation has entered the programme by this date.";
        let _ = write!(s, r#"<text x="{}" y="{}" fill="{TEXT}">"#, fmt(left), fmt(self.rows_top + ROW / 2.0 + 4.0));
        for (k, line) in wrap(message, (self.across.width - 2.0 * left) * SLACK).iter().enumerate() {
            let dy = if k == 0 { String::new() } else { format!(r#" dy="{LINE}""#) };
            let _ = write!(s, r#"<tspan x="{}"{dy}>{}</tspan>"#, fmt(left), xml(line));
        }
        s.push_str("</text>");
    }

    /// The as-at line, its label ending at the line unless that would leave the chart.
    fn write_as_at(&self, s: &mut String) {
        let as_of = self.options.as_of;
        let xa = self.scale.x(as_of);
        let label = format!("As at {}", as_of.display_long());
        let left = self.across.label_left;
        let (lx, anchor) = if xa - text_width(&label, true) < left { (left, "start") } else { (xa, "end") };
        let _ = write!(
            s,
            r#"<g class="as-at"{}><line x1="{xs}" y1="{}" x2="{xs}" y2="{}" stroke="{TEXT}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{}" y="{}" text-anchor="{anchor}" fill="{TEXT}" font-weight="bold">{}</text></g>"#,
            self.hidden(),
            fmt(HEAD - 8.0),
            fmt(self.plot_bottom + 4.0),
            fmt(lx),
            fmt(HEAD - 10.0),
            xml(&label),
            xs = fmt(xa),
        );
    }

    /// Legend: items in a row, wrapping when the chart is narrow.
    fn write_legend(&self, s: &mut String) {
        let _ = write!(s, r#"<g class="legend" fill="{TEXT}"{}>"#, self.hidden());
        for &(symbol, label, x, y) in &self.legend {
            s.push_str(&legend_symbol(symbol, x, y, &self.options.id_prefix));
            let _ = write!(s, r#"<text x="{}" y="{}">{label}</text>"#, fmt(x + 36.0), fmt(y + 4.0));
        }
        s.push_str("</g>");
    }
}

/// The editions' bands across the plot, and their names above it, each on the first line
/// where it overlaps no other: (bands, names, how many lines the names take).
#[allow(clippy::type_complexity)]
fn editions(across: &Across, scale: &Scale) -> (Vec<(usize, f64, f64)>, Vec<(usize, f64, usize)>, usize) {
    let (start, end) = (scale.start, scale.end);
    let bands: Vec<(usize, f64, f64)> = EDITIONS
        .iter()
        .enumerate()
        .filter_map(|(i, ed)| {
            let (from, to) = (ed.start.max(start), ed.end.map_or(end, |e| e.next_day()).min(end));
            (from < to).then(|| (i, scale.x(from), scale.x(to)))
        })
        .collect();
    let mut placed: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut labels = Vec::new();
    for &(i, x0, x1) in &bands {
        let w = text_width(EDITIONS[i].short_name, false);
        // Centred in its band if it fits there, else starting where the band starts (and
        // ending by the chart's right edge), so each name is read from its band's start.
        let centre = if x1 - x0 >= w + 8.0 { (x0 + x1) / 2.0 } else { x0 + w / 2.0 };
        let centre = centre.min(across.plot_right - w / 2.0).max(across.plot_left + w / 2.0);
        let (left, right) = (centre - w / 2.0 - 4.0, centre + w / 2.0 + 4.0);
        let line = placed.iter().position(|spans| spans.iter().all(|&(l, r)| right <= l || left >= r));
        let line = line.unwrap_or_else(|| {
            placed.push(Vec::new());
            placed.len() - 1
        });
        placed[line].push((left, right));
        labels.push((i, centre, line));
    }
    (bands, labels, placed.len())
}

/// The rows, top to bottom from `top`, and where the last ends.
fn lay_out_rows<'a>(
    orgs: &[(&'a Organisation, Date)],
    across: &Across,
    layout: Layout,
    top: f64,
) -> (Vec<Row<'a>>, f64) {
    let mut rows = Vec::with_capacity(orgs.len());
    let mut y = top;
    for &(org, _) in orgs {
        let lines = wrap(&org.name, across.label_width * SLACK);
        let n = lines.len() as f64;
        let (height, mid) = match layout {
            Layout::Wide => {
                let height = ROW.max(n * LINE + 9.0);
                (height, y + height / 2.0)
            }
            Layout::Narrow => (n * LINE + 26.0, y + n * LINE + 15.0),
        };
        rows.push(Row { org, lines, top: y, height, mid });
        y += height;
    }
    (rows, y)
}

#[derive(Clone, Copy)]
enum Symbol {
    Entry,
    Bar,
    Exit,
    AfterExit,
    Open,
}

const LEGEND_ITEMS: [(Symbol, &str); 5] = [
    (Symbol::Entry, "Entry"),
    (Symbol::Bar, "In the programme"),
    (Symbol::Exit, "Exit"),
    (Symbol::AfterExit, "Segment 3 after exit"),
    (Symbol::Open, "Still in the programme"),
];

/// Where each legend item goes: symbol, label, and the item's left edge and middle line,
/// wrapping to a new line before the chart's right edge.
fn legend_layout(across: &Across, top: f64) -> Vec<(Symbol, &'static str, f64, f64)> {
    let left = across.label_left;
    let (mut x, mut y) = (left, top);
    let mut out = Vec::new();
    for (symbol, label) in LEGEND_ITEMS {
        let item = 36.0 + text_width(label, false) + 18.0;
        if x > left && x + item > across.width {
            x = left;
            y += LEGEND_LINE;
        }
        out.push((symbol, label, x, y));
        x += item;
    }
    out
}

/// A legend symbol 30 units wide, its left edge at `x`, centred on `y`.
fn legend_symbol(symbol: Symbol, x: f64, y: f64, p: &str) -> String {
    let (xs, ys) = (fmt(x), fmt(y));
    match symbol {
        Symbol::Entry => format!(
            r##"<circle cx="{}" cy="{ys}" r="5" fill="#fff" stroke="{PROGRAMME}" stroke-width="2.5"/>"##,
            fmt(x + 15.0)
        ),
        Symbol::Bar => format!(
            r#"<line x1="{xs}" y1="{ys}" x2="{}" y2="{ys}" stroke="{PROGRAMME}" stroke-width="{BAR}"/>"#,
            fmt(x + 30.0)
        ),
        Symbol::Exit => format!(r#"<path d="M{} {} l6 6 l-6 6 l-6 -6 z" fill="{TEXT}"/>"#, fmt(x + 15.0), fmt(y - 6.0)),
        Symbol::AfterExit => format!(
            r#"<rect x="{xs}" y="{}" width="30" height="{BAR}" fill="url(#{p}-hatch)" stroke="{AFTER_EXIT}" stroke-width="0.5"/>"#,
            fmt(y - BAR / 2.0)
        ),
        Symbol::Open => format!(
            r#"<line x1="{xs}" y1="{ys}" x2="{}" y2="{ys}" stroke="{PROGRAMME}" stroke-width="{BAR}"/>{}"#,
            fmt(x + 21.0),
            arrowhead(x + 21.0, y)
        ),
    }
}

/// The arrowhead that ends an open bar at `x`: the bar runs on past the as-at date.
fn arrowhead(x: f64, mid: f64) -> String {
    format!(r#"<path d="M{} {} l9 8 l-9 8 z" fill="{PROGRAMME}"/>"#, fmt(x), fmt(mid - 8.0))
}

/// The day after the post-exit segment-3 stretch ends: through every contiguous segment-3
/// period from the exit (histories are often split at edition boundaries), capped by the next
/// entry and the as-at date.
fn segment_3_after(org: &Organisation, episode: &RspEpisode, exited: Date, as_of: Date) -> Option<Date> {
    let mut day = exited;
    while let Some(period) = org.segments.iter().find(|p| p.covers(day) && p.segment == 3) {
        match period.to {
            Some(to) if to < as_of => day = to.next_day(),
            _ => {
                day = as_of;
                break;
            }
        }
    }
    let next_entry = org.rsp.iter().map(|e| e.entered).filter(|d| *d > episode.entered).min();
    let end = next_entry.map_or(day, |n| n.min(day)).min(as_of);
    (end > exited).then_some(end)
}

/// The row's tooltip and accessible text: the name and every episode.
fn row_title(org: &Organisation, as_of: Date) -> String {
    let mut t = org.name.clone();
    for e in org.rsp.iter().filter(|e| e.entered <= as_of) {
        let days = super::days_in_programme(e, as_of);
        match e.exited.filter(|x| *x <= as_of) {
            Some(x) => {
                let _ = write!(t, "; entered {}, exited {} ({days} days)", e.entered.display_long(), x.display_long());
            }
            None => {
                let _ = write!(t, "; entered {}, still in the programme ({days} days)", e.entered.display_long());
            }
        }
    }
    t
}

/// Advance widths of the printable ASCII characters (space to `~`) in Arial, the chart's
/// font where Frutiger is not installed, in thousandths of the font size (Arial shares them
/// with Helvetica; Liberation Sans, which the PDFs use, is metric-compatible).
const ARIAL: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0 to 9
    278, 278, 584, 584, 584, 556, 1015, // : to @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A to M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N to Z
    278, 278, 278, 469, 556, 333, // [ to `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a to m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n to z
    334, 260, 334, 584, // { to ~
];

/// The width of `text` at the chart's font size, in SVG units. Characters outside ASCII count
/// as wide as an `M`; bold text is about 10% wider than regular.
fn text_width(text: &str, bold: bool) -> f64 {
    let width = width_of(thousandths(text));
    if bold { width * 1.1 } else { width }
}

/// The advance width of `text` in thousandths of the font size: whole numbers, so the width of
/// two texts together is the sum of theirs.
fn thousandths(text: &str) -> u32 {
    text.chars().map(char_thousandths).sum()
}

fn char_thousandths(c: char) -> u32 {
    match c as u32 {
        code @ 32..=126 => u32::from(ARIAL[(code - 32) as usize]),
        _ => 833,
    }
}

/// A width in thousandths of the font size ([`thousandths`]) in SVG units.
fn width_of(thousandths: u32) -> f64 {
    f64::from(thousandths) * FONT / 1000.0
}

/// `text` in lines no wider than `width`, broken between words; a word wider than a line
/// is broken between characters. Nothing is dropped.
fn wrap(text: &str, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // The line's width so far, kept as it grows rather than measured again for every word.
    let mut line_width = 0;
    for word in text.split_whitespace() {
        let word_width = thousandths(word);
        let candidate = if line.is_empty() { word_width } else { line_width + char_thousandths(' ') + word_width };
        if width_of(candidate) <= width || line.is_empty() && width_of(word_width) <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            line_width = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_width = 0;
        }
        // The word alone: split it if even that is too wide.
        for c in word.chars() {
            let c_width = char_thousandths(c);
            if !line.is_empty() && width_of(line_width + c_width) > width {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            line.push(c);
            line_width += c_width;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Coordinates with at most one decimal, so output is compact and stable.
fn fmt(v: f64) -> Coordinate {
    Coordinate(v)
}

/// A coordinate as [`fmt`] writes it, written straight into the chart rather than made into
/// a string first: a chart of 1,000 rows writes tens of thousands of them.
struct Coordinate(f64);

impl std::fmt::Display for Coordinate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = (self.0 * 10.0).round() / 10.0;
        if v.fract() == 0.0 { write!(f, "{}", v as i64) } else { write!(f, "{v:.1}") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_with_arial_widths() {
        // "Trust" in Arial: T 611 + r 333 + u 556 + s 500 + t 278 = 2278 thousandths.
        assert!((text_width("Trust", false) - 2.278 * FONT).abs() < 1e-9);
        assert!(text_width("Trust", true) > text_width("Trust", false));
        assert_eq!(fmt(3.0).to_string(), "3");
        assert_eq!(fmt(2.345).to_string(), "2.3");
    }

    #[test]
    fn wraps_between_words_and_keeps_every_character() {
        let name = "Greywater Mental Health and Community Care NHS Foundation Trust (fictional)";
        let lines = wrap(name, 200.0);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, false) <= 200.0), "{lines:?}");
        assert_eq!(lines.join(" "), name);
        // A word wider than the line is split, not cut.
        let long = "x".repeat(100);
        let lines = wrap(&long, 60.0);
        assert!(lines.len() > 1 && lines.concat() == long, "{lines:?}");
        // Words after a split word go on from the width its last piece left.
        let mixed = format!("{long} ab cd efgh");
        let lines = wrap(&mixed, 60.0);
        assert!(lines.iter().all(|l| text_width(l, false) <= 60.0), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), mixed.replace(' ', ""));
        assert!(lines.last().is_some_and(|l| l.contains(' ')), "{lines:?}");
        assert_eq!(wrap("", 60.0), [""]);
    }
}
