//! Command-line interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Flags;
use crate::core::export::Format;

#[derive(Debug, Parser)]
#[command(
    name = "target-events",
    subcommand_negates_reqs = true,
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("TARGET_EVENTS_COMMIT"), ")"),
    about = "Explore the events that count toward a Capillary customer's target (milestone or streak).",
    long_about = "Explore the events that count toward a Capillary customer's target (milestone or streak).\n\n\
        With no credentials configured it opens on an embedded demo API.\n\
        Set up a tenant with `target-events profile add NAME`, check it with `target-events doctor`.\n\
        Credentials come from the profile (a password manager's command, the keychain or the file), \
        CAP_USERNAME/CAP_PASSWORD or CAP_OAUTH_KEY/CAP_OAUTH_SECRET, or a prompt; never from a flag."
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// A target-events URL or a whole cURL line (quoted): its host, customer,
    /// rule, period and page are filled in and fetched.
    #[arg(value_name = "URL")]
    pub url: Option<String>,

    /// Prefill the customer id and fetch at start.
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub user_id: Option<i64>,
    /// Prefill the target rule id.
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub rule_id: Option<i64>,
    /// Prefill the period id.
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub period_id: Option<i64>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The heading the flags every command takes are listed under.
const GLOBAL: &str = "Global options";

/// The flags every command takes, shown apart from each command's own.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Profile in the config file (or CAP_PROFILE).
    #[arg(long, global = true, help_heading = GLOBAL, add = clap_complete::ArgValueCandidates::new(crate::completions::profile_names))]
    pub profile: Option<String>,
    /// API base URL, e.g. https://eu.api.capillarytech.com (or CAP_BASE_URL).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "URL")]
    pub base_url: Option<String>,
    /// Cluster name: eu, apac, apac2, us, ushc, sea (or CAP_CLUSTER).
    #[arg(long, global = true, help_heading = GLOBAL, add = clap_complete::ArgValueCandidates::new(crate::completions::cluster_names))]
    pub cluster: Option<String>,
    /// Till username for Basic auth (or CAP_USERNAME); the password comes from
    /// CAP_PASSWORD, the profile, or a prompt.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub username: Option<String>,
    /// Use the embedded demo API even when credentials are configured.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub demo: bool,
    /// Allow sending credentials over plain http to a non-loopback host.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub allow_insecure_http: bool,
    /// Config file (the default's place is stated by `cli::command`).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log file (the default's place is stated by `cli::command`).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
}

/// The command as `--help`, the manual pages and the completions show it:
/// the defaults that depend on the system (the config and log files' places)
/// stated as their value here.
pub fn command() -> clap::Command {
    let config = crate::config::default_config_path()
        .map_or_else(|| "none: this system has no config directory".to_string(), |p| p.display().to_string());
    let log = crate::logging::default_log_path().display().to_string();
    command_with(&config, &log)
}

/// The command with the config and log files' defaults stated as given
/// (the manual pages state them for any machine, not this one).
pub fn command_with(config: &str, log: &str) -> clap::Command {
    use clap::CommandFactory;
    Cli::command()
        .mut_arg("config", |a| a.help(format!("Config file [default: {config}]")))
        .mut_arg("log_file", |a| a.help(format!("Log file [default: {log}]")))
}

