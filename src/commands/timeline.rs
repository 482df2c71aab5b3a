//! `oversight timeline`: the episode table (CSV, JSON) or the chart (SVG) on standard output.

use std::io::Write;

use super::{Failure, Outcome, today};
use crate::cli::{TimelineArgs, TimelineFormat};
use oversight_analysis::{episodes, svg};
use oversight_rules::check::check_site;
use oversight_syntax::diagnostics::Format;

pub fn run(args: &TimelineArgs, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let checked = check_site(&args.site, args.as_of, today()).map_err(|e| Failure(e.to_string()))?;
    if checked.has_errors() {
        // Figures from a register that does not check would be wrong; say why instead.
        super::check::report(&checked, Format::Human, &args.site)?;
        return Ok(Outcome::ContentErrors);
    }
    let as_of = checked.as_of;
    match args.format {
        TimelineFormat::Csv => out.write_all(episodes::to_csv(&episodes::rows(&checked.register, as_of)).as_bytes())?,
        TimelineFormat::Json => {
            out.write_all(episodes::to_json(&episodes::rows(&checked.register, as_of), as_of).as_bytes())?
        }
        TimelineFormat::Svg => {
            let options = svg::ChartOptions { order: args.order, ..svg::ChartOptions::new(as_of) };
            out.write_all(svg::render(&checked.register, &options).as_bytes())?;
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
