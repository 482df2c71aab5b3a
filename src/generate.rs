//! A synthetic register for benchmarks and tests: `oversight generate`. N organisations with
//! realistic segment histories, RSP episodes with exit criteria, support packages and
//! undertakings; M narrative pages (~600 words with headings, a list, a table and a
//! cross-link); P board papers on meetings of `papers_per_meeting` papers each. Deterministic by seed, and
//! the output passes `oversight check` with no errors.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use oversight_syntax::date::Date;

#[derive(Debug, Clone)]
pub struct Spec {
    pub organisations: usize,
    pub pages: usize,
    pub papers: usize,
    /// Papers on each meeting's agenda (the last meeting takes the rest).
    pub papers_per_meeting: usize,
    pub seed: u64,
}

const AS_OF: Date = Date::constant(2026, 9, 30);
const REGIONS: [&str; 7] =
    ["east-of-england", "london", "midlands", "north-east-and-yorkshire", "north-west", "south-east", "south-west"];
const CRITERIA: [&str; 4] = [
    "longstanding-complex-issues",
    "catastrophic-safety-failure",
    "leadership-governance-failure",
    "financial-deficit",
];
const KINDS: [&str; 8] = ["governance", "finance", "workforce", "pmo", "cqc", "girft", "mssp", "making-data-count"];
const WORDS: [&str; 48] = [
    "board",
    "quality",
    "finance",
    "recovery",
    "plan",
    "oversight",
    "region",
    "trust",
    "system",
    "support",
    "review",
    "governance",
    "assurance",
    "metric",
    "quarter",
    "deficit",
    "workforce",
    "safety",
    "culture",
    "leadership",
    "improvement",
    "standard",
    "evidence",
    "progress",
    "risk",
    "target",
    "trajectory",
    "audit",
    "patient",
    "care",
    "service",
    "capacity",
    "demand",
    "elective",
    "cancer",
    "maternity",
    "urgent",
    "emergency",
    "diagnostic",
    "team",
    "director",
    "committee",
    "report",
    "action",
    "criteria",
    "exit",
    "segment",
    "programme",
];

