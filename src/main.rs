//! The `communique` command: parse flags, call the library, print errors, set the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use communique::Problems;
use communique::cmd;
use communique::import::ImportOptions;
use communique::model::Date;
use communique::published::Format as TextFormat;
use communique::term;

/// mimalloc rather than the system allocator: a build allocates millions of small strings
/// and maps, and glibc's malloc was a fifth of the profile at 10,000 pledges.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Commits arena memory only as it is used and, for the commands that run once
/// (`purge_at_once`), hands memory back to the system as soon as it is freed: a build's peak
/// memory is then much smaller (47 against 68 MB at 1,000 pledges, 201 against 234 MB at
/// 10,000) for no measurable time. `serve` keeps mimalloc's 10 ms purge delay: purging at
/// once made the quick update wait 100-300 ms whenever a full rebuild's site was freed
/// (10-save runs at 10k: 2 of 10 saves over 100 ms with 0, none over 31 ms with 10). The
/// numbers are mimalloc's `mi_option_arena_eager_commit` and `mi_option_purge_delay` from
/// its v3 header, which libmimalloc-sys does not name (it names their neighbours, 14 and
/// 16).
fn tune_allocator(purge_at_once: bool) {
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store that mimalloc allows at any time.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        if purge_at_once {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        }
    }
}

/// Build a static site of a statement's pledges, cross-linked to what they touch.
#[derive(Parser)]
#[command(name = "communique", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output), replacing it only if the build succeeds.
    Build {
        /// The site folder (holding site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long)]
        output: Option<PathBuf>,
        /// The URL the site is deployed at, overriding site.toml's base_url
        /// (http or https, a host, at most a path: https://preview.example.org/pledges).
        #[arg(long, value_parser = parse_base_url)]
        base_url: Option<String>,
        /// The day review warnings count from, YYYY-MM-DD [default: today, in UTC].
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
    },
    /// Validate the site and report every problem, writing nothing.
    Check {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The day review warnings count from, YYYY-MM-DD [default: today, in UTC].
        #[arg(long, value_parser = parse_today)]
        today: Option<Date>,
    },
    /// Turn a published statement (YAML front matter, bold underlined headings) into content files.
    Import {
        /// The published statement.
        seed: PathBuf,
        /// The site folder to write into.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The statement's slug [default: from its title].
        #[arg(long)]
        slug: Option<String>,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
        /// The file's format [default: told from its content].
        #[arg(long, value_parser = parse_text_format)]
        format: Option<TextFormat>,
        /// The statement's title, when the text has no title line.
        #[arg(long)]
        title: Option<String>,
        /// The statement's date (YYYY-MM-DD), when the text has no date line.
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// Print the sections and pledges it would write, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Preview the site: serve it from memory, rebuild on every save, reload the browser.
    Serve {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but 127.0.0.1 exposes the preview to others.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the system's browser.
        #[arg(long)]
        open: bool,
    },
    /// Print the stylesheet for highlighted code (themes ship it as static/syntax.css).
    SyntaxCss,
}

/// A `--format` name: a usage error (exit 2) for any other.
fn parse_text_format(value: &str) -> Result<TextFormat, String> {
    TextFormat::from_name(value).ok_or_else(|| {
        let names: Vec<&str> = TextFormat::ALL.iter().map(|f| f.name()).collect();
        format!("unknown format `{value}`: use one of {}", names.join(", "))
    })
}

/// Refuses a `--base-url` that could not start every page's address: a usage error (exit 2)
/// saying what is wrong, with an example.
fn parse_base_url(value: &str) -> Result<String, String> {
    communique::url_scheme::check_base_url(value)
        .map(|()| value.to_string())
        .map_err(|why| {
            format!(
                "`{}` {why}; give the address the site is deployed at, with http:// or https://, a host and at most a path, e.g. --base-url https://preview.example.org/pledges",
                communique::url_scheme::shown(value)
            )
        })
}

/// Reads `import --date`: a calendar date, or a usage error (exit 2) with an example.
fn parse_date(value: &str) -> Result<Date, String> {
    Date::parse(value).ok_or_else(|| {
        format!(
            "`{}` is not a calendar date; write it as YYYY-MM-DD, e.g. --date 2025-04-18",
            communique::url_scheme::shown(value)
        )
    })
}

/// Reads `--today`: a calendar date, or a usage error (exit 2) with an example.
fn parse_today(value: &str) -> Result<Date, String> {
    Date::parse(value).ok_or_else(|| {
        format!(
            "`{}` is not a calendar date; write it as YYYY-MM-DD, e.g. --today 2026-05-31",
            communique::url_scheme::shown(value)
        )
    })
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tune_allocator(!matches!(cli.command, Command::Serve { .. }));
    let result = match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            today,
        } => cmd::build::run(&cmd::build::BuildArgs {
            root,
            output,
            base_url,
            today,
        })
        .map(|summary| {
            // Printed, or not if stdout is gone: the site is built either way.
            term::out(&summary);
            ExitCode::SUCCESS
        }),
        Command::Check {
            root,
            format,
            today,
        } => cmd::check::run(&root, today).map(|report| {
            match format {
                Format::Json => {
                    let json = serde_json::to_string_pretty(&report)
                        .expect("diagnostics serialise to JSON");
                    term::out_raw(&format!("{}\n", term::escape_json(&json)));
                }
                Format::Text => {
                    for diagnostic in &report.diagnostics {
                        term::err(&diagnostic.to_string());
                    }
                    term::err(&format!(
                        "{} error(s), {} warning(s)",
                        report.errors, report.warnings
                    ));
                }
            }
            if report.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }),
        Command::Import {
            seed,
            root,
            slug,
            force,
            format,
            title,
            date,
            dry_run: true,
        } => {
            let options = ImportOptions {
                root,
                slug,
                force,
                format,
                title,
                date,
            };
            cmd::import::dry_run(&seed, &options).map(|plan| {
                term::out(plan.trim_end());
                term::out("dry run: nothing was written");
                ExitCode::SUCCESS
            })
        }
        Command::Import {
            seed,
            root,
            slug,
            force,
            format,
            title,
            date,
            dry_run: false,
        } => cmd::import::run(
            &seed,
            &ImportOptions {
                root,
                slug,
                force,
                format,
                title,
                date,
            },
        )
        .map(|written| {
            for path in &written {
                term::out(&format!("wrote {}", path.display()));
            }
            term::out(&format!(
                "imported {} files; curate the headlines and suggested entities before publishing",
                written.len()
            ));
            ExitCode::SUCCESS
        }),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => communique::serve::run(&communique::serve::ServeOptions {
            root,
            bind,
            port,
            open,
        })
        .map(|()| ExitCode::SUCCESS),
        Command::SyntaxCss => {
            term::out_raw(&communique::markdown::highlight::stylesheet());
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if let Some(problems) = error.downcast_ref::<Problems>() {
                term::err(&problems.to_string());
                term::err("the build failed; the previous output was left untouched");
            } else {
                term::err(&format!("error: {error}"));
                for cause in error.chain().skip(1) {
                    term::err(&format!("caused by: {cause}"));
                }
            }
            ExitCode::from(1)
        }
    }
}
