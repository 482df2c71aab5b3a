//! Enforcement undertaking rules (`OVS3xx`): legal basis, licence conditions and dates.

use super::{Checker, Rule};
use crate::editions::NHS_TRUST_LICENCE;
use oversight_model::{LegalBasis, OrgType};
use oversight_syntax::diagnostics::Code;
use oversight_syntax::diagnostics::Level;

pub(crate) static S106_BEFORE_NHS_TRUST_LICENCE: Rule = Rule {
    code: Code {
        code: "OVS301",
        name: "s106-before-nhs-trust-licence",
        level: Level::Warning,
        summary: "Undertakings citing s106 for an NHS trust before 1 Apr 2023",
        explanation: "Section 106 of the Health and Social Care Act 2012 lets the regulator accept enforcement undertakings from a licence holder. NHS trusts have held the provider licence only since 1 Apr 2023; before that they self-certified against equivalent conditions under directions and gave 'formal undertakings' without a licence. An NHS trust's undertakings accepted earlier should say `legal_basis: directions-equivalent`. Sources: MTW licence self-certification [S58]; HSJ, BSUH undertakings [S61].",
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
        summary: "Undertakings citing FT4 after 1 Apr 2023 (it became NHS2)",
        explanation: "Provider licence condition FT4 (governance arrangements) was replaced by NHS2 in the licence that took effect on 1 Apr 2023. A breach in undertakings accepted on or after that date should cite NHS2, with the same sub-paragraph where one applies. Source: NHS England, code of governance for NHS provider trusts [S64].",
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
        summary: "Undertakings released or varied before they were accepted",
        explanation: "Undertakings are accepted first; their terms may later be varied by agreement, and they are released when the regulator issues a compliance certificate. A variation or release dated before `accepted` is a typo in one of the dates. Source: data integrity; HSCA 2012 Schedule 11 [S50][S54].",
        source: "data integrity",
        configurable: true,
    },
    check: Some(check_dates),
};

fn check_s106(cx: &mut Checker) {
    for u in &cx.register.undertakings {
        let Some(org) = cx.register.organisation(&u.organisation) else { continue };
        if org.org_type == OrgType::NhsTrust
            && u.legal_basis == LegalBasis::Hsca2012S106
            && u.accepted < NHS_TRUST_LICENCE
        {
            let d = S106_BEFORE_NHS_TRUST_LICENCE
                .at(cx.value(u.file, "legal_basis"), format!("NHS trust `{}` held no licence on {}, so these cannot be s106 undertakings", org.id, u.accepted))
                .with_help("before 1 Apr 2023 NHS trusts gave undertakings under directions: write `legal_basis: directions-equivalent`");
            cx.report(d);
        }
    }
}

fn check_ft4(cx: &mut Checker) {
    for u in &cx.register.undertakings {
        if u.accepted < NHS_TRUST_LICENCE {
            continue;
        }
        for (k, breach) in u.breaches.iter().enumerate() {
            if let Some(rest) = breach.trim().strip_prefix("FT4") {
                let d = FT4_AFTER_NHS2
                    .at(
                        cx.value(u.file, &format!("breaches[{k}]")),
                        format!(
                            "`{breach}` cited for undertakings accepted on {}, after FT4 became NHS2 (1 Apr 2023)",
                            u.accepted
                        ),
                    )
                    .with_help(format!("cite `NHS2{rest}`"));
                cx.report(d);
            }
        }
    }
}

fn check_dates(cx: &mut Checker) {
    for u in &cx.register.undertakings {
        let variations =
            u.variations.iter().enumerate().map(|(k, v)| (format!("variations[{k}].date"), "varied", v.date));
        let release = u.released.map(|r| ("released".to_string(), "released", r));
        for (path, what, date) in variations.chain(release).filter(|(_, _, date)| *date < u.accepted) {
            let d = DATES_ORDER
                .at(
                    cx.value(u.file, &path),
                    format!("{what} on {date}, before the undertakings were accepted on {}", u.accepted),
                )
                .with_label(cx.value(u.file, "accepted"), "accepted here");
            cx.report(d);
        }
    }
}
