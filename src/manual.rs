//! The manual pages: one per command (`target-events-fetch(1)`, …), built
//! from the same command definition `--help` is, with the sections clap does
//! not know (EXAMPLES, ENVIRONMENT, FILES, EXIT STATUS, SEE ALSO).

use std::io::Write;
use std::path::Path;

use clap_mangen::roff::{Roff, bold, roman};

/// One page: the words naming its command (`["profile", "add"]`) and the
/// command, built (global flags propagated, names joined with `-`).
pub struct Page {
    pub words: Vec<String>,
    pub command: clap::Command,
}

impl Page {
    /// `target-events-profile-add`.
    pub fn name(&self) -> String {
        std::iter::once("target-events".to_string()).chain(self.words.iter().cloned()).collect::<Vec<_>>().join("-")
    }

    pub fn file_name(&self) -> String {
        format!("{}.1", self.name())
    }
}

/// Every page: the program's, then each subcommand's (and theirs), `help` left out.
pub fn pages() -> Vec<Page> {
    let mut root = crate::cli::command_with(
        "${XDG_CONFIG_HOME:-~/.config}/target-events/config.toml on Linux",
        "${XDG_STATE_HOME:-~/.local/state}/target-events/target-events.log on Linux",
    )
    .disable_help_subcommand(true);
    root.build();
    let mut out = Vec::new();
    fn walk(cmd: &clap::Command, words: Vec<String>, out: &mut Vec<Page>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let mut w = words.clone();
            w.push(sub.get_name().to_string());
            walk(sub, w.clone(), out);
            out.push(Page { words: w, command: sub.clone() });
        }
    }
    walk(&root, Vec::new(), &mut out);
    out.sort_by(|a, b| a.words.cmp(&b.words));
    out.insert(0, Page { words: Vec::new(), command: root });
    out
}

/// The commands that have a page, as `man` takes them (`fetch`, `profile add`).
pub fn page_words() -> Vec<String> {
    pages().iter().skip(1).map(|p| p.words.join("-")).collect()
}

/// The page a user names: `profile add`, `profile-add` or
/// `target-events-profile-add` (empty: the program's), if there is one.
pub fn page(named: &str) -> Option<Page> {
    let words: Vec<&str> = named.split_whitespace().collect();
    let joined = words.join("-");
    let joined = joined.strip_prefix("target-events").unwrap_or(&joined).trim_start_matches('-');
    pages().into_iter().find(|p| p.words.join("-") == joined)
}

/// Renders `page` as roff.
pub fn render(page: &Page, all: &[Page], out: &mut dyn Write) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(page.command.clone())
        .title(page.name().to_uppercase())
        .source(format!("target-events {}", env!("CARGO_PKG_VERSION")))
        .manual("target-events manual");
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if page.command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if page.command.has_subcommands() {
        man.render_subcommands_section(out)?;
    }
    let mut roff = Roff::default();
    let key = page.words.join(" ");
    section(&mut roff, "EXAMPLES", examples(&key));
    section(&mut roff, "ENVIRONMENT", ENVIRONMENT);
    roff.control("SH", ["FILES"]);
    for (what, path) in files() {
        roff.control("TP", []).text([bold(path)]).text([roman(what)]);
    }
    section(&mut roff, "EXIT STATUS", exit_status(&key));
    roff.control("SH", ["SEE ALSO"]);
    let others: Vec<String> =
        all.iter().filter(|p| p.words != page.words).map(|p| format!("{}(1)", p.name())).collect();
    roff.text([roman(others.join(", "))]);
    roff.to_writer(out)
}

