//! Provenance: how a report's quote compares with the official wording ([`compare_quote`]),
//! what a report asserts that the official text does not ([`additions`]), a published text
//! as a reader should see it, with numbered paragraphs ([`reading::read`]), and the
//! passages of it that pledges cite ([`mark_citations`]).
//!
//! Pure text functions; no I/O and no knowledge of pages.

mod additions;
mod citations;
mod compare;
pub mod reading;

pub use additions::{OfficialText, additions};
pub use citations::{Citation, MarkedParagraph, mark_citations};
pub use compare::{QuoteComparison, compare_quote};
pub use reading::{Reading, ReadingBlock};
