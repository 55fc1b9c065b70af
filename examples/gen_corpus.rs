//! Generates a synthetic site in communique's content model (and, optionally, the same
//! pledges and tags as a Hugo site) for benchmarking. See BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --pledges 10000 --out /tmp/cq-10k --hugo-out /tmp/hugo-10k
//! ```
//!
//! The output is deterministic: the same `--pledges` (and `--seed`) gives byte-identical
//! files. The communique site is self-contained: the repository's `themes/` folder is copied
//! into it, so `communique build --root DIR` works from anywhere.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Parser;

#[derive(Parser)]
#[command(about = "Write a synthetic communique site (and optionally a Hugo twin) for benchmarks")]
struct Args {
    /// Number of pledges to generate.
    #[arg(long)]
    pledges: usize,
    /// Folder for the communique site (created; must be empty or missing).
    #[arg(long)]
    out: PathBuf,
    /// Folder for the equivalent Hugo site (created; must be empty or missing).
    #[arg(long)]
    hugo_out: Option<PathBuf>,
    /// Pledges per statement.
    #[arg(long, default_value_t = 200)]
    per_statement: usize,
    /// PRNG seed.
    #[arg(long, default_value_t = 0x5eed_c0de_2025)]
    seed: u64,
    /// The themes folder to copy into the site.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/themes"))]
    themes: PathBuf,
}

/// xorshift64* — small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// `k` distinct indices below `n`.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        while out.len() < k.min(n) {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

const TOPIC_A: [&str; 8] = [
    "Maritime", "Digital", "Energy", "Space", "Health", "Food", "Water", "Cyber",
];
const TOPIC_B: [&str; 5] = [
    "Security",
    "Cooperation",
    "Infrastructure",
    "Research",
    "Trade",
];

const COUNTRIES: [(&str, &str); 60] = [
    ("Argentina", "AR"),
    ("Australia", "AU"),
    ("Austria", "AT"),
    ("Belgium", "BE"),
    ("Brazil", "BR"),
    ("Bulgaria", "BG"),
    ("Canada", "CA"),
    ("Chile", "CL"),
    ("Colombia", "CO"),
    ("Croatia", "HR"),
    ("Czechia", "CZ"),
    ("Denmark", "DK"),
    ("Egypt", "EG"),
    ("Estonia", "EE"),
    ("Ethiopia", "ET"),
    ("Finland", "FI"),
    ("France", "FR"),
    ("Germany", "DE"),
    ("Ghana", "GH"),
    ("Greece", "GR"),
    ("Hungary", "HU"),
    ("Iceland", "IS"),
    ("India", "IN"),
    ("Indonesia", "ID"),
    ("Ireland", "IE"),
    ("Israel", "IL"),
    ("Italy", "IT"),
    ("Japan", "JP"),
    ("Jordan", "JO"),
    ("Kenya", "KE"),
    ("Latvia", "LV"),
    ("Lithuania", "LT"),
    ("Luxembourg", "LU"),
    ("Malaysia", "MY"),
    ("Malta", "MT"),
    ("Mexico", "MX"),
    ("Morocco", "MA"),
    ("Netherlands", "NL"),
    ("New Zealand", "NZ"),
    ("Nigeria", "NG"),
    ("Norway", "NO"),
    ("Peru", "PE"),
    ("Philippines", "PH"),
    ("Poland", "PL"),
    ("Portugal", "PT"),
    ("Romania", "RO"),
    ("Senegal", "SN"),
    ("Singapore", "SG"),
    ("Slovakia", "SK"),
    ("Slovenia", "SI"),
    ("South Africa", "ZA"),
    ("South Korea", "KR"),
    ("Spain", "ES"),
    ("Sweden", "SE"),
    ("Switzerland", "CH"),
    ("Thailand", "TH"),
    ("Tunisia", "TN"),
    ("Turkey", "TR"),
    ("Ukraine", "UA"),
    ("Vietnam", "VN"),
];

