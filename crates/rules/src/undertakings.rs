//! Enforcement undertaking rules (`OVS3xx`): legal basis, licence conditions and dates.

use super::{Checker, Rule};
use crate::editions::NHS_TRUST_LICENCE;
use oversight_model::{LegalBasis, OrgType, Regulator};
use oversight_syntax::date::Date;
use oversight_syntax::diagnostics::Code;
use oversight_syntax::diagnostics::Level;

pub(crate) static S106_BEFORE_NHS_TRUST_LICENCE: Rule = Rule {
    code: Code {
        code: "OVS301",
        name: "s106-before-nhs-trust-licence",
        level: Level::Warning,
        summary: "Undertakings citing s106 for an NHS trust before 1 April 2023",
        explanation: "Section 106 of the Health and Social Care Act 2012 lets the regulator accept enforcement undertakings from a licence holder. NHS trusts have held the provider licence only since 1 April 2023; before that they self-certified against equivalent conditions under directions and gave 'formal undertakings' without a licence. An NHS trust's undertakings accepted earlier should say `legal_basis: directions-equivalent`. Sources: MTW licence self-certification [S58]; HSJ, BSUH undertakings [S61].",
        source: "[S58][S61]",
        configurable: true,
    },
    check: Some(check_s106),
};

pub(crate) static FT4_AFTER_NHS2: Rule = Rule {
    code: Code {
        code: "OVS302",
        name: "ft4-after-nhs2",
        level: Level::Warning,
        summary: "Undertakings citing FT4 after 1 April 2023 (it became NHS2)",
        explanation: "Provider licence condition FT4 (governance arrangements) was replaced by NHS2 in the licence that took effect on 1 April 2023. A breach in undertakings accepted on or after that date should cite NHS2, with the same sub-paragraph where one applies. FT4 is found wherever it stands in the citation and in any case (`Condition FT4(5)(a)`, `ft4`). Source: NHS England, code of governance for NHS provider trusts [S64].",
        source: "[S64]",
        configurable: true,
    },
    check: Some(check_ft4),
};

pub(crate) static DATES_ORDER: Rule = Rule {
    code: Code {
        code: "OVS303",
        name: "undertaking-dates-out-of-order",
        level: Level::Error,
        summary: "Undertakings released or varied before they were accepted, or varied after their release",
        explanation: "Undertakings are accepted first; their terms may later be varied by agreement, and they are released when the regulator issues a compliance certificate. A variation or release dated before `accepted`, or a variation dated after `released` (there is nothing left to vary), is a typo in one of the dates. Source: data integrity; HSCA 2012 Schedule 11 [S50][S54].",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_dates),
};

pub(crate) static REGULATOR_FOR_DATE: Rule = Rule {
    code: Code {
        code: "OVS304",
        name: "regulator-not-in-office",
        level: Level::Error,
        summary: "Undertakings accepted by a regulator that did not hold the powers on that date",
        explanation: "The Health and Care Act 2022 abolished Monitor (which operated with the NHS Trust Development Authority as NHS Improvement) and transferred its functions to NHS England from 1 July 2022. Undertakings accepted before that day were accepted by Monitor or NHS Improvement, never NHS England; undertakings accepted from that day by NHS England, never Monitor or NHS Improvement. An `accepted` month (`2022-07`) is judged as a whole. Source: Health and Care Act 2022, sections 33 and 36 [S71].",
        source: "[S71]",
        configurable: true,
    },
    check: Some(check_regulator),
};

/// The day NHS England took over Monitor's and the NHS Trust Development Authority's
/// functions [S71].
const NHS_ENGLAND_REGULATOR: Date = Date::constant(2022, 7, 1);

fn check_regulator(cx: &mut Checker) {
    for u in &cx.register.undertakings {
        let problem = match u.regulator {
            Regulator::NhsEngland if u.accepted.surely_before(NHS_ENGLAND_REGULATOR) => Some((
                "NHS England took over Monitor's functions only on 1 July 2022",
                "before then the regulator was Monitor, working as NHS Improvement: write `regulator: nhs-improvement` (or `monitor`), or check the date",
            )),
            Regulator::Monitor | Regulator::NhsImprovement if u.accepted.earliest() >= NHS_ENGLAND_REGULATOR => Some((
                "Monitor, working as NHS Improvement, was abolished on 1 July 2022 and its functions passed to NHS England",
                "write `regulator: nhs-england`, or check the date",
            )),
            _ => None,
        };
        if let Some((why, help)) = problem {
            let d = REGULATOR_FOR_DATE
                .at(
                    cx.value(u.file, "regulator"),
                    format!("undertakings accepted on {} by {}: {why}", u.accepted, u.regulator.name()),
                )
                .with_label(cx.value(u.file, "accepted"), "accepted here")
                .with_help(help);
            cx.report(d);
        }
    }
}

