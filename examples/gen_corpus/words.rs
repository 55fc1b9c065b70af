//! The words, names and random numbers the synthetic corpus is made of.

use super::util::slugify;

/// xorshift64* — small, fast, deterministic.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// `k` distinct indices below `n`.
    pub(crate) fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
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

pub(crate) const TOPIC_A: [&str; 8] = [
    "Maritime", "Digital", "Energy", "Space", "Health", "Food", "Water", "Cyber",
];
pub(crate) const TOPIC_B: [&str; 5] = [
    "Security",
    "Cooperation",
    "Infrastructure",
    "Research",
    "Trade",
];

pub(crate) const COUNTRIES: [(&str, &str); 60] = [
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

pub(crate) const PROGRAM_A: [&str; 16] = [
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
pub(crate) const PROGRAM_B: [&str; 5] = ["Initiative", "Compact", "Partnership", "Fund", "Mission"];

pub(crate) const VERBS: [&str; 12] = [
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
pub(crate) const ADJS: [&str; 10] = [
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
pub(crate) const NOUNS: [&str; 10] = [
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
pub(crate) const PLACES: [&str; 8] = [
    "Geneva", "Brussels", "Nairobi", "Lisbon", "Seoul", "Ottawa", "Santiago", "Oslo",
];
pub(crate) const WHO: [&str; 6] = [
    "The Parties",
    "Leaders",
    "Both governments",
    "The signatories",
    "Ministers",
    "The partners",
];
pub(crate) const STATUSES: [&str; 5] = [
    "announced",
    "in-progress",
    "fulfilled",
    "stalled",
    "abandoned",
];
pub(crate) const HOSTS: [&str; 6] = [
    "news.example.org",
    "reuters.example.com",
    "press.example.net",
    "gov.example.int",
    "daily.example.co",
    "wire.example.info",
];

pub(crate) struct Entity {
    pub(crate) kind: &'static str,
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) iso: Option<&'static str>,
}

pub(crate) fn entities() -> Vec<Entity> {
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