const PROGRAM_A: [&str; 16] = [
    "Blue Horizon",
    "Green Corridor",
    "Open Skies",
    "Northern Star",
    "Silver Bridge",
    "Clean Harbor",
    "Bright Future",
    "Deep Roots",
    "Safe Passage",
    "Iron Gate",
    "Golden Wheat",
    "Clear Water",
    "Swift Current",
    "Stable Grid",
    "Quiet Coast",
    "High Plains",
];
const PROGRAM_B: [&str; 5] = ["Initiative", "Compact", "Partnership", "Fund", "Mission"];

const VERBS: [&str; 12] = [
    "strengthen",
    "expand",
    "deepen",
    "accelerate",
    "support",
    "coordinate",
    "modernize",
    "reinforce",
    "promote",
    "advance",
    "protect",
    "finance",
];
const ADJS: [&str; 10] = [
    "resilient",
    "sustainable",
    "secure",
    "transparent",
    "inclusive",
    "long-term",
    "ambitious",
    "practical",
    "joint",
    "coordinated",
];
const NOUNS: [&str; 10] = [
    "supply chains",
    "investment",
    "research networks",
    "public institutions",
    "ports",
    "training programs",
    "standards",
    "early-warning systems",
    "local partners",
    "markets",
];
const PLACES: [&str; 8] = [
    "Geneva", "Brussels", "Nairobi", "Lisbon", "Seoul", "Ottawa", "Santiago", "Oslo",
];
const WHO: [&str; 6] = [
    "The Parties",
    "Leaders",
    "Both governments",
    "The signatories",
    "Ministers",
    "The partners",
];
const STATUSES: [&str; 5] = [
    "announced",
    "in-progress",
    "fulfilled",
    "stalled",
    "abandoned",
];
const HOSTS: [&str; 6] = [
    "news.example.org",
    "reuters.example.com",
    "press.example.net",
    "gov.example.int",
    "daily.example.co",
    "wire.example.info",
];

struct Entity {
    kind: &'static str,
    slug: String,
    title: String,
    aliases: Vec<String>,
    iso: Option<&'static str>,
}

struct Pledge {
    title: String,
    slug: String,
    /// Plain sentences (no Markdown), used for quotes and source texts.
    sentences: Vec<String>,
    body: String,
    topics: Vec<usize>,
    countries: Vec<usize>,
    programs: Vec<usize>,
    status: &'static str,
    updates: Vec<(Date, Option<&'static str>, String, String)>,
    /// (source slug, quote)
    coverage: Vec<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, PartialOrd)]
struct Date(u32, u32, u32);

impl Date {
    fn plus_months(self, months: u32) -> Date {
        let m0 = self.1 - 1 + months;
        Date(self.0 + m0 / 12, m0 % 12 + 1, self.2)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }
}

fn slugify(text: &str, max_words: usize) -> String {
    let mut words = Vec::new();
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        words.push(word.to_ascii_lowercase());
        if words.len() == max_words {
            break;
        }
    }
    words.join("-")
}

/// A TOML (and YAML) basic string: JSON string syntax is valid in both for our text.
fn q(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialise")
}

fn list(slugs: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = slugs.map(|s| q(&s)).collect();
    format!("[{}]", items.join(", "))
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + 1 + word.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let target = to.join(entry.path().strip_prefix(from)?);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn ensure_empty(dir: &Path) -> Result<()> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        bail!("{} exists and is not empty", dir.display());
    }
    fs::create_dir_all(dir)?;
    Ok(())
}

