//! The timeline chart of RSP entry and exit points as SVG, drawn here in Rust so it shows with
//! JavaScript off, prints, and embeds in PDFs.
//!
//! One row per organisation that ever had an episode (up to the as-at date): a solid bar from
//! entry to exit, or to the as-at line with an arrowhead while open; a circle at entry and a
//! diamond at exit; the segment-3 period after an exit as a lighter hatched bar. Framework
//! editions are bands behind the plot, years are ticks, and the as-at date is a dashed line.
//! Shapes and patterns carry every distinction that colour does. The same input always gives
//! the same bytes.

use std::fmt::Write;

use super::{census, count};
use oversight_model::{Organisation, Register, RspEpisode};
use oversight_rules::blocks::TimelineOrder;
use oversight_rules::editions::{EDITIONS, RSP_LAUNCH};
use oversight_syntax::date::Date;
use oversight_syntax::escape::xml;

#[derive(Debug, Clone)]
pub struct ChartOptions {
    pub as_of: Date,
    pub order: TimelineOrder,
    /// Total width in pixels; the height grows with the rows.
    pub width: u32,
    /// Prefix for element ids, so several charts can share one page.
    pub id_prefix: String,
}

impl ChartOptions {
    pub fn new(as_of: Date) -> ChartOptions {
        ChartOptions { as_of, order: TimelineOrder::Entry, width: 800, id_prefix: "tl".into() }
    }
}

const ROW: f64 = 22.0;
const BAR: f64 = 10.0;
const LABEL_WIDTH: f64 = 230.0;
const TOP: f64 = 58.0;
const RIGHT: f64 = 24.0;
const AXIS: f64 = 34.0;
const LEGEND: f64 = 46.0;
const LEGEND_LINE: f64 = 22.0;
/// Average width of a 12px Arial character: enough to keep labels inside their column.
const CHAR_WIDTH: f64 = 6.6;

const PROGRAMME: &str = "#005EB8";
const AFTER_EXIT: &str = "#41B6E6";
const TEXT: &str = "#212B32";
const GRID: &str = "#D8DDE0";
const BANDS: [&str; 2] = ["#F0F4F5", "#FFFFFF"];

