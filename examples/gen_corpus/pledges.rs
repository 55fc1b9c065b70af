//! One synthetic pledge: made from the random words, and written as a content file.

use std::fmt::Write as _;

use super::util::{Date, list, q, slugify, wrap};
use super::words::*;

pub(crate) struct Pledge {
    pub(crate) title: String,
    pub(crate) slug: String,
    /// Plain sentences (no Markdown), used for quotes and source texts.
    pub(crate) sentences: Vec<String>,
    pub(crate) body: String,
    pub(crate) topics: Vec<usize>,
    pub(crate) countries: Vec<usize>,
    pub(crate) programs: Vec<usize>,
    pub(crate) status: &'static str,
    pub(crate) updates: Vec<(Date, Option<&'static str>, String, String)>,
    /// (source slug, quote)
    pub(crate) coverage: Vec<(String, String)>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn make_pledge(
    rng: &mut Rng,
    ents: &[Entity],
    topics: &[usize],
    countries: &[usize],
    programs: &[usize],
    global: usize,
    date: Date,
    sources: [&String; 3],
) -> Pledge {
    // Listed entities: the first topic cycles so every topic is used once N >= 40.
    let mut t = vec![topics[global % topics.len()]];
    let k = rng.below(3);
    for i in rng.distinct(topics.len(), k) {
        if !t.contains(&topics[i]) {
            t.push(topics[i]);
        }
    }
    let k = rng.below(3);
    let mut c: Vec<usize> = rng
        .distinct(countries.len(), k)
        .into_iter()
        .map(|i| countries[i])
        .collect();
    if global.is_multiple_of(3) && !c.contains(&countries[(global / 3) % countries.len()]) {
        c.push(countries[(global / 3) % countries.len()]);
    }
    let k = rng.below(2);
    let mut p: Vec<usize> = rng
        .distinct(programs.len(), k)
        .into_iter()
        .map(|i| programs[i])
        .collect();
    if global.is_multiple_of(2) && !p.contains(&programs[(global / 2) % programs.len()]) {
        p.push(programs[(global / 2) % programs.len()]);
    }
    // Names used in the text: listed entities, plus sometimes one that is only mentioned.
    let name = |rng: &mut Rng, i: usize| -> String {
        let e = &ents[i];
        if !e.aliases.is_empty() && rng.chance(25) {
            e.aliases[0].clone()
        } else {
            e.title.clone()
        }
    };
    let topic_name = name(rng, t[0]);
    let program_name = match p.first() {
        Some(&i) => name(rng, i),
        None => {
            let i = programs[rng.below(programs.len())];
            name(rng, i)
        }
    };
    let country_name = match c.first() {
        Some(&i) => name(rng, i),
        None => ents[countries[rng.below(countries.len())]].title.clone(),
    };
    let verb = *rng.pick(&VERBS);
    let adj = *rng.pick(&ADJS);
    let noun = *rng.pick(&NOUNS);
    let who = *rng.pick(&WHO);
    let year = date.0 + 2 + rng.below(8) as u32;
    let mut sentences = vec![
        format!(
            "{who} will {verb} {} through the {program_name}.",
            topic_name.to_lowercase()
        ),
        format!("This includes {adj} {noun} with {country_name} by {year}."),
    ];
    let extra = rng.below(3);
    let extras = [
        format!(
            "Progress on {} will be reviewed at the annual meeting.",
            name(rng, t[t.len() - 1])
        ),
        format!(
            "They will also {} {} {noun} in partnership with regional bodies.",
            *rng.pick(&VERBS),
            *rng.pick(&ADJS)
        ),
        format!(
            "Funding of {} million euros a year is foreseen until {}.",
            10 * (1 + rng.below(50)),
            year + 1
        ),
    ];
    for s in extras.iter().take(extra) {
        sentences.push(s.clone());
    }
    // Markdown body: sometimes emphasis, sometimes a list or a second paragraph.
    let mut md: Vec<String> = sentences.clone();
    if rng.chance(30) {
        md[1] = md[1].replacen(adj, &format!("*{adj}*"), 1);
    }
    if rng.chance(10) {
        md[0] = md[0].replacen(verb, &format!("**{verb}**"), 1);
    }
    let mut body = if sentences.len() > 2 && rng.chance(30) {
        format!(
            "{}\n\n{}",
            wrap(&md[..2].join(" "), 78),
            wrap(&md[2..].join(" "), 78)
        )
    } else {
        wrap(&md.join(" "), 78)
    };
    if rng.chance(15) {
        let _ = write!(
            body,
            "\n\nThe first steps are:\n\n- a joint working group on {};\n- a shared register of {noun};\n- a report by {}.",
            ents[t[0]].title, year
        );
    }
    body.push('\n');

    let title = format!(
        "{}{} {} through the {program_name}",
        verb[..1].to_uppercase(),
        &verb[1..],
        ents[t[0]].title.to_lowercase()
    );
    let slug = slugify(&format!("{verb} {} {}", ents[t[0]].slug, noun), 6);

    let status = *rng.pick(&STATUSES);
    let mut updates = Vec::new();
    let n_updates = rng.below(4);
    let mut month = 0;
    for u in 0..n_updates {
        month += 1 + rng.below(8) as u32;
        let d = date.plus_months(month);
        let st = if u + 1 == n_updates {
            Some(status)
        } else if rng.chance(30) {
            Some("in-progress")
        } else {
            None
        };
        let host = *rng.pick(&HOSTS);
        updates.push((
            d,
            st,
            format!(
                "Officials reported on the {} in {}.",
                ents[t[0]].title,
                *rng.pick(&PLACES)
            ),
            format!("https://{host}/{}/{}/item-{}", d.0, slug, global * 4 + u),
        ));
    }
    let mut coverage = Vec::new();
    // A quote is always a plain sentence (no Markdown), so it appears verbatim in the file.
    if rng.chance(60) {
        coverage.push((sources[0].clone(), sentences[0].clone()));
    }
    let cov = rng.below(3);
    if cov > 0 {
        coverage.push((
            sources[cov].clone(),
            sentences[rng.below(sentences.len())].clone(),
        ));
    }
    Pledge {
        title,
        slug,
        sentences,
        body,
        topics: t,
        countries: c,
        programs: p,
        status,
        updates,
        coverage,
    }
}

pub(crate) fn render_pledge(p: &Pledge, ents: &[Entity], weight: usize) -> String {
    let slugs = |v: &[usize]| list(v.iter().map(|&i| ents[i].slug.clone()));
    let mut text = format!(
        "+++\ntitle = {}\nweight = {weight}\ntopics = {}\ncountries = {}\nprograms = {}\nstatus = \"{}\"\n",
        q(&p.title),
        slugs(&p.topics),
        slugs(&p.countries),
        slugs(&p.programs),
        p.status
    );
    if p.status != "announced" {
        let _ = writeln!(text, "status_reason = \"Synthetic reason for the status.\"");
    }
    for (d, st, summary, url) in &p.updates {
        let _ = write!(text, "\n[[updates]]\ndate = {d}\n");
        if let Some(st) = st {
            let _ = writeln!(text, "status = \"{st}\"");
        }
        let _ = write!(text, "summary = {}\nurl = {}\n", q(summary), q(url));
    }
    for (source, quote) in &p.coverage {
        let _ = write!(
            text,
            "\n[[coverage]]\nsource = {}\nquote = {}\n",
            q(source),
            q(quote)
        );
    }
    text.push_str("+++\n\n");
    text.push_str(&p.body);
    text
}