fn entities() -> Vec<Entity> {
    let mut out = Vec::new();
    for b in TOPIC_B {
        for a in TOPIC_A {
            let title = format!("{a} {b}");
            out.push(Entity {
                kind: "topic",
                slug: slugify(&title, 9),
                aliases: vec![format!("{} {}", a.to_lowercase(), b.to_lowercase()) + " policy"],
                title,
                iso: None,
            });
        }
    }
    for (name, iso) in COUNTRIES {
        let alias = format!("Government of {name}");
        out.push(Entity {
            kind: "country",
            slug: slugify(name, 9),
            title: name.to_string(),
            aliases: vec![alias],
            iso: Some(iso),
        });
    }
    for b in PROGRAM_B {
        for a in PROGRAM_A {
            let title = format!("{a} {b}");
            let acronym: String = title
                .split(' ')
                .map(|w| w.chars().next().unwrap())
                .collect();
            out.push(Entity {
                kind: "program",
                slug: slugify(&title, 9),
                aliases: vec![acronym],
                title,
                iso: None,
            });
        }
    }
    out
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut rng = Rng::new(args.seed);
    let ents = entities();
    let topics: Vec<usize> = (0..ents.len())
        .filter(|&i| ents[i].kind == "topic")
        .collect();
    let countries: Vec<usize> = (0..ents.len())
        .filter(|&i| ents[i].kind == "country")
        .collect();
    let programs: Vec<usize> = (0..ents.len())
        .filter(|&i| ents[i].kind == "program")
        .collect();

    let out = &args.out;
    ensure_empty(out)?;
    write(
        &out.join("site.toml"),
        &format!(
            "title = {}\nbase_url = \"https://bench.example.org\"\ndescription = \"A synthetic site of {} pledges for benchmarks.\"\nlanguage = \"en\"\ntheme = \"default\"\nauthor = \"gen_corpus\"\n",
            q(&format!("Synthetic tracker ({} pledges)", args.pledges)),
            args.pledges
        ),
    )?;
    copy_dir(&args.themes, &out.join("themes")).context("copying themes/")?;
    write(
        &out.join("content/_index.md"),
        "+++\ntitle = \"Synthetic tracker\"\n+++\nA generated site: every pledge, who promised it, and what happened since.\n",
    )?;
    write(
        &out.join("content/pages/about.md"),
        "+++\ntitle = \"About\"\n+++\n## Method\n\nThis site was generated by `examples/gen_corpus.rs`.\n",
    )?;
    for e in &ents {
        let folder = match e.kind {
            "topic" => "topics",
            "country" => "countries",
            _ => "programs",
        };
        let mut text = format!(
            "+++\ntitle = {}\naliases = {}\nsummary = {}\n",
            q(&e.title),
            list(e.aliases.iter().cloned()),
            q(&format!(
                "{} is a synthetic {} used for benchmarks.",
                e.title, e.kind
            ))
        );
        if let Some(iso) = e.iso {
            let _ = writeln!(text, "iso = \"{iso}\"");
        }
        if e.kind == "program" {
            let _ = writeln!(text, "url = \"https://programs.example.org/{}\"", e.slug);
        }
        text.push_str("+++\n");
        if rng.chance(50) {
            let _ = writeln!(
                text,
                "A longer note on *{}*, kept short on purpose.",
                e.title
            );
        }
        write(
            &out.join("content")
                .join(folder)
                .join(format!("{}.md", e.slug)),
            &text,
        )?;
    }

    let n_statements = args.pledges.div_ceil(args.per_statement).max(1);
    let mut hugo_pages: Vec<(String, Date, Pledge)> = Vec::new();
    let mut global = 0usize;
    for s in 0..n_statements {
        let in_statement = (args.pledges - s * args.per_statement).min(args.per_statement);
        let date = Date(
            2015 + (s % 11) as u32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        );
        let place = *rng.pick(&PLACES);
        let parties = rng.distinct(countries.len(), 2);
        let (pa, pb) = (&ents[countries[parties[0]]], &ents[countries[parties[1]]]);
        let stmt_slug = format!("{}-{}-{}-{}", pa.slug, pb.slug, date.0, s);
        let stmt_title = format!("{} – {} Joint Statement of {}", pa.title, pb.title, date);
        let official = format!("official-{stmt_slug}");
        let cov_slugs = [
            format!("coverage-a-{stmt_slug}"),
            format!("coverage-b-{stmt_slug}"),
        ];
        let preamble = format!(
            "{} and {} met in {place} and agreed on the following commitments.\n\nThey will report on progress every year.",
            pa.title, pb.title
        );
        let mut official_text = format!("{stmt_title}\n\n{}\n", preamble.replace("\n\n", "\n"));
        let mut cov_texts = [
            format!(
                "{} and {} sign statement in {place}\n\n",
                pa.title, pb.title
            ),
            format!(
                "What the {} – {} statement promises\n\n",
                pa.title, pb.title
            ),
        ];

        let n_sections = 5.min(in_statement).max(1);
        let stmt_dir = out.join("content/statements").join(&stmt_slug);
        write(
            &stmt_dir.join("_index.md"),
            &format!(
                "+++\ntitle = {}\ndate = {date}\nplace = {}\nparties = {}\nsource = {}\n+++\n{preamble}\n",
                q(&stmt_title),
                q(place),
                list([pa.slug.clone(), pb.slug.clone()].into_iter()),
                q(&official)
            ),
        )?;
        for sec in 0..n_sections {
            let lo = in_statement * sec / n_sections;
            let hi = in_statement * (sec + 1) / n_sections;
            let sec_topic = &ents[topics[rng.below(topics.len())]];
            let sec_title = format!("Cooperation on {}", sec_topic.title);
            let sec_slug = format!("{}-{}", slugify(&sec_topic.title, 9), sec + 1);
            let sec_dir = stmt_dir.join(&sec_slug);
            write(
                &sec_dir.join("_index.md"),
                &format!(
                    "+++\ntitle = {}\nweight = {}\n+++\n",
                    q(&sec_title),
                    sec + 1
                ),
            )?;
            let _ = writeln!(official_text, "\n{sec_title}\n");
            let mut used_slugs: Vec<String> = Vec::new();
            for w in lo..hi {
                let pledge = make_pledge(
                    &mut rng,
                    &ents,
                    &topics,
                    &countries,
                    &programs,
                    global,
                    date,
                    [&official, &cov_slugs[0], &cov_slugs[1]],
                );
                global += 1;
                let mut slug = pledge.slug.clone();
                let mut k = 2;
                while used_slugs.contains(&slug) {
                    slug = format!("{}-{k}", pledge.slug);
                    k += 1;
                }
                used_slugs.push(slug.clone());
                // Source texts: the official text holds every sentence; coverage texts hold
                // the quoted sentences inside some reporting.
                let _ = writeln!(official_text, "{}\n", pledge.sentences.join(" "));
                for (src, quote) in &pledge.coverage {
                    for (c, cs) in cov_slugs.iter().enumerate() {
                        if src == cs {
                            let _ = write!(
                                cov_texts[c],
                                "According to the statement, “{quote}” Officials in {place} said more details would follow.\n\n"
                            );
                        }
                    }
                }
                let text = render_pledge(&pledge, &ents, w - lo + 1);
                write(&sec_dir.join(format!("{slug}.md")), &text)?;
                if args.hugo_out.is_some() {
                    hugo_pages.push((format!("{stmt_slug}-{sec_slug}-{slug}"), date, pledge));
                }
            }
        }
        let seeds = out.join("seeds");
        write(&seeds.join(format!("{official}.txt")), &official_text)?;
        write(
            &out.join("content/sources").join(format!("{official}.md")),
            &format!(
                "+++\ntitle = {}\npublisher = \"Office of the Leaders\"\ndate = {date}\nurl = \"https://gov.example.int/{stmt_slug}\"\nkind = \"official\"\nfile = \"seeds/{official}.txt\"\n+++\nThe official text of the statement.\n",
                q(&stmt_title)
            ),
        )?;
        for (c, cs) in cov_slugs.iter().enumerate() {
            write(&seeds.join(format!("{cs}.txt")), &cov_texts[c])?;
            write(
                &out.join("content/sources").join(format!("{cs}.md")),
                &format!(
                    "+++\ntitle = {}\npublisher = {}\ndate = {date}\nurl = \"https://{}/{cs}\"\nkind = \"coverage\"\nfile = \"seeds/{cs}.txt\"\n+++\nNews coverage of the statement.\n",
                    q(cov_texts[c].lines().next().unwrap_or("Coverage")),
                    q(HOSTS[c]),
                    HOSTS[c]
                ),
            )?;
        }
    }

    if let Some(hugo) = &args.hugo_out {
        write_hugo(hugo, &ents, &hugo_pages, args.pledges)?;
    }
    println!(
        "wrote {} pledges in {} statements, {} entities, {} sources into {}",
        args.pledges,
        n_statements,
        ents.len(),
        n_statements * 3,
        out.display()
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn make_pledge(
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

fn render_pledge(p: &Pledge, ents: &[Entity], weight: usize) -> String {
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

fn write_hugo(
    dir: &Path,
    ents: &[Entity],
    pages: &[(String, Date, Pledge)],
    n: usize,
) -> Result<()> {
    ensure_empty(dir)?;
    write(
        &dir.join("hugo.toml"),
        &format!(
            r#"baseURL = "https://bench.example.org/"
title = "Synthetic tracker ({n} pledges)"
languageCode = "en"
disableKinds = []

[taxonomies]
  topic = "topics"
  country = "countries"
  program = "programs"

# Comparable outputs: one Atom/RSS feed (at most 100 entries) and a sitemap, like communique.
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[services.rss]
  limit = 100

[related]
  includeNewer = true
  threshold = 1
  toLower = false
  [[related.indices]]
    name = "programs"
    weight = 3
  [[related.indices]]
    name = "countries"
    weight = 2
  [[related.indices]]
    name = "topics"
    weight = 1
"#
        ),
    )?;
    let layouts = dir.join("layouts/_default");
    write(
        &layouts.join("baseof.html"),
        r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} – {{ .Site.Title }}</title></head>
<body>
<nav><a href="{{ "/" | relURL }}">Home</a> <a href="{{ "/pledges/" | relURL }}">Pledges</a> <a href="{{ "/topics/" | relURL }}">Topics</a> <a href="{{ "/countries/" | relURL }}">Countries</a> <a href="{{ "/programs/" | relURL }}">Programs</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#,
    )?;
    write(
        &layouts.join("single.html"),
        r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
{{ range $taxonomy, $_ := .Site.Taxonomies }}{{ with $.GetTerms $taxonomy }}
<h2>{{ $taxonomy | title }}</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ end }}{{ end }}
{{ with .Site.RegularPages.Related . | first 5 }}
<h2>Related</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
</article>
{{ end }}
"#,
    )?;
    write(
        &layouts.join("list.html"),
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ end }}
"#,
    )?;
    write(
        &layouts.join("terms.html"),
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
"#,
    )?;
    write(
        &dir.join("content/_index.md"),
        "---\ntitle: \"Synthetic tracker\"\n---\nA generated site: every pledge, who promised it, and what happened since.\n",
    )?;
    write(
        &dir.join("content/pledges/_index.md"),
        "---\ntitle: \"Pledges\"\n---\n",
    )?;
    for e in ents {
        let folder = match e.kind {
            "topic" => "topics",
            "country" => "countries",
            _ => "programs",
        };
        write(
            &dir.join("content")
                .join(folder)
                .join(&e.slug)
                .join("_index.md"),
            &format!("---\ntitle: {}\n---\n", q(&e.title)),
        )?;
    }
    for (name, date, p) in pages {
        let slugs = |v: &[usize]| list(v.iter().map(|&i| ents[i].slug.clone()));
        let last = p.updates.last().map_or(*date, |u| u.0);
        write(
            &dir.join("content/pledges").join(format!("{name}.md")),
            &format!(
                "---\ntitle: {}\ndate: {last}\ntopics: {}\ncountries: {}\nprograms: {}\nstatus: {}\n---\n\n{}",
                q(&p.title),
                slugs(&p.topics),
                slugs(&p.countries),
                slugs(&p.programs),
                p.status,
                p.body
            ),
        )?;
    }
    Ok(())
}
