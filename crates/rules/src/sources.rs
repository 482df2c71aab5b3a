//! The published documents the rules rest on, once: each source key that explanations cite
//! (`[S3]`) with its full reference. `oversight explain`, `oversight rules`, SARIF's rule help
//! and docs/rules.md resolve keys here; docs/sources.md is tested against this table.
//!
//! The keys are numbered as in the project's research notes (shared/domain), so some numbers
//! are missing. A detail the notes do not give is `None`, never guessed.

use oversight_syntax::diagnostics::Code;

/// One published document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    /// `S3`, as explanations cite it in brackets: `[S3]`.
    pub key: &'static str,
    pub publisher: Option<&'static str>,
    /// In quotation marks where it is the document's own title; otherwise a description.
    pub title: &'static str,
    pub date: Option<&'static str>,
    pub url: Option<&'static str>,
}

/// Every source a rule or the framework's data cites, by key number.
pub static SOURCES: &[Source] = &[
    Source {
        key: "S1",
        publisher: Some("NHS England"),
        title: "Recovery Support Programme launch notice (a banner on the page at the address given)",
        date: Some("13 Jul 2021"),
        url: Some("https://www.england.nhs.uk/2018/11/shrewsbury-telford-hospital-nhs-trust-special-measures/"),
    },
    Source {
        key: "S2",
        publisher: Some("NHS England"),
        title: "\"NHS oversight framework segmentation\"",
        date: None,
        url: Some(
            "https://www.england.nhs.uk/system-and-organisational-oversight/nhs-system-oversight-framework-segmentation/",
        ),
    },
    Source {
        key: "S3",
        publisher: Some("NHS England"),
        title: "Board paper \"Update on the Recovery Support Programme\", agenda item 4.2, reference BM/24/41(Pu)",
        date: Some("5 Dec 2024"),
        url: None,
    },
    Source {
        key: "S5",
        publisher: None,
        title: "NHS System Oversight Framework 2021/22, reference PAR693",
        date: Some("June 2021"),
        url: None,
    },
    Source {
        key: "S7",
        publisher: Some("NHS England Midlands"),
        title: "ULHT exits the RSP",
        date: Some("16 Mar 2022"),
        url: None,
    },
    Source {
        key: "S8",
        publisher: Some("HFMA"),
        title: "\"Oversight framework updated for system start\"",
        date: Some("29 Jun 2022"),
        url: None,
    },
    Source {
        key: "S14",
        publisher: Some("NHS England"),
        title: "\"Publication of the NHS Oversight Framework 2025/26\", reference PRN02028",
        date: None,
        url: None,
    },
    Source {
        key: "S15",
        publisher: None,
        title: "NHS Oversight Framework 2025/26 methodology manual, reference PRN02028_i",
        date: Some("26 Jun 2025"),
        url: None,
    },
    Source {
        key: "S19",
        publisher: Some("Carnall Farrar"),
        title: "\"Building a replicable framework for the NHS Provider Improvement Programme\"",
        date: None,
        url: None,
    },
    Source {
        key: "S23",
        publisher: Some("NHS England"),
        title: "\"NHS enforcement guidance\"",
        date: Some("2023"),
        url: None,
    },
    Source {
        key: "S25",
        publisher: Some("NHS model knowledge base"),
        title: "\"What do the SOF segments mean?\"",
        date: None,
        url: None,
    },
    Source { key: "S29", publisher: Some("CQC"), title: "\"Special measures: NHS trusts\"", date: None, url: None },
    Source {
        key: "S31",
        publisher: Some("HSJ"),
        title: "\"Four in five trusts spent over a year in special measures\"",
        date: None,
        url: None,
    },
    Source {
        key: "S32",
        publisher: Some("Lincolnshire Partnership NHS Foundation Trust"),
        title: "Annual reports 2021/22 and 2022/23, oversight framework disclosure",
        date: Some("2021/22 and 2022/23"),
        url: None,
    },
    Source {
        key: "S34",
        publisher: Some("NHS England Midlands"),
        title: "Nottingham University Hospitals to receive mandated intensive support",
        date: Some("15 Sep 2021"),
        url: None,
    },
    Source {
        key: "S36",
        publisher: Some("QEH King's Lynn"),
        title: "\"QEH formally leaves special measures\"",
        date: Some("25 Apr 2022"),
        url: None,
    },
    Source {
        key: "S39",
        publisher: Some("EDP24"),
        title: "\"NHS orders intensive support for Norfolk and Waveney health system\"",
        date: None,
        url: None,
    },
    Source {
        key: "S40",
        publisher: Some("Nottingham Post"),
        title: "Nottinghamshire Healthcare in segment 4",
        date: Some("2024"),
        url: None,
    },
    Source {
        key: "S41",
        publisher: None,
        title: "Norfolk and Waveney ICB progresses out of national support",
        date: Some("1 Mar 2024"),
        url: None,
    },
    Source {
        key: "S42",
        publisher: Some("NSFT"),
        title: "\"Region's mental health trust exits special measures\"",
        date: Some("2025"),
        url: None,
    },
    Source {
        key: "S46",
        publisher: Some("Lancashire and South Cumbria ICB"),
        title: "Four organisations enter national support",
        date: Some("6 Feb 2025"),
        url: None,
    },
    Source {
        key: "S50",
        publisher: Some("UK Parliament (legislation)"),
        title: "Health and Social Care Act 2012, Schedule 11",
        date: Some("2012"),
        url: None,
    },
    Source {
        key: "S54",
        publisher: Some("UK Parliament (legislation)"),
        title: "Health and Social Care Act 2012, Schedule 11 Part 2 (enforcement undertakings)",
        date: Some("2012"),
        url: None,
    },
    Source {
        key: "S56",
        publisher: Some("Mills & Reeve"),
        title: "\"NHS England's new enforcement guidance\"",
        date: Some("Aug 2023"),
        url: None,
    },
    Source { key: "S57", publisher: Some("NHS England"), title: "\"The NHS provider licence\"", date: None, url: None },
    Source {
        key: "S58",
        publisher: Some("Maidstone and Tunbridge Wells NHS Trust"),
        title: "Provider licence self-certification",
        date: None,
        url: None,
    },
    Source {
        key: "S61",
        publisher: Some("HSJ"),
        title: "Brighton and Sussex University Hospitals undertakings",
        date: Some("2017, revised 2019"),
        url: None,
    },
    Source {
        key: "S64",
        publisher: Some("NHS England"),
        title: "\"Code of governance for NHS provider trusts\" (the source for FT4 becoming NHS2 from 1 Apr 2023)",
        date: None,
        url: None,
    },
    Source {
        key: "S67",
        publisher: Some("Monitor"),
        title: "Enforcement undertakings, Norfolk and Suffolk NHS Foundation Trust",
        date: Some("2015"),
        url: None,
    },
    Source {
        key: "S70",
        publisher: Some("NHS England"),
        title: "\"NHS Oversight Framework 2026/27 methodology manual\"",
        date: None,
        url: Some("https://www.england.nhs.uk/long-read/nhs-oversight-framework-2026-27-methodology-manual/"),
    },
    Source {
        key: "S71",
        publisher: Some("UK Parliament"),
        title: "Health and Care Act 2022, sections 33 (abolition of Monitor and transfer of functions to NHS England) and 36 (abolition of the NHS Trust Development Authority), in force from 1 July 2022",
        date: Some("28 Apr 2022"),
        url: Some("https://www.legislation.gov.uk/ukpga/2022/31/part/1/crossheading/merger-of-nhs-bodies-etc"),
    },
    Source {
        key: "S72",
        publisher: Some("UK Parliament"),
        title: "Public Bodies (Admission to Meetings) Act 1960, section 1 (meetings open to the public; exclusion by resolution stating the reason; three clear days' public notice), applied to NHS trusts",
        date: Some("1960"),
        url: Some("https://www.legislation.gov.uk/ukpga/Eliz2/8-9/67/section/1"),
    },
    Source {
        key: "S73",
        publisher: Some("NHS England"),
        title: "Managing conflicts of interest in the NHS: guidance for staff and organisations (financial, non-financial professional, non-financial personal and indirect interests; declarations at least annually; a published register; managing a conflict at a meeting)",
        date: Some("Feb 2017"),
        url: Some("https://www.england.nhs.uk/about/board-meetings/committees/coi/"),
    },
    Source {
        key: "S74",
        publisher: Some("Cabinet Office"),
        title: "\"Government Security Classifications Policy\" (OFFICIAL, with OFFICIAL-SENSITIVE for information whose loss would harm; SECRET and TOP SECRET), replacing the Government Protective Marking Scheme (RESTRICTED, CONFIDENTIAL) in 2014",
        date: Some("Jun 2023"),
        url: Some("https://www.gov.uk/government/publications/government-security-classifications"),
    },
    Source {
        key: "S75",
        publisher: Some("Information Commissioner's Office"),
        title: "\"How to disclose information safely: removing personal data from information requests and datasets\" (hidden rows and columns, metadata, tracked changes and comments in documents released)",
        date: None,
        url: None,
    },
    Source {
        key: "S76",
        publisher: Some("NHS England"),
        title: "NHS Data Dictionary, \"NHS Number\" (ten digits, the tenth a modulus 11 check digit)",
        date: None,
        url: Some("https://www.datadictionary.nhs.uk/attributes/nhs_number.html"),
    },
    Source {
        key: "S77",
        publisher: Some("GitHub"),
        title: "GitHub Docs, \"About GitHub Pages\" (available in public repositories with GitHub Free and GitHub Free for organizations; in private ones only with paid plans)",
        date: None,
        url: Some("https://docs.github.com/en/pages/getting-started-with-github-pages/about-github-pages"),
    },
];

