//! Checks of what the tracker claims: a pledge's own parties, who reviewed it, the
//! methodology page, sources without a link (errors and warnings found before rendering),
//! and the warnings that keep a status honest (`status_warnings`): a status its updates
//! contradict or do not support, and a review that is overdue.

use crate::diagnostic::{Diagnostic, SourceText, did_you_mean};
use crate::model::history::latest_status;
use crate::model::{Date, Pledge, Site, Status};

/// Errors and warnings about parties, reviewers, the methodology page and sources' links.
pub fn validate_tracking(site: &Site) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for pledge in &site.pledges {
        let source = SourceText::new(&pledge.origin.path, &pledge.origin.text);
        check_parties(site, pledge, &source, &mut diagnostics);
        check_reviewer(site, pledge, &source, &mut diagnostics);
    }
    check_method_page(site, &mut diagnostics);
    for source in &site.sources {
        match (&source.url, &source.no_url) {
            (Some(_), Some(_)) => diagnostics.push(
                Diagnostic::error(
                    &source.origin.path,
                    1,
                    1,
                    "source has both `url` and `no_url`",
                )
                .with_help("no_url says why a source has no link: remove one of the two"),
            ),
            (None, None) => diagnostics.push(
                Diagnostic::warning(&source.origin.path, 1, 1, "source has no `url`, and no `no_url` saying why")
                    .with_help("add url = \"https://...\" where it was published, or no_url = \"...\" telling readers why there is no link (e.g. \"obtained as a syndicated copy\")"),
            ),
            _ => {}
        }
    }
    diagnostics
}

/// A pledge's `parties` must be some of its statement's parties.
fn check_parties(
    site: &Site,
    pledge: &Pledge,
    source: &SourceText<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(parties) = &pledge.parties else {
        return;
    };
    let Some(statement) = site.statements.get(pledge.statement) else {
        return;
    };
    let allowed: Vec<&str> = statement.parties.iter().map(|p| p.value.as_str()).collect();
    let listing = allowed
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if parties.is_empty() {
        diagnostics.push(
            Diagnostic::error(&pledge.origin.path, 1, 1, "`parties` is empty: a pledge is made by at least one party")
                .with_help(format!("list who made it among {listing}, or remove the key to mean all of the statement's parties")),
        );
    }
    for party in parties {
        if allowed.contains(&party.value.as_str()) {
            continue;
        }
        let close = did_you_mean(&party.value, allowed.iter().copied())
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        diagnostics.push(
            source
                .error_at(
                    party.span.start,
                    party.span.len(),
                    format!(
                        "`{}` is not a party to the statement `{}`",
                        party.value, statement.slug
                    ),
                )
                .with_help(format!(
                    "{close}a pledge's parties are some of its statement's ({listing}); remove the key to mean all of them"
                )),
        );
    }
}

/// `reviewed_by` needs `reviewed`, and must name an editor of `site.toml`.
fn check_reviewer(
    site: &Site,
    pledge: &Pledge,
    source: &SourceText<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(by) = &pledge.reviewed_by else {
        return;
    };
    if pledge.reviewed.is_none() {
        diagnostics.push(
            source
                .error_at(by.span.start, by.span.len(), "`reviewed_by` without `reviewed`")
                .with_help("add reviewed = YYYY-MM-DD, the day the evidence was last checked, or remove reviewed_by"),
        );
    }
    if site.config.editor(&by.value).is_some() {
        return;
    }
    let editors = &site.config.editors;
    let help = if editors.is_empty() {
        format!(
            "name the editors in site.toml: [[editors]] with id = \"{}\" and name = \"...\"",
            by.value
        )
    } else {
        let close = did_you_mean(&by.value, editors.iter().map(|e| e.id.as_str()))
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        let ids: Vec<String> = editors.iter().map(|e| format!("`{}`", e.id)).collect();
        format!(
            "{close}use one of the [[editors]] ids in site.toml ({}), or add this one there",
            ids.join(", ")
        )
    };
    diagnostics.push(
        source
            .error_at(
                by.span.start,
                by.span.len(),
                format!("`{}` is not an editor named in site.toml", by.value),
            )
            .with_help(help),
    );
}

