use std::process::ExitCode;

use clap::FromArgMatches;
use target_events::cli::{Cli, Command, ProfileCommand};
use target_events::headless::{batch as batch_cmd, doctor, explain as explain_cmd, fetch as fetch_cmd, profile};
use target_events::query_url;
use target_events::{config, logging, session::Session};

fn main() -> ExitCode {
    target_events::completions::answer_if_asked();
    // Output into a pipe that closes (`| head`) ends the run quietly, as for
    // any Unix tool, instead of a panic on the next print. Sockets are not
    // affected (they are written without the signal).
    #[cfg(unix)]
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let log_default = logging::default_log_path();
    let help_footer = format!(
        "Config file: {}\nLog file:    {}",
        config::default_config_path()
            .map_or("(no config directory on this system)".into(), |p| p.display().to_string()),
        log_default.display()
    );
    let matches = target_events::cli::command().after_help(help_footer).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let log_path = cli.connection.log_file.clone().unwrap_or(log_default);
    if let Err(e) = logging::init(&log_path) {
        eprintln!("warning: cannot log to {}: {e}", log_path.display());
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(run(cli, log_path));
    // Do not wait for a hung request's task at exit.
    runtime.shutdown_background();
    ExitCode::from(code)
}

/// `man [COMMAND]` prints a page; `man --dir DIR` writes them all.
fn manual_pages(command: &[String], dir: Option<&std::path::Path>) -> u8 {
    use target_events::manual;
    if let Some(dir) = dir {
        return match manual::write_all(dir) {
            Ok(files) => {
                eprintln!("Wrote {} manual pages to {}.", files.len(), dir.display());
                0
            }
            Err(e) => {
                eprintln!("error: cannot write the manual pages to {}: {e}", dir.display());
                1
            }
        };
    }
    let Some(page) = manual::page(&command.join(" ")) else {
        let names: Vec<String> = manual::pages().iter().skip(1).map(|p| p.words.join(" ")).collect();
        eprintln!(
            "error: no manual page for \"{}\". Pages: {}.",
            target_events::sanitize::line(&command.join(" ")),
            names.join(", ")
        );
        return 2;
    };
    let mut out = std::io::stdout().lock();
    match manual::render(&page, &manual::pages(), &mut out) {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

async fn run(mut cli: Cli, log_path: std::path::PathBuf) -> u8 {
    match &cli.command {
        Some(Command::DemoServer { port }) => return run_demo_server(*port).await,
        Some(Command::ClearRecent) => return clear_recent(),
        Some(Command::Doctor(args)) => {
            return doctor::run(&cli.connection, args.format, Some(target_events::explorer::tui::Look::said)).await
                as u8;
        }
        Some(Command::Profile(ProfileCommand::Add { name, force })) => {
            return profile::add(&cli.connection, name, *force).await as u8;
        }
        Some(Command::Profile(ProfileCommand::List)) => return profile::list(&cli.connection) as u8,
        Some(Command::Completions { shell }) => {
            return match target_events::completions::write_script(*shell, &mut std::io::stdout()) {
                Ok(()) => 0,
                Err(_) => 1,
            };
        }
        Some(Command::Man { command, dir }) => return manual_pages(command, dir.as_deref()),
        _ => {}
    }
    // A word that is no subcommand and no URL is a mistyped subcommand.
    if let Some(word) = &cli.url
        && !word.contains("://")
        && !word.trim_start().starts_with("curl")
    {
        let names: Vec<String> = target_events::cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .filter(|n| n != "help")
            .collect();
        // The nearest subcommand, when the word is a typo of one.
        let nearest = names
            .iter()
            .map(|n| (strsim::damerau_levenshtein(&word.to_lowercase(), n), n))
            .filter(|(d, n)| *d <= 2.max(n.len() / 3))
            .min()
            .map(|(_, n)| format!(" Did you mean \"{n}\"?"))
            .unwrap_or_default();
        eprintln!(
            "error: \"{}\" is neither a subcommand nor a URL.{nearest} Subcommands: {}. See target-events --help.",
            target_events::sanitize::line(word),
            names.join(", ")
        );
        return 2;
    }
    // `--customer 98000 00007` unquoted: the number's second half arrives as
    // the URL argument.
    if let Some(Command::Fetch(args)) = &cli.command
        && let (Some(customer), Some(rest)) = (&args.customer, &args.url)
        && rest.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
    {
        let whole = format!("{customer} {rest}");
        eprintln!(
            "error: the customer's number is split over two arguments: quote it, --customer \"{}\". Nothing was sent.",
            target_events::sanitize::line(&whole)
        );
        return 2;
    }
    let text = match &cli.command {
        Some(Command::Fetch(args)) => args.url.as_deref(),
        _ => cli.url.as_deref(),
    };
    let url = match text.map(query_url::parse).transpose() {
        Ok(u) => u,
        Err(e) => {
            eprintln!("error: cannot read the URL: {e}");
            return 2;
        }
    };
    if let Some(u) = &url {
        cli.user_id = Some(u.user_id);
        cli.rule_id = Some(u.rule_id);
        cli.period_id = u.period_id;
    }
    let (mut settings, profiles) = match target_events::session::resolve_settings(&cli.connection, url.as_ref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}", target_events::sanitize::multiline(&format!("{e:#}")));
            return 2;
        }
    };
    if let (Some(problem), Some(Command::Fetch(_))) = (&settings.origin_problem, &cli.command) {
        // Headless cannot ask which profile: nothing is sent.
        eprintln!("error: {}", problem.sentence());
        return 2;
    }
    let mut start_page = 0;
    if let Some(u) = &url {
        if let Some(limit) = u.limit {
            settings.page_size = limit.min(settings.max_page_size);
        }
        start_page = u.page(settings.offset_mode, settings.page_size);
        if let Some(Command::Fetch(args)) = &mut cli.command {
            // The URL fills what the flags did not say.
            args.user_id = args.user_id.or(Some(u.user_id));
            args.rule_id = args.rule_id.or(Some(u.rule_id));
            args.period_id = args.period_id.or(u.period_id);
            if args.limit.is_none() && !args.all {
                args.limit = u.limit;
                args.page = start_page.saturating_add(1);
            }
        }
    }
    // The explorer's keys and colours, checked before anything is sent.
    let explores = match &cli.command {
        None => true,
        Some(Command::Batch(args)) => batch_cmd::interactive(args),
        _ => false,
    };
    let look = match explores.then(|| target_events::explorer::tui::Look::of(&settings)).transpose() {
        Ok(look) => look.unwrap_or_default(),
        Err(e) => {
            let path = cli.connection.config.clone().or_else(config::default_config_path);
            let shown = path.map_or_else(|| "the config file".to_string(), |p| p.display().to_string());
            eprintln!("error: {}, {e}", target_events::sanitize::line(&shown));
            return 2;
        }
    };
    for w in settings.warnings.iter().chain(&settings.out_of_range) {
        eprintln!("warning: {w}");
        tracing::warn!("{w}");
    }
    let session = match Session::open(&settings).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}", target_events::sanitize::multiline(&format!("{e:#}")));
            return 1;
        }
    };
    match &cli.command {
        Some(Command::Fetch(args)) => fetch_cmd::run(&session.client, args, &settings).await as u8,
        Some(Command::Explain(args)) => explain_cmd::run(&session.client, args, &settings).await as u8,
        Some(Command::Batch(args)) if batch_cmd::interactive(args) => {
            let rows = match batch_cmd::collect(&session.client, args, &settings).await {
                Ok(collected) => collected.answered.rows,
                Err(code) => return code as u8,
            };
            explore(session, &settings, profiles, &cli, (start_page, look), log_path, Some(rows)).await
        }
        Some(Command::Batch(args)) => batch_cmd::run(&session.client, args, &settings).await as u8,
        _ => explore(session, &settings, profiles, &cli, (start_page, look), log_path, None).await,
    }
}

