//! Putting the parsed files together into a [`Site`]: items sorted into reading order, and
//! sections and pledges pointed at their parents by index. A child whose parent failed to
//! load is left out quietly, and counts as failed itself.

use std::collections::{BTreeMap, BTreeSet};

use super::parse::Parsed;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{
    Entity, FreePage, Home, Pledge, Section, Site, Source, Statement, failed_to_load,
};

/// Parsed files gathered before they are sorted and linked to their parents.
#[derive(Default)]
pub(super) struct Parts {
    home: Option<Home>,
    statements: Vec<Statement>,
    sections: Vec<(String, Section)>,
    pledges: Vec<(String, String, Pledge)>,
    entities: Vec<Entity>,
    sources: Vec<Source>,
    pages: Vec<FreePage>,
    pub(super) unparsed: BTreeSet<String>,
}

impl Parts {
    pub(super) fn add(&mut self, item: Parsed) {
        match item {
            Parsed::Home(home) => self.home = Some(home),
            Parsed::Statement(statement) => self.statements.push(statement),
            Parsed::Section { statement, section } => self.sections.push((statement, section)),
            Parsed::Pledge {
                statement,
                section,
                pledge,
            } => self.pledges.push((statement, section, pledge)),
            Parsed::Entity(entity) => self.entities.push(entity),
            Parsed::Source(source) => self.sources.push(source),
            Parsed::Page(page) => self.pages.push(page),
        }
    }

    /// Sorts everything into reading order and points children at their parents.
    pub(super) fn assemble(self, config: Config, diagnostics: &mut Vec<Diagnostic>) -> Site {
        let mut statements = self.statements;
        statements.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        let statement_index: BTreeMap<String, usize> = statements
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.clone(), i))
            .collect();

        // Children of a file that failed to load are left out silently, and count as failed.
        let mut dropped = Vec::new();
        let sections = attach_sections(
            self.sections,
            &statement_index,
            &self.unparsed,
            &mut dropped,
            diagnostics,
        );
        let pledges = attach_pledges(
            self.pledges,
            &statement_index,
            &sections,
            &self.unparsed,
            &mut dropped,
            diagnostics,
        );

        let mut unparsed = self.unparsed;
        for path in dropped {
            unparsed.insert(path.strip_prefix("content/").unwrap_or(&path).to_string());
        }
        let mut entities = self.entities;
        entities.sort_by(|a, b| (a.kind, &a.slug).cmp(&(b.kind, &b.slug)));
        let mut sources = self.sources;
        sources.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut pages = self.pages;
        pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));

        Site {
            config,
            home: self.home.unwrap_or_default(),
            unparsed,
            statements,
            sections,
            pledges,
            entities,
            sources,
            pages,
        }
    }
}

/// Points each section at its statement and sorts them by statement, weight and slug. A
/// section whose statement failed to load goes into `dropped`; one whose statement does not
/// exist is an error.
fn attach_sections(
    parsed: Vec<(String, Section)>,
    statement_index: &BTreeMap<String, usize>,
    unparsed: &BTreeSet<String>,
    dropped: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut sections = Vec::new();
    for (statement_slug, mut section) in parsed {
        match statement_index.get(&statement_slug) {
            Some(&statement) => {
                section.statement = statement;
                sections.push(section);
            }
            None if failed_to_load(unparsed, &format!("statements/{statement_slug}/_index.md")) => {
                dropped.push(section.origin.path.clone());
            }
            None => diagnostics.push(missing_parent(
                &section.origin.path,
                "statement",
                &format!("content/statements/{statement_slug}/_index.md"),
            )),
        }
    }
    sections
        .sort_by(|a, b| (a.statement, a.weight, &a.slug).cmp(&(b.statement, b.weight, &b.slug)));
    sections
}

/// Points each pledge at its section and statement and sorts them by section, weight and
/// slug. A pledge whose section or statement failed to load goes into `dropped`; one whose
/// section does not exist is an error.
fn attach_pledges(
    parsed: Vec<(String, String, Pledge)>,
    statement_index: &BTreeMap<String, usize>,
    sections: &[Section],
    unparsed: &BTreeSet<String>,
    dropped: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Pledge> {
    let section_index: BTreeMap<(usize, String), usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.statement, s.slug.clone()), i))
        .collect();
    let mut pledges = Vec::new();
    for (statement_slug, section_slug, mut pledge) in parsed {
        let section = statement_index
            .get(&statement_slug)
            .and_then(|&statement| section_index.get(&(statement, section_slug.clone())));
        match section {
            Some(&section) => {
                pledge.section = section;
                pledge.statement = sections[section].statement;
                pledges.push(pledge);
            }
            None if failed_to_load(
                unparsed,
                &format!("statements/{statement_slug}/{section_slug}/_index.md"),
            ) || failed_to_load(
                unparsed,
                &format!("statements/{statement_slug}/_index.md"),
            ) =>
            {
                dropped.push(pledge.origin.path.clone());
            }
            None => diagnostics.push(missing_parent(
                &pledge.origin.path,
                "section",
                &format!("content/statements/{statement_slug}/{section_slug}/_index.md"),
            )),
        }
    }
    pledges.sort_by(|a, b| (a.section, a.weight, &a.slug).cmp(&(b.section, b.weight, &b.slug)));
    pledges
}

fn missing_parent(path: &str, what: &str, expected: &str) -> Diagnostic {
    Diagnostic::error(path, 1, 1, format!("this file's {what} has no _index.md"))
        .with_help(format!("create {expected} with the {what}'s front matter"))
}