impl Source {
    /// The reference in one line: publisher, title, date, address (each where known).
    pub fn reference(&self) -> String {
        let mut parts: Vec<&str> = self.publisher.into_iter().collect();
        parts.push(self.title);
        parts.extend(self.date);
        let mut text = parts.join(", ");
        if let Some(url) = self.url {
            text.push_str(". ");
            text.push_str(url);
        }
        text
    }

    /// Its row in docs/sources.md's table: key, publisher, title, date, address, with a dash
    /// for what is not known.
    pub fn markdown_row(&self) -> String {
        let or_dash = |v: Option<&str>| v.unwrap_or("–").to_string();
        format!(
            "| {} | {} | {} | {} | {} |",
            self.key,
            or_dash(self.publisher),
            self.title,
            or_dash(self.date),
            or_dash(self.url)
        )
    }
}

/// The source with this key (`S3`).
pub fn find(key: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|s| s.key == key)
}

/// The keys cited in `text` as `[S<digits>]`, in order of first citation.
pub fn keys_in(text: &str) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("[S") {
        let after = &rest[at + 1..];
        let digits = after[1..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[1 + digits..].starts_with(']') {
            let key = &after[..1 + digits];
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        rest = after;
    }
    keys
}

/// The sources a rule cites, in its explanation or its source line, in order of citation.
/// (The catalogue's test makes sure every key it cites is in [`SOURCES`].)
pub fn cited_by(rule: &Code) -> Vec<&'static Source> {
    let mut keys = keys_in(rule.explanation);
    for key in keys_in(rule.source) {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.into_iter().filter_map(find).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_and_resolved() {
        assert_eq!(keys_in("Sources: RSP board paper [S3]; NUH [S34]. [S3] again; [x] [S] [Sx]"), ["S3", "S34"]);
        assert_eq!(keys_in("[S14][S15][S19]"), ["S14", "S15", "S19"]);
        assert_eq!(
            find("S3").unwrap().reference(),
            "NHS England, Board paper \"Update on the Recovery Support Programme\", agenda item 4.2, reference BM/24/41(Pu), 5 Dec 2024"
        );
        assert!(find("S2").unwrap().reference().ends_with(". https://www.england.nhs.uk/system-and-organisational-oversight/nhs-system-oversight-framework-segmentation/"));
        assert_eq!(
            find("S5").unwrap().markdown_row(),
            "| S5 | – | NHS System Oversight Framework 2021/22, reference PAR693 | June 2021 | – |"
        );
    }

    #[test]
    fn keys_are_unique_and_ordered() {
        let numbers: Vec<u32> = SOURCES.iter().map(|s| s.key[1..].parse().unwrap()).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    }
}