/// Writes every page into `dir` (created), returning the files written.
pub fn write_all(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    if dir.exists() && !dir.is_dir() {
        return Err(std::io::Error::other("it is a file, not a folder"));
    }
    std::fs::create_dir_all(dir)?;
    let all = pages();
    let mut written = Vec::new();
    for page in &all {
        let path = dir.join(page.file_name());
        let mut text = Vec::new();
        render(page, &all, &mut text)?;
        // Manual pages are for anyone on the machine to read: no secret in them.
        std::fs::write(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// A section of (tag, paragraph) items; a lone paragraph when the tag is empty.
fn section(roff: &mut Roff, title: &str, items: &[(&str, &str)]) {
    roff.control("SH", [title]);
    for (tag, text) in items {
        if tag.is_empty() {
            roff.control("PP", []).text([roman(*text)]);
        } else {
            roff.control("TP", []).text([bold(*tag)]).text([roman(*text)]);
        }
    }
}

fn examples(command: &str) -> &'static [(&'static str, &'static str)] {
    match command {
        "" => &[
            ("target-events", "Open the explorer (on the embedded demo API when nothing is configured)."),
            ("target-events --profile eu-prod --user-id 1001 --rule-id 42", "Open it on a customer's rule, fetched."),
            (
                "target-events 'https://eu.api.capillarytech.com/v3/users/1001/trackedTargetEvents/42'",
                "Open a URL pasted from a ticket.",
            ),
        ],
        "fetch" => &[
            (
                "target-events fetch --customer '98000 00007' --rule-id 42",
                "One page of a customer's events, found by the number as spoken.",
            ),
            (
                "target-events fetch --user-id 1001 --rule-id 42 --all --format csv -o events.csv",
                "Every event, to a CSV file.",
            ),
            ("target-events fetch --user-id 1001 --rule-id 42 --watch", "New events as JSON lines as they arrive."),
        ],
        "explain" => &[
            ("target-events explain --customer mobile:919800000007", "Every target's verdict, with the evidence."),
            (
                "target-events explain --user-id 1001 --rule-id 42 --period-id 7601 --format markdown -o note.md",
                "A case note for an escalation.",
            ),
            ("target-events explain --user-id 1001 --format reply", "Plain sentences to send the customer."),
        ],
        "batch" => &[
            (
                "target-events batch --customers callers.txt --verdict",
                "Many customers' progress, with why each missed.",
            ),
            (
                "target-events batch --customers callers.txt --verdict --format markdown -o report.md",
                "The same, as Markdown for a report.",
            ),
        ],
        "doctor" => &[
            ("target-events doctor", "Check the default profile, one line per check."),
            ("target-events --profile eu-prod doctor --format json", "The same for scripts."),
        ],
        "profile" | "profile add" => &[
            (
                "target-events profile add eu-prod",
                "Answer questions; the credentials are checked before the profile is written.",
            ),
            ("target-events profile list", "The profiles, their origins and where each secret comes from."),
        ],
        "profile list" => &[("target-events profile list", "The profiles, the default marked with *.")],
        "completions" => &[
            ("source <(target-events completions bash)", "Bash, for this shell (put it in ~/.bashrc to keep it)."),
            ("target-events completions zsh > ~/.zfunc/_target-events", "Zsh, with ~/.zfunc on fpath."),
            ("target-events completions fish > ~/.config/fish/completions/target-events.fish", "Fish."),
        ],
        "man" => &[
            ("target-events man fetch | man -l -", "Read a command's page."),
            ("target-events man --dir ~/.local/share/man/man1", "Install every page where man finds them."),
        ],
        "clear-recent" => &[("target-events clear-recent", "Forget the recent queries.")],
        "demo-server" => {
            &[("target-events demo-server --port 8089", "Serve the demo API on 127.0.0.1:8089, to be tried with curl.")]
        }
        _ => &[],
    }
}

const ENVIRONMENT: &[(&str, &str)] = &[
    ("CAP_PROFILE", "The profile to use, as --profile."),
    ("CAP_BASE_URL, CAP_CLUSTER", "The API host, as --base-url and --cluster."),
    ("CAP_USERNAME, CAP_PASSWORD", "Basic authentication (the password is sent as its MD5, as the API asks)."),
    ("CAP_PASSWORD_IS_MD5", "1 when CAP_PASSWORD is already the MD5 hex of the password."),
    ("CAP_OAUTH_KEY, CAP_OAUTH_SECRET", "OAuth authentication."),
    ("CAP_OFFSET_MODE", "page or record: how the server reads offset."),
    ("CAP_DEFAULT_COUNTRY_CODE", "Completes a national mobile number typed for a customer (91)."),
    ("NO_COLOR", "Any value: no colours; meaning carried by bold, reverse and words."),
    ("XDG_CONFIG_HOME, XDG_STATE_HOME", "Where the config file and the state (recent queries, log) live on Linux."),
];

/// The files, where they are on Linux and macOS: a page is read on other
/// machines and by other users than the one who wrote it, so no path of
/// this one (`--help` prints this system's).
fn files() -> Vec<(&'static str, String)> {
    vec![
        (
            "The profiles, [keys] and [theme] (TOML; private to the user when it holds a secret). On macOS: \
             ~/Library/Application Support/com.capillary.target-events/config.toml.",
            "${XDG_CONFIG_HOME:-~/.config}/target-events/config.toml".to_string(),
        ),
        (
            "The log (no secrets, no API strings unescaped). On macOS: \
             ~/Library/Caches/com.capillary.target-events/target-events.log.",
            "${XDG_STATE_HOME:-~/.local/state}/target-events/target-events.log".to_string(),
        ),
        (
            "The recent queries. On macOS: ~/Library/Application Support/com.capillary.target-events/recent.json.",
            "${XDG_STATE_HOME:-~/.local/state}/target-events/recent.json".to_string(),
        ),
    ]
}

fn exit_status(command: &str) -> &'static [(&'static str, &'static str)] {
    match command {
        "doctor" => {
            &[("0", "Every check passed (warnings allowed)."), ("1", "A check failed."), ("2", "Invalid input.")]
        }
        "fetch" | "explain" | "batch" => &[
            ("0", "Done: everything asked for was answered."),
            ("1", "A request failed (the message names the HTTP status, API code and request id)."),
            ("2", "Invalid input, or nothing could be sent (no profile owns the URL's origin)."),
            ("130, 143", "Interrupted by SIGINT or SIGTERM; what was answered is kept and marked incomplete."),
        ],
        "profile add" | "profile" => &[
            ("0", "The profile was written and its check passed."),
            ("1", "Written, but a check failed; or the file could not be written."),
            ("2", "Invalid input: nothing was written."),
        ],
        "" => &[
            ("0", "Quit normally."),
            ("1", "The terminal could not be used, or a setup error."),
            ("2", "Invalid input (flags, URL, config)."),
            ("101", "An internal error: the terminal is restored and the log's path printed."),
        ],
        _ => &[("0", "Done."), ("1", "It failed (the message says why)."), ("2", "Invalid input.")],
    }
}
