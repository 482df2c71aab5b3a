//! `oversight rules` and `oversight explain`: the rule catalogue for people and scripts.

use std::io::Write;

use serde::Serialize;

use super::{Failure, Outcome};
use crate::cli::RulesFormat;
use oversight_rules::{CATALOGUE, Rule, find};
use oversight_syntax::diagnostics::{Code, Level};

#[derive(Serialize)]
struct RuleInfo {
    code: &'static str,
    name: &'static str,
    level: Level,
    configurable: bool,
    summary: &'static str,
    explanation: &'static str,
    source: &'static str,
}

impl From<&Rule> for RuleInfo {
    fn from(rule: &Rule) -> RuleInfo {
        let r = &rule.code;
        RuleInfo {
            code: r.code,
            name: r.name,
            level: r.level,
            configurable: r.configurable,
            summary: r.summary,
            explanation: r.explanation,
            source: r.source,
        }
    }
}

pub fn list(format: RulesFormat, out: &mut dyn Write) -> Result<Outcome, Failure> {
    match format {
        RulesFormat::Json => {
            let rules: Vec<RuleInfo> = CATALOGUE.iter().map(|r| RuleInfo::from(*r)).collect();
            serde_json::to_writer_pretty(&mut *out, &rules).map_err(std::io::Error::other)?;
            writeln!(out)?;
        }
        RulesFormat::Table => {
            let width = CATALOGUE.iter().map(|r| r.code.name.len()).max().unwrap_or(0);
            writeln!(out, "{:<6}  {:<7}  {:<width$}  WHAT IT CHECKS", "CODE", "LEVEL", "NAME")?;
            for r in CATALOGUE.iter().map(|r| &r.code) {
                writeln!(out, "{:<6}  {:<7}  {:<width$}  {}", r.code, r.level.to_string(), r.name, r.summary)?;
            }
            writeln!(
                out,
                "\n{} rules. `oversight explain CODE` explains one; re-level them with `rules:` in content/site.yaml.",
                CATALOGUE.len()
            )?;
        }
    }
    Ok(Outcome::Success)
}

pub fn explain(code: &str, out: &mut dyn Write) -> Result<Outcome, Failure> {
    let Some(rule) = find(code).map(|r| &r.code) else {
        return Err(Failure(format!("no rule `{code}`: `oversight rules` lists them all")));
    };
    writeln!(
        out,
        "{} {} ({} by default{})",
        rule.code,
        rule.name,
        rule.level,
        if rule.configurable { "" } else { ", fixed" }
    )?;
    writeln!(out, "\n{}.\n", rule.summary)?;
    writeln!(out, "{}", wrap(rule.explanation, 96))?;
    writeln!(out, "\nSource: {}", rule.source)?;
    if rule.configurable {
        writeln!(
            out,
            "\nRe-level it in content/site.yaml:\n\n    rules:\n      {}: warning   # error | warning | note | allow",
            rule.code
        )?;
    }
    Ok(Outcome::Success)
}

/// A rule's help for tools (SARIF): its explanation and where it comes from.
pub fn help_text(rule: &Code) -> String {
    format!("{}\n\nSource: {}", rule.explanation, rule.source)
}

/// Wraps text at word boundaries for the terminal.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        if line_len > 0 && line_len + 1 + word.len() > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.chars().count();
    }
    out
}