/// The explorer on the query the command line names (and a batch's rows).
async fn explore(
    session: Session,
    settings: &config::Settings,
    profiles: config::ProfileSource,
    cli: &Cli,
    (start_page, look): (u32, target_events::explorer::tui::Look),
    log_path: std::path::PathBuf,
    batch: Option<Vec<target_events::core::batch::BatchRow>>,
) -> u8 {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "error: the explorer needs a terminal (its input and output are not one here); \
             in a script use fetch, explain or batch (target-events --help)."
        );
        return 2;
    }
    let prefill = [cli.user_id, cli.rule_id, cli.period_id];
    let start = target_events::explorer::tui::Start { prefill, page: start_page, look };
    match target_events::explorer::tui::run(session, settings, profiles, start, log_path, batch).await {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {}", target_events::sanitize::multiline(&format!("{e:#}")));
            1
        }
    }
}

/// `clear-recent`: forgets the recent queries.
fn clear_recent() -> u8 {
    match target_events::explorer::features::pickers::recent::default_path() {
        Some(path) => match std::fs::remove_file(&path) {
            Ok(()) => {
                println!("Forgot the recent queries ({}).", path.display());
                0
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(e) => {
                eprintln!("error: cannot remove {}: {e}", path.display());
                1
            }
        },
        None => 0,
    }
}

#[cfg(not(feature = "demo"))]
async fn run_demo_server(_port: u16) -> u8 {
    eprintln!("error: this build has no demo API (it was built without the `demo` feature).");
    2
}

#[cfg(feature = "demo")]
async fn run_demo_server(port: u16) -> u8 {
    use target_events::demo;
    let server = match demo::DemoServer::start(demo::DemoOptions { port, live: true, ..Default::default() }).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot start the demo API on port {port}: {e}");
            return 1;
        }
    };
    let base = server.base_url();
    println!("Demo API listening on {base}");
    println!("Try:  curl '{base}v3/users/564332013/trackedTargetEvents/1986?periodId=9889&limit=5&offset=0'");
    println!(
        "Faults: curl -X POST {base}__demo/faults -d '{{\"queue\":[{{\"kind\":\"rate_limit\",\"retry_after_secs\":5}}]}}'"
    );
    println!("Press Ctrl-C to stop.");
    let _ = tokio::signal::ctrl_c().await;
    0
}