/// Renders the chart.
pub fn render(register: &Register, options: &ChartOptions) -> String {
    let as_of = options.as_of;
    let mut orgs: Vec<(&Organisation, Date)> = register
        .organisations
        .iter()
        .filter_map(|o| o.rsp.iter().map(|e| e.entered).filter(|d| *d <= as_of).min().map(|first| (o, first)))
        .collect();
    orgs.sort_by(|(a, fa), (b, fb)| match options.order {
        TimelineOrder::Entry => (fa, &a.id).cmp(&(fb, &b.id)),
        TimelineOrder::Region => (a.region, fa, &a.id).cmp(&(b.region, fb, &b.id)),
        TimelineOrder::Type => (a.org_type, fa, &a.id).cmp(&(b.org_type, fb, &b.id)),
    });

    // The axis runs from the start of SOF 2021/22 (or an earlier entry's month) to a little
    // past the as-at date.
    let first = orgs.iter().map(|(_, d)| *d).min().unwrap_or(RSP_LAUNCH).min(RSP_LAUNCH);
    let start = Date::constant(first.year(), first.civil().month(), 1);
    // At least a year wide, even as at a date before the programme began.
    let end = as_of.plus_months(3).max(start.plus_months(12));
    let width = f64::from(options.width.max(480));
    let plot_left = LABEL_WIDTH + 12.0;
    let plot_width = width - plot_left - RIGHT;
    let span = start.days_until(end).max(1) as f64;
    let x = |d: Date| plot_left + plot_width * (start.days_until(d).clamp(0, start.days_until(end)) as f64) / span;
    let rows_height = ROW * orgs.len().max(1) as f64;
    let legend_lines = legend_layout(width, 0.0).last().map_or(1, |(.., y)| (y / LEGEND_LINE) as usize + 1);
    let height = TOP + rows_height + AXIS + LEGEND + LEGEND_LINE * (legend_lines - 1) as f64;
    let p = &options.id_prefix;

    let c = census(register, as_of);
    let title = format!("Timeline of Recovery Support Programme entry and exit points, as at {}", as_of.display_long());
    let exits = match c.exits {
        n if n == c.organisations_exited => String::new(),
        n => format!(" ({} in all)", count(n, "exit", "exits")),
    };
    let desc = format!(
        "{} organisations have been in the programme since {}. As at {}, {} are in it ({} and {}); {} have exited{exits}. Each row is an organisation: a bar runs from entry (circle) to exit (diamond); an open bar ends in an arrow at the as-at line; a lighter hatched bar shows segment 3 after exit.",
        orgs.len(),
        RSP_LAUNCH.display_long(),
        as_of.display_long(),
        c.in_programme(),
        count(c.providers, "provider", "providers"),
        count(c.icbs, "ICB", "ICBs"),
        c.organisations_exited,
    );

    let mut s = String::with_capacity(2048 + orgs.len() * 600);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{p}-title {p}-desc" font-family="Frutiger W01, Arial, sans-serif" font-size="12">"#,
        w = fmt(width),
        h = fmt(height)
    );
    let _ = write!(s, r#"<title id="{p}-title">{}</title><desc id="{p}-desc">{}</desc>"#, xml(&title), xml(&desc));
    let _ = write!(
        s,
        r#"<defs><pattern id="{p}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{AFTER_EXIT}" fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="6" stroke="{AFTER_EXIT}" stroke-width="3"/></pattern></defs>"#
    );
    let plot_bottom = TOP + rows_height;

    // Edition bands and their names.
    s.push_str(r#"<g class="editions">"#);
    for (i, ed) in EDITIONS.iter().enumerate() {
        let (from, to) = (ed.start.max(start), ed.end.map_or(end, |e| e.next_day()).min(end));
        if from >= to {
            continue;
        }
        let (x0, x1) = (x(from), x(to));
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
            fmt(x0),
            fmt(TOP - 22.0),
            fmt(x1 - x0),
            fmt(rows_height + 22.0),
            BANDS[i % 2]
        );
        if x1 - x0 >= ed.short_name.len() as f64 * CHAR_WIDTH + 8.0 {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle" fill="{TEXT}">{}</text>"#,
                fmt((x0 + x1) / 2.0),
                fmt(TOP - 8.0),
                xml(ed.short_name)
            );
        }
    }
    s.push_str("</g>");

    // Year ticks.
    s.push_str(r#"<g class="years">"#);
    for year in start.year()..=end.year() {
        let d = Date::constant(year, 1, 1);
        if d < start || d > end {
            continue;
        }
        let xx = fmt(x(d));
        let _ = write!(
            s,
            r#"<line x1="{xx}" y1="{}" x2="{xx}" y2="{}" stroke="{GRID}"/>"#,
            fmt(TOP - 22.0),
            fmt(plot_bottom + 4.0)
        );
        let _ = write!(
            s,
            r#"<text x="{xx}" y="{}" text-anchor="middle" fill="{TEXT}">{year}</text>"#,
            fmt(plot_bottom + 18.0)
        );
    }
    s.push_str("</g>");

    // One row per organisation.
    s.push_str(r#"<g class="rows">"#);
    for (i, (org, _)) in orgs.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let mid = y + ROW / 2.0;
        let label = match &org.short_name {
            Some(short) if org.name.chars().count() as f64 * CHAR_WIDTH > LABEL_WIDTH => short,
            _ => &org.name,
        };
        let _ = write!(s, r#"<g class="row"><title>{}</title>"#, xml(&row_title(org, as_of)));
        if i % 2 == 1 {
            let _ = write!(
                s,
                r##"<rect x="0" y="{}" width="{}" height="{ROW}" fill="#000" fill-opacity="0.03"/>"##,
                fmt(y),
                fmt(width)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{TEXT}">{}</text>"#,
            fmt(LABEL_WIDTH),
            fmt(mid + 4.0),
            xml(&truncate(label, LABEL_WIDTH))
        );
        for e in org.rsp.iter().filter(|e| e.entered <= as_of) {
            let exited = e.exited.filter(|x| *x <= as_of);
            let (x0, x1) = (x(e.entered), x(exited.unwrap_or(as_of)));
            if let Some(xd) = exited
                && let Some(after_end) = segment_3_after(org, e, xd, as_of)
            {
                let xa = x(after_end);
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
        s.push_str("</g>");
    }
    if orgs.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" fill="{TEXT}">No organisation has entered the programme by this date.</text>"#,
            fmt(plot_left),
            fmt(TOP + ROW / 2.0 + 4.0)
        );
    }
    s.push_str("</g>");

    // The as-at line.
    let xa = fmt(x(as_of));
    let _ = write!(
        s,
        r#"<g class="as-at"><line x1="{xa}" y1="{}" x2="{xa}" y2="{}" stroke="{TEXT}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{xa}" y="{}" text-anchor="end" fill="{TEXT}" font-weight="bold">As at {}</text></g>"#,
        fmt(TOP - 34.0),
        fmt(plot_bottom + 4.0),
        fmt(TOP - 38.0),
        xml(&as_of.display_long())
    );

    // Legend: items in a row, wrapping when the chart is narrow.
    s.push_str(&format!(r#"<g class="legend" fill="{TEXT}">"#));
    for (symbol, label, x, y) in legend_layout(width, plot_bottom + AXIS + 14.0) {
        s.push_str(&legend_symbol(symbol, x, y, p));
        let _ = write!(s, r#"<text x="{}" y="{}">{label}</text>"#, fmt(x + 36.0), fmt(y + 4.0));
    }
    s.push_str("</g>");
    s.push_str("</svg>\n");
    s
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
fn legend_layout(width: f64, top: f64) -> Vec<(Symbol, &'static str, f64, f64)> {
    let (mut x, mut y) = (12.0, top);
    let mut out = Vec::new();
    for (symbol, label) in LEGEND_ITEMS {
        let item = 36.0 + label.len() as f64 * CHAR_WIDTH + 18.0;
        if x > 12.0 && x + item > width - RIGHT {
            x = 12.0;
            y += LEGEND_LINE;
        }
        out.push((symbol, label, x, y));
        x += item;
    }
    out
}

/// A legend symbol 30 px wide, its left edge at `x`, centred on `y`.
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

/// Shortens a label to fit `width` pixels, with an ellipsis.
fn truncate(label: &str, width: f64) -> String {
    let max = (width / CHAR_WIDTH) as usize;
    if label.chars().count() <= max {
        return label.to_string();
    }
    let mut out: String = label.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Coordinates with at most one decimal, so output is compact and stable.
fn fmt(v: f64) -> String {
    let v = (v * 10.0).round() / 10.0;
    if v.fract() == 0.0 { format!("{}", v as i64) } else { format!("{v:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_and_formats() {
        assert_eq!(truncate("Short", 100.0), "Short");
        let long = truncate(&"x".repeat(100), 66.0);
        assert_eq!(long.chars().count(), 10);
        assert!(long.ends_with('…'));
        assert_eq!(fmt(3.0), "3");
        assert_eq!(fmt(2.345), "2.3");
    }
}