/// `[tracker] method_page` must name a free page.
fn check_method_page(site: &Site, diagnostics: &mut Vec<Diagnostic>) {
    let Some(method) = &site.config.tracker.method_page else {
        return;
    };
    let slug = method.get_ref();
    if site.pages.iter().any(|page| &page.slug == slug)
        || site.failed_to_load(&format!("pages/{slug}.md"))
    {
        return;
    }
    let span = method.span();
    let close = did_you_mean(slug, site.pages.iter().map(|p| p.slug.as_str()))
        .map(|c| format!("did you mean `{c}`? Otherwise "))
        .unwrap_or_default();
    diagnostics.push(
        SourceText::new("site.toml", &site.config.text)
            .error_at(
                span.start,
                span.end - span.start,
                format!("method_page `{slug}` is not a free page"),
            )
            .with_help(format!(
                "{close}create content/pages/{slug}.md explaining how pledges are tracked, or name an existing page"
            )),
    );
}

/// Warnings where a status is not what its updates show, or its review is overdue. `today`
/// (from the clock, or `--today`) is read only here: it never reaches the output.
pub fn status_warnings(site: &Site, today: Date) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let period = site.config.tracker.review_period_days;
    for pledge in &site.pledges {
        let source = SourceText::new(&pledge.origin.path, &pledge.origin.text);
        let at_status = |message: String| match &pledge.status_span {
            Some(span) => source.warning_at(span.start, span.len(), message),
            None => Diagnostic::warning(&pledge.origin.path, 1, 1, message),
        };
        let current = pledge.status.slug();
        match latest_status(pledge) {
            Some((date, latest)) if latest != pledge.status => diagnostics.push(
                at_status(format!(
                    "status is `{current}`, but the latest update that sets one ({date}) sets `{}`",
                    latest.slug()
                ))
                .with_help(format!(
                    "set status = \"{}\", or add a dated [[updates]] entry with status = \"{current}\" and the url of the report that supports it",
                    latest.slug()
                )),
            ),
            None if pledge.status != Status::Announced => diagnostics.push(
                at_status(format!(
                    "status is `{current}`, but no update sets a status, so nothing supports it"
                ))
                .with_help(format!(
                    "add an [[updates]] entry with status = \"{current}\", its date and the url of the report that supports it, or set status = \"announced\""
                )),
            ),
            _ => {}
        }
        let Some(period) = period else { continue };
        match &pledge.reviewed {
            Some(reviewed) => {
                let age = today.days_since_epoch() - reviewed.value.days_since_epoch();
                if age > i64::from(period) {
                    diagnostics.push(
                        source
                            .warning_at(reviewed.span.start, reviewed.span.len(), format!(
                                "pledge was last reviewed on {}, {age} days before {today}; site.toml's review_period_days is {period}",
                                reviewed.value
                            ))
                            .with_help(format!(
                                "check the evidence again, add any new [[updates]], then set reviewed = {today}"
                            )),
                    );
                }
            }
            None => diagnostics.push(
                at_status(format!(
                    "pledge has never been reviewed, and site.toml's review_period_days is {period}"
                ))
                .with_help(
                    "check the evidence, then add reviewed = YYYY-MM-DD (and reviewed_by = \"<editor id>\")",
                ),
            ),
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, Located, Origin, Statement, Update};

    /// A site of one pledge whose file is `front_matter`, with `status` and updates setting
    /// `steps`, reviewed on `reviewed`, under a `site.toml` tail of `settings`.
    fn site(
        status: Option<Status>,
        steps: &[(&str, Option<Status>)],
        reviewed: Option<&str>,
        settings: &str,
    ) -> Site {
        let config = toml::from_str(&format!(
            "title = \"t\"\nbase_url = \"https://e.org\"\n{settings}"
        ))
        .unwrap();
        let text = "+++\nstatus = \"x\"\nreviewed = 2026-01-01\n+++\n".to_string();
        let pledge = Pledge {
            slug: "p".into(),
            number: None,
            title: "P".into(),
            weight: 0,
            section: 0,
            statement: 0,
            listed: Default::default(),
            parties: None,
            status: status.unwrap_or(Status::Announced),
            status_span: status.map(|_| 13..16),
            status_reason: None,
            reviewed: reviewed.map(|d| Located {
                value: Date::parse(d).unwrap(),
                span: 28..38,
            }),
            reviewed_by: None,
            corrections: Vec::new(),
            updates: steps
                .iter()
                .map(|(date, status)| Update {
                    date: Date::parse_day_or_month(date).unwrap(),
                    status: *status,
                    summary: "s".into(),
                    url: "https://e.org/".into(),
                    title: None,
                    note: None,
                })
                .collect(),
            coverage: Vec::new(),
            body: Body::default(),
            origin: Origin {
                path: "p.md".into(),
                text,
            },
        };
        Site {
            config,
            home: Default::default(),
            statements: vec![Statement {
                slug: "s".into(),
                title: "S".into(),
                date: Date::parse("2025-04-18").unwrap(),
                place: None,
                parties: Vec::new(),
                source: None,
                body: Body::default(),
                origin: Origin::default(),
            }],
            sections: Vec::new(),
            pledges: vec![pledge],
            entities: Vec::new(),
            sources: Vec::new(),
            pages: Vec::new(),
            unparsed: Default::default(),
        }
    }

    fn warned(site: &Site, today: &str) -> Vec<String> {
        status_warnings(site, Date::parse(today).unwrap())
            .into_iter()
            .map(|d| {
                assert!(!d.is_error());
                format!("{}:{}: {}", d.line, d.col, d.message)
            })
            .collect()
    }

    use Status::{Announced, Fulfilled, InProgress, Stalled};

    #[test]
    fn a_contradicted_status_is_warned_at_its_key() {
        let contradicted = site(
            Some(Fulfilled),
            &[("2025-05-01", Some(InProgress)), ("2025-06", None)],
            None,
            "",
        );
        assert_eq!(
            warned(&contradicted, "2026-01-01"),
            [
                "2:10: status is `fulfilled`, but the latest update that sets one (2025-05-01) sets `in-progress`"
            ]
        );
        // A reversal the front matter follows is no contradiction.
        let reversed = site(
            Some(Stalled),
            &[("2025-05-01", Some(InProgress)), ("2025-08", Some(Stalled))],
            None,
            "",
        );
        assert!(warned(&reversed, "2026-01-01").is_empty());
    }

    #[test]
    fn an_unsupported_status_is_warned_but_announced_needs_no_update() {
        let unsupported = site(Some(InProgress), &[("2025-05-01", None)], None, "");
        assert_eq!(
            warned(&unsupported, "2026-01-01"),
            ["2:10: status is `in-progress`, but no update sets a status, so nothing supports it"]
        );
        assert!(warned(&site(None, &[], None, ""), "2026-01-01").is_empty());
        assert!(warned(&site(Some(Announced), &[], None, ""), "2026-01-01").is_empty());
        // Without a status key, a contradiction is placed on the first line.
        let unwritten = site(None, &[("2025-05-01", Some(Stalled))], None, "");
        assert_eq!(
            warned(&unwritten, "2026-01-01"),
            [
                "1:1: status is `announced`, but the latest update that sets one (2025-05-01) sets `stalled`"
            ]
        );
    }

    #[test]
    fn reviews_older_than_the_period_are_warned_at_reviewed() {
        let settings = "[tracker]\nreview_period_days = 365\n";
        let reviewed = site(None, &[], Some("2025-01-01"), settings);
        // 2026-01-01 is 365 days on: still within the period.
        assert!(warned(&reviewed, "2026-01-01").is_empty());
        assert_eq!(
            warned(&reviewed, "2026-01-02"),
            [
                "3:12: pledge was last reviewed on 2025-01-01, 366 days before 2026-01-02; site.toml's review_period_days is 365"
            ]
        );
        // No period, no review warning, however old.
        assert!(warned(&site(None, &[], Some("2000-01-01"), ""), "2026-01-02").is_empty());
        // A period and no review at all.
        assert_eq!(
            warned(&site(Some(Announced), &[], None, settings), "2026-01-02"),
            ["2:10: pledge has never been reviewed, and site.toml's review_period_days is 365"]
        );
    }
}