fn check_s106(cx: &mut Checker) {
    for u in &cx.register.undertakings {
        let Some(org) = cx.register.organisation(&u.organisation) else { continue };
        if org.org_type == OrgType::NhsTrust
            && u.legal_basis == LegalBasis::Hsca2012S106
            && u.accepted.surely_before(NHS_TRUST_LICENCE)
        {
            let d = S106_BEFORE_NHS_TRUST_LICENCE
                .at(cx.value(u.file, "legal_basis"), format!("NHS trust `{}` held no licence on {}, so these cannot be s106 undertakings", org.id, u.accepted))
                .with_help("before 1 April 2023 NHS trusts gave undertakings under directions: write `legal_basis: directions-equivalent`");
            cx.report(d);
        }
    }
}

fn check_ft4(cx: &mut Checker) {
    for u in &cx.register.undertakings {
        if u.accepted.earliest() < NHS_TRUST_LICENCE {
            continue;
        }
        for (k, breach) in u.breaches.iter().enumerate() {
            if let Some(at) = ft4_token(breach) {
                let rest = format!("{}NHS2{}", &breach[..at], &breach[at + 3..]);
                let d = FT4_AFTER_NHS2
                    .at(
                        cx.value(u.file, &format!("breaches[{k}]")),
                        format!(
                            "`{breach}` cited for undertakings accepted on {}, after FT4 became NHS2 (1 April 2023)",
                            u.accepted
                        ),
                    )
                    .with_help(format!("cite `{}`", rest.trim()));
                cx.report(d);
            }
        }
    }
}

/// Where licence condition FT4 is cited in `breach`, as a token in any case: `FT4(5)(a)`,
/// `Condition FT4(5)(a)`, `ft4`; not `FT45` or `NHSFT4`.
fn ft4_token(breach: &str) -> Option<usize> {
    let bytes = breach.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric();
    (0..bytes.len().saturating_sub(2)).find(|&i| {
        bytes[i..i + 3].eq_ignore_ascii_case(b"FT4")
            && (i == 0 || !is_word(bytes[i - 1]))
            && bytes.get(i + 3).is_none_or(|&b| !is_word(b))
    })
}

fn check_dates(cx: &mut Checker) {
    for u in &cx.register.undertakings {
        let variations =
            u.variations.iter().enumerate().map(|(k, v)| (format!("variations[{k}].date"), "varied", v.date));
        let release = u.released.map(|r| ("released".to_string(), "released", r));
        for (path, what, date) in variations.chain(release).filter(|(_, _, date)| date.surely_before(u.accepted)) {
            let d = DATES_ORDER
                .at(
                    cx.value(u.file, &path),
                    format!("{what} on {date}, before the undertakings were accepted on {}", u.accepted),
                )
                .with_label(cx.value(u.file, "accepted"), "accepted here");
            cx.report(d);
        }
        if let Some(released) = u.released {
            for (k, v) in u.variations.iter().enumerate().filter(|(_, v)| v.date.surely_after(released)) {
                let d = DATES_ORDER
                    .at(
                        cx.value(u.file, &format!("variations[{k}].date")),
                        format!("varied on {}, after the undertakings were released on {released}", v.date),
                    )
                    .with_label(cx.value(u.file, "released"), "released here")
                    .with_help("a variation changes undertakings in force: check the variation's date or `released`");
                cx.report(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ft4_token;

    #[test]
    fn ft4_is_found_as_a_token_in_any_case() {
        for (breach, at) in
            [("FT4(5)(a)", Some(0)), ("Condition FT4(5)(a)", Some(10)), ("ft4", Some(0)), (" Ft4 ", Some(1))]
        {
            assert_eq!(ft4_token(breach), at, "{breach}");
        }
        for breach in ["FT45", "NHSFT4", "NHS2(5)(a)", "CoS3(1)(a)", "FT"] {
            assert_eq!(ft4_token(breach), None, "{breach}");
        }
    }
}
