//! Rasterising a card's SVG with resvg, with the theme's own fonts only.

use std::path::Path;
use std::sync::Arc;

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, ImageHrefResolver, fontdb};

use crate::diagnostic::Diagnostic;
use crate::files::{Project, WalkOptions};
use crate::hash::fnv1a;

use super::{HEIGHT, WIDTH};

/// The fonts a theme bundles for its cards (`themes/<theme>/fonts/*.ttf` and `*.otf`),
/// loaded from their bytes: no system font is ever consulted.
pub struct Fonts {
    db: Arc<fontdb::Database>,
    /// A hash of every font file's name and bytes, part of each card's cache key.
    fingerprint: u64,
    /// The family of the first font, which text without a known `font-family` is set in.
    default_family: String,
}

impl Fonts {
    /// No fonts at all: the theme bundles none.
    pub fn none() -> Fonts {
        Fonts {
            db: Arc::new(fontdb::Database::new()),
            fingerprint: 0,
            default_family: String::new(),
        }
    }

    /// Whether the theme bundles no usable font.
    pub fn is_empty(&self) -> bool {
        self.db.len() == 0
    }

    /// A hash of the font files.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

/// Reads the fonts of `themes/<theme>/fonts/`, in name order, with the problems met (a link
/// out of the project, an unreadable file). A folder that is absent gives no fonts.
pub fn load_fonts(root: &Path, theme: &str) -> (Fonts, Vec<Diagnostic>) {
    let Ok(project) = Project::open(root) else {
        // The templates' loading reports a site folder that cannot be opened.
        return (Fonts::none(), Vec::new());
    };
    let walk = project.walk(&format!("themes/{theme}/fonts"), WalkOptions::default());
    let mut problems = walk.problems;
    let mut db = fontdb::Database::new();
    let mut hashed = Vec::new();
    for found in walk.files {
        let lower = found.name.to_ascii_lowercase();
        if !(lower.ends_with(".ttf") || lower.ends_with(".otf")) {
            continue;
        }
        match std::fs::read(&found.path) {
            Ok(bytes) => {
                hashed.extend_from_slice(found.name.as_bytes());
                hashed.push(0);
                hashed.extend_from_slice(&bytes);
                db.load_font_data(bytes);
            }
            Err(error) => problems.push(Diagnostic::error(
                &found.relative,
                1,
                1,
                format!("cannot read the font: {error}"),
            )),
        }
    }
    let default_family = db
        .faces()
        .next()
        .and_then(|face| face.families.first())
        .map(|(family, _)| family.clone())
        .unwrap_or_default();
    let fonts = Fonts {
        db: Arc::new(db),
        fingerprint: fnv1a(hashed),
        default_family,
    };
    (fonts, problems)
}

/// Draws `svg` at 1200×630 and encodes it as PNG (tiny-skia's encoder, which writes no
/// time or other varying chunk), or says why the SVG cannot be drawn.
pub fn rasterise(svg: &str, fonts: &Fonts) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        font_family: fonts.default_family.clone(),
        fontdb: fonts.db.clone(),
        // A card draws what its template writes: images only from `data:` URLs, never a
        // file of the build machine.
        image_href_resolver: ImageHrefResolver {
            resolve_data: ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|error| error.to_string())?;
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).expect("the card's size is not zero");
    let size = tree.size();
    let transform =
        Transform::from_scale(WIDTH as f32 / size.width(), HEIGHT as f32 / size.height());
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|error| error.to_string())
}