struct Rng(fastrand::Rng);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0.usize(..n.max(1))
    }
    fn chance(&mut self, p: f64) -> bool {
        self.0.f64() < p
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
    fn sentence(&mut self, words: usize) -> String {
        let mut s: Vec<&str> = (0..words).map(|_| self.word()).collect();
        let first = s[0];
        let mut out = first[..1].to_uppercase() + &first[1..];
        s.remove(0);
        for w in s {
            out.push(' ');
            out.push_str(w);
        }
        out.push('.');
        out
    }
    fn paragraph(&mut self, sentences: usize) -> String {
        (0..sentences)
            .map(|_| {
                let n = 8 + self.below(10);
                self.sentence(n)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Writes a synthetic site into `dir` (which must not have a content/ folder yet).
pub fn generate(dir: &Path, spec: &Spec) -> std::io::Result<()> {
    let content = dir.join("content");
    for sub in ["organisations", "support", "undertakings", "pages/updates", "papers", "meetings"] {
        fs::create_dir_all(content.join(sub))?;
    }
    fs::write(
        content.join("site.yaml"),
        format!(
            "# A synthetic register (oversight generate, seed {}). Every organisation is fictional.\ntitle: Synthetic register (fictional)\npublisher: Synthetic oversight team (fictional)\nbase_url: https://example.nhs.uk/synthetic/\nas_of: {AS_OF}\n",
            spec.seed
        ),
    )?;
    let mut rng = Rng(fastrand::Rng::with_seed(spec.seed));
    // In this order: the random draws of each step follow those of the step before.
    let in_programme = organisations(&content, &mut rng, spec)?;
    support_and_undertakings(&content, &mut rng, &in_programme)?;
    pages(&content, &mut rng, spec)?;
    papers_and_meetings(&content, &mut rng, spec)
}

/// The organisations' records, and those in the programme: (number, entered, exited).
#[allow(clippy::type_complexity)]
fn organisations(content: &Path, rng: &mut Rng, spec: &Spec) -> std::io::Result<Vec<(usize, Date, Option<Date>)>> {
    let mut in_programme = Vec::new();
    for i in 0..spec.organisations {
        let (text, rsp) = organisation(rng, i);
        fs::write(content.join(format!("organisations/org-{i:05}.yaml")), text)?;
        if let Some((entered, exited)) = rsp {
            in_programme.push((i, entered, exited));
        }
    }
    Ok(in_programme)
}

/// A support package for each organisation in the programme, and undertakings for every fifth.
fn support_and_undertakings(
    content: &Path,
    rng: &mut Rng,
    in_programme: &[(usize, Date, Option<Date>)],
) -> std::io::Result<()> {
    for (n, (i, entered, exited)) in in_programme.iter().enumerate() {
        let start = entered.add_days(30);
        let end = exited.map_or(start.add_days(200), |x| x.add_days(-1).min(start.add_days(200)));
        let status = if end < AS_OF { "completed" } else { "active" };
        let end_line = if status == "completed" || exited.is_some() { format!("end: {end}\n") } else { String::new() };
        let kind = KINDS[n % KINDS.len()];
        fs::write(
            content.join(format!("support/org-{i:05}-{kind}.yaml")),
            format!(
                "organisation: org-{i:05}\nkind: {kind}\ntitle: {} support package (synthetic)\nstart: {start}\n{end_line}status: {status}\nfunding_gbp: {}\n",
                kind.replace('-', " "),
                50_000 + rng.below(400) * 1000
            ),
        )?;
        if n % 5 == 0 {
            fs::write(
                content.join(format!("undertakings/org-{i:05}.yaml")),
                format!(
                    "organisation: org-{i:05}\nregulator: nhs-england\naccepted: {}\nlegal_basis: hsca-2012-s106\nbreaches: [\"NHS2(4)(a)\"]\nsummary: Governance and financial recovery (synthetic)\nundertakings:\n  - number: \"1\"\n    text: {}\n",
                    (*entered).max(Date::constant(2023, 4, 1)).min(AS_OF),
                    rng.sentence(12)
                ),
            )?;
        }
    }
    Ok(())
}

/// `spec.pages` narrative pages, each with headings, a list and a table, linking the next.
fn pages(content: &Path, rng: &mut Rng, spec: &Spec) -> std::io::Result<()> {
    for p in 0..spec.pages {
        let org = rng.below(spec.organisations.max(1));
        let date = Date::constant(2022, 1, 1).add_days(rng.below(1700) as i64);
        let mut body = String::new();
        for section in 0..4 {
            let _ =
                write!(body, "## {} {}\n\n{}\n\n{}\n\n", rng.word(), rng.word(), rng.paragraph(5), rng.paragraph(4));
            if section == 1 {
                for _ in 0..4 {
                    let n = 6 + rng.below(6);
                    let _ = writeln!(body, "- {}", rng.sentence(n));
                }
                body.push('\n');
            }
            if section == 2 {
                body.push_str("| Measure | Value | Trend |\n|---|--:|---|\n");
                for _ in 0..4 {
                    let _ = writeln!(body, "| {} | {} | {} |", rng.word(), rng.below(1000), rng.word());
                }
                body.push('\n');
            }
        }
        if spec.pages > 1 {
            let _ = writeln!(body, "See also [an earlier update](page-{:05}.md).", (p + 1) % spec.pages);
        }
        let organisation = if spec.organisations > 0 { format!("organisation: org-{org:05}\n") } else { String::new() };
        fs::write(
            content.join(format!("pages/updates/page-{p:05}.md")),
            format!(
                "---\ntitle: Update {p} on {} (synthetic)\ndate: {date}\nsummary: {}\n{organisation}---\n{body}",
                rng.word(),
                rng.sentence(10)
            ),
        )?;
    }
    Ok(())
}

/// `spec.papers` board papers of about five printed pages, on the agendas of meetings of
/// `spec.papers_per_meeting` papers each.
fn papers_and_meetings(content: &Path, rng: &mut Rng, spec: &Spec) -> std::io::Result<()> {
    let mut agenda = Vec::new();
    for p in 0..spec.papers {
        // About five printed pages with the cover block, as a board paper usually runs.
        let mut body = String::from("## Background\n\n");
        for _ in 0..12 {
            let _ = write!(body, "{}\n\n", rng.paragraph(4));
        }
        body.push_str("```stats\n```\n\n## Changes\n\n```changes-since\n```\n\n## Discussion\n\n");
        for _ in 0..18 {
            let _ = write!(body, "{}\n\n", rng.paragraph(5));
        }
        body.push_str("## Recommendation\n\n");
        for _ in 0..2 {
            let _ = write!(body, "{}\n\n", rng.paragraph(3));
        }
        fs::write(
            content.join(format!("papers/paper-{p:04}.md")),
            format!(
                "---\ntitle: Synthetic paper {p} (fictional)\nreport_by: [\"A Director, Director of Oversight (fictional)\"]\npaper_type: for-information\norganisation_objectives: [governance]\naction_required: The Board is asked to note this paper.\nclassification: Official\n---\n{body}"
            ),
        )?;
        agenda.push(p);
    }
    for (m, papers) in agenda.chunks(spec.papers_per_meeting.max(1)).enumerate() {
        let date = Date::constant(2026, 7, 1).add_days(m as i64 * 7);
        let mut text = format!(
            "body: Synthetic Board (fictional)\ntitle: Board meeting held in public\ndate: {date}\ntime: \"10:00\"\nsession: public\nprevious_meeting: 2026-04-01\nagenda:\n  - item: \"1\"\n    title: Welcome and apologies\n"
        );
        for (k, p) in papers.iter().enumerate() {
            let _ = write!(
                text,
                "  - item: \"2.{}\"\n    paper: paper-{p:04}\n    presenter: Director of Oversight\n    purpose: To note\n",
                k + 1
            );
        }
        fs::write(content.join(format!("meetings/meeting-{m:03}.yaml")), text)?;
    }
    Ok(())
}

/// One organisation's record, and its RSP episode (entered, exited) if it has one.
fn organisation(rng: &mut Rng, i: usize) -> (String, Option<(Date, Option<Date>)>) {
    let icb = i % 10 == 9;
    let ft = !icb && i.is_multiple_of(2);
    let org_type = if icb {
        "icb"
    } else if ft {
        "foundation-trust"
    } else {
        "nhs-trust"
    };
    let region = REGIONS[i % REGIONS.len()];
    let mut text = format!(
        // Each code once, as each name: two records with one code are one organisation (OVS507).
        "name: Synthetic {} {i} (fictional)\ntype: {org_type}\nregion: {region}\nods_code: {}{i:03X}\n",
        if icb { "Integrated Care Board" } else { "Hospitals" },
        if icb { "Q" } else { "R" },
    );
    let first = if icb { Date::constant(2022, 7, 1) } else { Date::constant(2021, 7, 1) };
    let nof_2025 = Date::constant(2025, 7, 1);
    // NOF 2026/27 segments providers 1 to 4 again (its first day is a setting: docs/rules.md).
    let nof_2026 = Date::constant(2026, 7, 1);
    let mut segments = String::from("segments:\n");
    let period = |s: &mut String, segment: u32, from: Date, to: Option<Date>| {
        let _ = write!(s, "  - segment: {segment}\n    from: {from}\n");
        if let Some(to) = to {
            let _ = writeln!(s, "    to: {to}");
        }
    };
    let mut rsp = None;
    let mut episode = String::new();
    if rng.chance(0.15) {
        // Entered under SOF 2021/22 or NOF 2022/23; some exit before NOF 2025/26.
        let entered = Date::constant(2021, 8, 1).add_days(rng.below(1300) as i64);
        // An ICB's history starts when ICBs did.
        let entered = if icb { entered.max(first.add_days(31)) } else { entered };
        // Half exit; an episode that would otherwise pass three years by the as-of date exits
        // too (the programme is time-limited), on or before 30 June 2025.
        let must = entered < AS_OF.plus_months(-36).add_days(30);
        let exited = (must || rng.chance(0.5))
            .then(|| entered.add_days(300 + rng.below(600) as i64).min(nof_2025.previous_day()))
            .filter(|x| *x > entered.add_days(200));
        period(&mut segments, 3, first, Some(entered.previous_day()));
        match exited {
            Some(x) => {
                period(&mut segments, 4, entered, Some(x.previous_day()));
                period(&mut segments, 3, x, if icb { Some(nof_2025.previous_day()) } else { None });
            }
            None if icb => period(&mut segments, 4, entered, Some(nof_2025.previous_day())),
            None => {
                period(&mut segments, 4, entered, Some(nof_2025.previous_day()));
                period(&mut segments, 5, nof_2025, Some(nof_2026.previous_day()));
                period(&mut segments, 4, nof_2026, None);
            }
        }
        let criterion = CRITERIA[rng.below(CRITERIA.len())];
        let _ = write!(
            episode,
            "rsp:\n  - entered: {entered}\n    criteria: [{criterion}]\n    improvement_director: Director {i} (fictional)\n    exit_criteria:\n"
        );
        for k in 0..3 {
            let met = exited.map(|x| x.add_days(-30 * (k + 1))).or_else(|| (k == 0).then(|| entered.add_days(120)));
            let _ = write!(episode, "      - id: criterion-{k}\n        text: {}\n", rng.sentence(9));
            if let Some(met) = met.filter(|m| *m > entered && *m <= AS_OF) {
                let _ = writeln!(episode, "        met: {met}");
            }
        }
        if let Some(x) = exited {
            let _ = write!(
                episode,
                "    exited: {x}\n    exit_reason: criteria-met\n    transition_support: Transitional recovery support agreed with the region\n"
            );
        }
        rsp = Some((entered, exited));
    } else {
        let segment = 1 + rng.below(3) as u32;
        if icb {
            period(&mut segments, segment, first, Some(nof_2025.previous_day()));
        } else {
            period(&mut segments, segment, first, Some(nof_2025.previous_day()));
            period(&mut segments, segment, nof_2025, None);
        }
    }
    if ft {
        text.push_str("licence_breach: true\n");
    }
    text.push_str(&segments);
    text.push_str(&episode);
    (text, rsp)
}