impl ConnectionArgs {
    pub fn flags(&self) -> Flags {
        Flags {
            profile: self.profile.clone(),
            base_url: self.base_url.clone(),
            cluster: self.cluster.clone(),
            username: self.username.clone(),
            demo: self.demo,
            allow_insecure_http: self.allow_insecure_http,
            config: self.config.clone(),
            url_base: None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch one page of events and print it (no TUI).
    Fetch(FetchArgs),
    /// Why a customer's target was or was not reached: the verdict per period,
    /// with the evidence (no TUI).
    Explain(ExplainArgs),
    /// Many customers' progress in one table: each line of FILE is a customer
    /// (an id, mobile:…, email:…, external:…, card:…; # comments skipped).
    Batch(BatchArgs),
    /// Check a setup: the config file, the origin, DNS, TCP, TLS, the clock,
    /// authentication, customer lookup and the rate limit, one line each with
    /// the fix for what fails. Exit 0 all good, 1 a check failed, 2 invalid input.
    Doctor(DoctorArgs),
    /// Add a profile to the config file (asking for what it needs), or list them.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    /// It completes subcommands, flags, the values of --format and the
    /// others, and the profile names of the config file.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): `target-events man fetch | man -l -`; with
    /// --dir, write every page (target-events.1, target-events-fetch.1, …) there.
    Man {
        /// The command whose page to print, e.g. fetch or profile add [default: the program's].
        #[arg(value_name = "COMMAND", conflicts_with = "dir", add = clap_complete::ArgValueCandidates::new(crate::completions::page_names))]
        command: Vec<String>,
        /// Write every page into this folder (created), e.g. ~/.local/share/man/man1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Forget the recent queries.
    ClearRecent,
    /// Run the demo API on its own, so it can be explored with curl.
    DemoServer {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8089)]
        port: u16,
    },
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The customers, one a line.
    #[arg(long, value_name = "FILE")]
    pub customers: PathBuf,
    /// Only this rule's targets.
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub rule_id: Option<i64>,
    /// Each period's verdict too: reached or not, how much short, returns,
    /// and events counted elsewhere that would have reached it (reads every
    /// event of each rule).
    #[arg(long)]
    pub verdict: bool,
    /// table, csv, json or markdown [default: table].
    #[arg(long, value_enum)]
    pub format: Option<BatchFormat>,
    /// Write to this file instead of stdout (created private to the user).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the --output file if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// text for a person, json for scripts.
    #[arg(long, value_enum, default_value_t = DoctorFormat::Text)]
    pub format: DoctorFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DoctorFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Ask for a cluster or base URL, the kind of authentication, the
    /// username or OAuth key and where the secret comes from; write the
    /// profile (the file created private, other profiles and comments kept);
    /// then check it with doctor.
    Add {
        /// The profile's name, e.g. eu-prod.
        name: String,
        /// Replace a profile of that name.
        #[arg(long)]
        force: bool,
    },
    /// The profiles, with their origin and kind of authentication (never a secret).
    List,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BatchFormat {
    Table,
    Csv,
    Json,
    /// The rows as a Markdown table, and with `--verdict` why they missed.
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Customer id (userId).
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..), required_unless_present = "customer")]
    pub user_id: Option<i64>,
    /// The customer in any form the explorer takes: an id, mobile:…, email:…,
    /// external:…, card:….
    #[arg(long, value_name = "IDENT", conflicts_with = "user_id")]
    pub customer: Option<String>,
    /// Target rule id; without it, every target of the customer.
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub rule_id: Option<i64>,
    /// One period (of --rule-id); without it, every period the targets list.
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..), requires = "rule_id")]
    pub period_id: Option<i64>,
    /// text for a terminal, json for programs (money as exact strings),
    /// markdown for a case note, reply for a few plain sentences to send the
    /// customer (the period asked for, else the one a complaint is most likely about).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
    /// Write to this file instead of stdout (created private to the user).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the --output file if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
    Markdown,
    Reply,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// A target-events URL or a whole cURL line (quoted), instead of the ids:
    /// it must be on a configured profile's origin.
    #[arg(value_name = "URL")]
    pub url: Option<String>,
    /// Customer id (userId).
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..), required_unless_present_any = ["url", "customer"])]
    pub user_id: Option<i64>,
    /// The customer as support is given it: an id, mobile:919449489999,
    /// email:name@example.com (or just the address), +919449489999,
    /// external:MPQSP100 or card:LOYAL0001. Looked up first; the id is said on stderr.
    #[arg(long, value_name = "IDENT", conflicts_with = "user_id")]
    pub customer: Option<String>,
    /// Target rule id.
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..), required_unless_present = "url")]
    pub rule_id: Option<i64>,
    /// Target period id.
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
    pub period_id: Option<i64>,
    /// Events per page (1–1000) [default: 10; with --all, the profile's largest page].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::api::MAX_PAGE_SIZE)))]
    pub limit: Option<u32>,
    /// Page number, from 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = format_parser())]
    pub format: Format,
    /// Fetch every page (at the profile's largest page size) instead of one.
    #[arg(long, conflicts_with = "page")]
    pub all: bool,
    /// With --all: requests in flight at once [default: the profile's, or 8].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=32))]
    pub concurrency: Option<u32>,
    /// Write to this file instead of stdout (created private to the user).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the --output file if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Keep watching: print each new event as a JSON line as it arrives, until interrupted.
    #[arg(long, conflicts_with_all = ["all", "output"])]
    pub watch: bool,
    /// With --watch: seconds between polls (at least 2, and within the profile's rate limit) [default: 5].
    #[arg(long, value_name = "SECS", requires = "watch", value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub interval: Option<u32>,
}

/// The export formats by name, for `--format` (the core knows no clap).
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Format::NAMES.map(|(n, _)| n))
        .map(|name| Format::named(&name).unwrap_or(Format::Table))
}
