//! A pledge's status history, derived from its dated updates: every update that sets a
//! status is a step of the history, so the page, the data and `check` read the same story
//! and a status can never claim more than its updates show.
//!
//! Pure functions of a [`Pledge`]; no I/O, no clock.

use super::{Date, Pledge, Status};

/// One step of a pledge's status history: an update that sets a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusStep {
    /// The update's date.
    pub date: Date,
    /// The status it sets.
    pub status: Status,
    /// The update's index in the pledge's updates (its anchor is that update's).
    pub update: usize,
    /// Whether it changes the status set by the step before (the first step always does).
    pub changed: bool,
}

/// Every update of `pledge` that sets a status, oldest first (the order updates are
/// written in, which `content` checks is by date).
pub fn status_history(pledge: &Pledge) -> Vec<StatusStep> {
    let mut steps: Vec<StatusStep> = Vec::new();
    for (index, update) in pledge.updates.iter().enumerate() {
        if let Some(status) = update.status {
            let changed = steps.last().is_none_or(|last| last.status != status);
            steps.push(StatusStep {
                date: update.date,
                status,
                update: index,
                changed,
            });
        }
    }
    steps
}

/// The step since which `pledge` has had its current status: the first step of the latest
/// run of steps that set the current status. `None` when no update sets it.
pub fn status_since(pledge: &Pledge) -> Option<StatusStep> {
    since_in(&status_history(pledge), pledge.status)
}

/// [`status_since`] over an already derived history.
pub fn since_in(history: &[StatusStep], current: Status) -> Option<StatusStep> {
    let last = history.iter().rposition(|step| step.status == current)?;
    let first = history[..last]
        .iter()
        .rposition(|step| step.status != current)
        .map_or(0, |before| before + 1);
    Some(history[first])
}

/// The status the latest status-setting update gives, if any update sets one.
pub fn latest_status(pledge: &Pledge) -> Option<(Date, Status)> {
    pledge
        .updates
        .iter()
        .rev()
        .find_map(|update| update.status.map(|status| (update.date, status)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, Origin, Update};

    fn pledge(status: Status, updates: &[(&str, Option<Status>)]) -> Pledge {
        Pledge {
            slug: "p".into(),
            number: None,
            title: "P".into(),
            weight: 0,
            section: 0,
            statement: 0,
            listed: Default::default(),
            parties: None,
            status,
            status_span: None,
            status_reason: None,
            reviewed: None,
            reviewed_by: None,
            corrections: Vec::new(),
            updates: updates
                .iter()
                .map(|(date, status)| Update {
                    date: Date::parse_day_or_month(date).unwrap(),
                    status: *status,
                    summary: format!("event of {date}"),
                    url: "https://example.org/".into(),
                    title: None,
                    note: None,
                })
                .collect(),
            coverage: Vec::new(),
            body: Body::default(),
            origin: Origin::default(),
        }
    }

    use Status::{Announced, Fulfilled, InProgress, Stalled};

    #[test]
    fn history_lists_status_setting_updates_oldest_first() {
        let p = pledge(
            Stalled,
            &[
                ("2025-05-01", None),
                ("2025-06", Some(InProgress)),
                ("2025-07-02", Some(InProgress)),
                ("2025-08-03", None),
                ("2025-09-04", Some(Stalled)),
            ],
        );
        let history = status_history(&p);
        let seen: Vec<(String, Status, usize, bool)> = history
            .iter()
            .map(|s| (s.date.to_string(), s.status, s.update, s.changed))
            .collect();
        assert_eq!(
            seen,
            [
                ("2025-06".to_string(), InProgress, 1, true),
                ("2025-07-02".to_string(), InProgress, 2, false),
                ("2025-09-04".to_string(), Stalled, 4, true),
            ]
        );
        assert_eq!(history[0].date.display(), "June 2025");
        assert_eq!(status_since(&p).map(|s| s.update), Some(4));
        assert_eq!(
            latest_status(&p).map(|(d, s)| (d.to_string(), s)),
            Some(("2025-09-04".to_string(), Stalled))
        );
    }

    #[test]
    fn since_is_the_start_of_the_latest_run() {
        // A run of the same status dates from its first step, not its last.
        let run = pledge(
            InProgress,
            &[
                ("2025-06", Some(InProgress)),
                ("2025-07-02", Some(InProgress)),
            ],
        );
        let since = status_since(&run).unwrap();
        assert_eq!(
            (since.date.to_string(), since.update),
            ("2025-06".into(), 0)
        );

        // A reversal and a return: only the latest run counts.
        let reversal = pledge(
            InProgress,
            &[
                ("2025-05-01", Some(InProgress)),
                ("2025-06-01", Some(Stalled)),
                ("2025-07-01", Some(InProgress)),
                ("2025-08-01", Some(InProgress)),
            ],
        );
        assert_eq!(status_since(&reversal).map(|s| s.update), Some(2));

        // A current status that disagrees with the latest update: the latest run of the
        // current status still dates it (and `check` warns).
        let contradicted = pledge(
            InProgress,
            &[
                ("2025-05-01", Some(InProgress)),
                ("2025-06-01", Some(Fulfilled)),
            ],
        );
        assert_eq!(status_since(&contradicted).map(|s| s.update), Some(0));
    }

    #[test]
    fn nothing_sets_the_status() {
        let none = pledge(Announced, &[("2025-05-01", None)]);
        assert!(status_history(&none).is_empty());
        assert_eq!(status_since(&none), None);
        assert_eq!(latest_status(&none), None);
        let unsupported = pledge(Fulfilled, &[("2025-05-01", Some(InProgress))]);
        assert_eq!(status_since(&unsupported), None);
    }
}
