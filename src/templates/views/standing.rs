//! The views of a pledge's standing: its status history, corrections, and the paragraph of
//! the official text it is.

use serde::Serialize;

use super::{StatusView, ViewContext, date_strings};
use crate::model::Correction;
use crate::model::history::StatusStep;
use crate::routes::SitePaths;

/// A step of a pledge's status history: an update that set its status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusStepView {
    /// `2025-07-16`, or `2025-08` for a month.
    pub date: String,
    /// `16 July 2025` or `August 2025`.
    pub date_display: String,
    /// The status it set.
    pub status: StatusView,
    /// Whether it changed the status (false when it confirmed the one before).
    pub changed: bool,
    /// The update's anchor on the pledge page.
    pub anchor: String,
}

/// A dated public correction of a pledge.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    /// `2026-11-29`.
    pub date: String,
    /// `29 November 2026`.
    pub date_display: String,
    /// What was wrong and what was changed.
    pub summary: String,
    /// Its anchor on the pledge page, `correction-<date>-<n>`.
    pub anchor: String,
}

/// Where a pledge is in its statement's official text: the numbered paragraph of the source
/// page's reading view.
#[derive(Debug, Clone, Serialize)]
pub struct ParagraphView {
    /// Its number, from 1 across the whole text.
    pub number: usize,
    /// What the source page shows it as after `¶`: its published number in a numbered
    /// communiqué, else `number`.
    pub label: String,
    /// `/sources/<official source>/#para-<number>` (`#para-<published number>` in a
    /// numbered communiqué).
    pub url: String,
}

impl ViewContext<'_> {
    /// The paragraph of its statement's official text that a pledge is, matched by text
    /// (`provenance::Reading::paragraph_of`), if the statement has an official text with a
    /// file and one paragraph matches.
    pub fn paragraph(&self, pledge: usize) -> Option<ParagraphView> {
        let (source, number) = self.paragraph_number(pledge)?;
        let reading = self.readings[source].as_ref()?;
        Some(ParagraphView {
            number,
            label: reading.shown(number).unwrap_or_else(|| number.to_string()),
            url: format!(
                "{}#{}",
                self.url(&self.site.source_path(source)),
                reading.anchor(number)
            ),
        })
    }

    /// The official source of a pledge's statement and the number of the pledge's
    /// paragraph in it, as [`ViewContext::paragraph`] finds them: by the pledge's published
    /// `number` where the text has that number, else by its words.
    pub fn paragraph_number(&self, pledge: usize) -> Option<(usize, usize)> {
        let item = &self.site.pledges[pledge];
        let source = self.site.statements[item.statement].source.as_ref()?;
        let source = self.site.source_index(&source.value)?;
        let reading = self.readings[source].as_ref()?;
        let number = item
            .number
            .as_deref()
            .and_then(|n| reading.numbered(n))
            .or_else(|| reading.paragraph_of(&self.plain_texts[pledge]))?;
        Some((source, number))
    }

    /// A step of a pledge's status history.
    pub fn status_step(&self, pledge: usize, step: &StatusStep) -> StatusStepView {
        let (date, date_display) = date_strings(step.date);
        StatusStepView {
            date,
            date_display,
            status: step.status.into(),
            changed: step.changed,
            anchor: self.site.pledges[pledge].updates[step.update].anchor(),
        }
    }

    /// A pledge's corrections, in the order written.
    pub fn corrections(&self, pledge: usize) -> Vec<CorrectionView> {
        let corrections = &self.site.pledges[pledge].corrections;
        (0..corrections.len())
            .map(|i| {
                let (date, date_display) = date_strings(corrections[i].date);
                CorrectionView {
                    date,
                    date_display,
                    summary: corrections[i].summary.clone(),
                    anchor: Correction::anchor(corrections, i),
                }
            })
            .collect()
    }
}
