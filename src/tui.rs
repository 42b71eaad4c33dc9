//! The runtime: owns the terminal, turns input and task answers into
//! messages, runs the effects `update` returns, and draws only when something
//! changed.

use std::collections::HashMap;
use std::io::{self, Stdout, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, EventStream,
};
use crossterm::terminal::{
    self, BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use futures::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use tokio::sync::mpsc::{self, UnboundedSender};
use tokio::task::AbortHandle;

use std::sync::Arc;

use crate::api::Client;
use crate::api::auth::Credentials;
use crate::api::fetch_all::{FetchAllOptions, fetch_all};
use crate::app::action::{ExportError, ProfileSwitch};
use crate::app::layout::FrameInfo;
use crate::app::recent;
use crate::app::state::{AppOptions, AuthKind, ConnectionInfo};
use crate::app::{App, Effect, Msg};
use crate::cli::Cli;
use crate::config::{ProfileSource, Settings};
use crate::export;
use crate::session::Session;
use crate::ui::theme::Theme;

/// Spinner frame interval while a request is in flight.
const TICK: Duration = Duration::from_millis(100);
/// Shortest time between two frames (about 60 per second).
const FRAME: Duration = Duration::from_millis(16);

pub async fn run(
    session: Session,
    settings: &Settings,
    profiles: ProfileSource,
    cli: &Cli,
    start_page: u32,
    log_path: PathBuf,
) -> anyhow::Result<()> {
    // A URL whose origin has no profile (or several) sends nothing until the
    // user picks one.
    let prefilled = cli.user_id.is_some() && cli.rule_id.is_some() && settings.origin_problem.is_none();
    let recent_path = recent::default_path();
    let (recent, recent_warning) = recent_path.as_deref().map(recent::load).unwrap_or_default();
    if let Some(w) = &recent_warning {
        tracing::warn!("{w}");
    }
    let mut app = App::new(AppOptions {
        all_options: settings.fetch_all_options(),
        connection: connection_info(&session.client),
        profiles: profiles.choices(),
        recent,
        empty_hint: if session.demo.is_some() { crate::demo::suggestion_lines() } else { Vec::new() },
        // Start-up warnings would scroll away behind the alternate screen.
        warning: settings.warnings.first().cloned().or(recent_warning),
        prefill: [cli.user_id, cli.rule_id, cli.period_id],
        ..AppOptions::new(session.label.clone(), settings.page_size, settings.max_page_size)
    });
    if let Some(problem) = &settings.origin_problem {
        app.pick_profile(Some((problem.sentence(), problem.candidates().map(<[String]>::to_vec))));
    }

    install_panic_hook(log_path);
    let mut terminal = enter()?;
    let (tx, rx) = mpsc::unbounded_channel::<Msg>();
    let mut runtime = Runtime::new(session.client.clone(), tx, app.workflow.all_options, recent_path);
    runtime.profiles = profiles;
    let start = prefilled.then_some(start_page);
    let theme = Theme::from_env();
    let result = event_loop(&mut terminal, &mut app, &theme, &mut runtime, rx, start).await;
    leave();
    drop(session);
    result
}

type Term = Terminal<CrosstermBackend<Stdout>>;

fn enter() -> io::Result<Term> {
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste) {
        leave();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn leave() {
    let _ = execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
    let _ = terminal::disable_raw_mode();
}

/// On panic, anywhere (a spawned task included, which tokio would otherwise
/// swallow, leaving the app drawing on a restored terminal): restore the
/// terminal first, print the message and where the log is, and end the
/// process with a failure. Never half alive.
fn install_panic_hook(log_path: PathBuf) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
        tracing::error!(panic = %info, "panic");
        let _ = writeln!(io::stderr(), "target-events crashed. The log is at {}", log_path.display());
        std::process::exit(101);
    }));
}

async fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    theme: &Theme,
    runtime: &mut Runtime,
    mut rx: mpsc::UnboundedReceiver<Msg>,
    start: Option<u32>,
) -> anyhow::Result<()> {
    let mut input = EventStream::new();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut signals = Signals::new()?;
    let size = terminal.size()?;
    app.chrome.size = Rect::new(0, 0, size.width, size.height);
    if let Some(page) = start {
        let _ = runtime.tx.send(Msg::SubmitPrefilled { page });
    }
    let started = Instant::now();
    let mut first_frame = true;
    let mut dirty = true;
    let mut last_draw = tokio::time::Instant::now() - FRAME;
    loop {
        // Input and answers come first; the frame is drawn once nothing is
        // waiting and at most every FRAME, so a burst of keys costs one frame.
        let frame_due = last_draw + FRAME;
        let msg = tokio::select! {
            biased;
            ev = input.next() => match ev {
                Some(Ok(ev)) => match to_msg(ev) { Some(m) => m, None => continue },
                Some(Err(e)) => return Err(e.into()),
                None => Msg::Quit,
            },
            Some(msg) = rx.recv() => msg,
            _ = signals.recv() => Msg::Quit,
            _ = tokio::time::sleep_until(frame_due), if dirty => {
                app.chrome.frame = draw(terminal, app, theme)?;
                last_draw = tokio::time::Instant::now();
                dirty = false;
                if first_frame {
                    tracing::info!(ms = started.elapsed().as_millis() as u64, "first frame drawn");
                    first_frame = false;
                }
                continue;
            }
            _ = ticker.tick(), if app.is_loading() || app.workflow.all_run.is_some() || app.overlay_loading() => Msg::Tick,
        };
        runtime.handle(app, msg);
        dirty = true;
        if app.chrome.should_quit {
            break;
        }
    }
    for (_, task) in runtime.tasks.drain() {
        task.abort();
    }
    Ok(())
}

/// Draws a frame; returns what drawing learnt, for the next `update`.
fn draw(terminal: &mut Term, app: &App, theme: &Theme) -> io::Result<FrameInfo> {
    // Synchronized output: the terminal shows the frame whole, not half-drawn
    // (noticeable over slow SSH links).
    execute!(io::stdout(), BeginSynchronizedUpdate)?;
    let mut info = FrameInfo::default();
    let result = terminal.draw(|frame| info = crate::ui::draw(app, theme, frame));
    execute!(io::stdout(), EndSynchronizedUpdate)?;
    result.map(|_| info)
}

fn to_msg(ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => Some(Msg::Key(k)),
        Event::Mouse(m) => Some(Msg::Mouse(m)),
        Event::Paste(p) => Some(Msg::Paste(p)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

/// What effects need besides the app: the client, the channel back, running
/// tasks, and where things are kept.
pub struct Runtime {
    pub client: Client,
    pub tx: UnboundedSender<Msg>,
    pub tasks: HashMap<u64, AbortHandle>,
    /// Prefetches in flight (they carry no generation).
    pub prefetches: Vec<AbortHandle>,
    pub all_options: FetchAllOptions,
    pub recent_path: Option<PathBuf>,
    /// Where other profiles are resolved from when the user switches.
    pub profiles: ProfileSource,
}

/// What the explorer shows and copies about a client's connection.
pub fn connection_info(client: &Client) -> ConnectionInfo {
    let term = std::env::var("TERM").unwrap_or_default();
    ConnectionInfo {
        base_url: client.base_url().clone(),
        auth: match client.config().credentials {
            Credentials::None => AuthKind::None,
            Credentials::Basic { password_is_md5: false, .. } => AuthKind::Basic,
            Credentials::Basic { password_is_md5: true, .. } => AuthKind::BasicMd5,
            Credentials::OAuth { .. } => AuthKind::OAuth,
        },
        offset_mode: client.config().offset_mode,
        // The Linux console and dumb terminals cannot take OSC 52.
        clipboard: !matches!(term.as_str(), "dumb" | "linux" | ""),
    }
}

impl Runtime {
    pub fn new(
        client: Client,
        tx: UnboundedSender<Msg>,
        all_options: FetchAllOptions,
        recent_path: Option<PathBuf>,
    ) -> Self {
        Runtime {
            client,
            tx,
            tasks: HashMap::new(),
            prefetches: Vec::new(),
            all_options,
            recent_path,
            profiles: ProfileSource::default(),
        }
    }

    /// Points every later request at profile `name`. Work under way for the
    /// old origin is stopped first, so nothing it answers can follow the
    /// switch message.
    fn use_profile(&mut self, name: &str) {
        let result = self
            .profiles
            .settings_for(name)
            .and_then(|settings| crate::session::remote_client(&settings))
            .map(|(client, label)| {
                for (_, task) in self.tasks.drain() {
                    task.abort();
                }
                for task in self.prefetches.drain(..) {
                    task.abort();
                }
                let connection = connection_info(&client);
                self.client = client;
                ProfileSwitch { label, connection }
            })
            .map_err(|e| crate::sanitize::line(&format!("{e:#}")).into_owned());
        let _ = self.tx.send(Msg::ProfileChanged { result });
    }

    /// Feeds one message to the app and runs the effects it returns.
    pub fn handle(&mut self, app: &mut App, msg: Msg) {
        debug_panic_trigger(&msg);
        // A finished task's handle is no longer needed.
        if let Msg::Fetched { generation, .. }
        | Msg::AllDone { generation, .. }
        | Msg::TargetsLoaded { generation, .. }
        | Msg::PeriodsLoaded { generation, .. } = &msg
        {
            self.tasks.remove(generation);
        }
        for effect in app.update(msg) {
            self.run(effect);
        }
    }

    fn spawn(&mut self, generation: u64, task: impl std::future::Future<Output = ()> + Send + 'static) {
        let handle = tokio::spawn(task);
        self.tasks.insert(generation, handle.abort_handle());
    }

    /// Starts or stops background work. Tasks get a client, an id and a
    /// sender; they own nothing of the UI.
    pub fn run(&mut self, effect: Effect) {
        let (client, tx) = (self.client.clone(), self.tx.clone());
        match effect {
            Effect::Fetch { generation, query } => self.spawn(generation, async move {
                let started = Instant::now();
                let result = client.events(&query).await;
                let _ = tx.send(Msg::Fetched { generation, query, elapsed: started.elapsed(), result });
            }),
            Effect::Prefetch { query } => {
                self.prefetches.retain(|t| !t.is_finished());
                let task = tokio::spawn(async move {
                    let result = client.events(&query).await;
                    let _ = tx.send(Msg::Prefetched { query, result });
                });
                self.prefetches.push(task.abort_handle());
            }
            Effect::UseProfile { name } => self.use_profile(&name),
            Effect::Cancel { generation } => {
                if let Some(task) = self.tasks.remove(&generation) {
                    task.abort();
                }
            }
            Effect::LoadTargets { generation, user_id } => self.spawn(generation, async move {
                let result = client.target_groups(user_id).await.map(|f| f.value);
                let _ = tx.send(Msg::TargetsLoaded { generation, user_id, result });
            }),
            Effect::LoadPeriods { generation, group_id } => self.spawn(generation, async move {
                let result = client.target_periods(group_id).await.map(|f| f.value);
                let _ = tx.send(Msg::PeriodsLoaded { generation, result });
            }),
            Effect::FetchAll { generation, query } => {
                let opts = self.all_options;
                self.spawn(generation, async move {
                    let progress_tx = tx.clone();
                    let progress = Arc::new(move |progress| {
                        let _ = progress_tx.send(Msg::AllProgress { generation, progress });
                    });
                    let result = fetch_all(&client, query, opts, progress).await;
                    let _ = tx.send(Msg::AllDone { generation, query, result });
                })
            }
            Effect::Export { path, format, outcome, indices, overwrite } => {
                tokio::task::spawn_blocking(move || {
                    // Show where it really went, not a relative name.
                    let path = std::path::absolute(&path).unwrap_or(path);
                    let result = export::write_view(&path, format, &outcome, &indices, overwrite).map_err(|e| {
                        if e.kind() == io::ErrorKind::AlreadyExists {
                            ExportError::Exists
                        } else {
                            ExportError::Failed(e.to_string())
                        }
                    });
                    let _ = tx.send(Msg::Exported { path, result });
                });
            }
            Effect::Copy { text } => copy_to_clipboard(&text),
            Effect::SaveRecent(list) => {
                if let Some(path) = self.recent_path.clone() {
                    tokio::task::spawn_blocking(move || {
                        if let Err(e) = recent::save(&path, &list) {
                            tracing::warn!(error = %e, path = %path.display(), "cannot save recent queries");
                        }
                    });
                }
            }
        }
    }
}

/// Sends `text` to the terminal's clipboard with OSC 52, which works over SSH
/// and through tmux (with `set-clipboard on`). The text is sanitised already.
fn copy_to_clipboard(text: &str) {
    let _ = execute!(io::stdout(), crossterm::clipboard::CopyToClipboard::to_clipboard_from(text));
}

/// Debug builds only: with `TARGET_EVENTS_DEBUG_PANIC` set, the `!` key
/// panics in the event loop and `@` in a spawned task, so tests can prove
/// the terminal is restored and the process ends after a crash.
fn debug_panic_trigger(msg: &Msg) {
    #[cfg(debug_assertions)]
    if let Msg::Key(k) = msg
        && std::env::var_os("TARGET_EVENTS_DEBUG_PANIC").is_some()
    {
        match k.code {
            crossterm::event::KeyCode::Char('!') => panic!("debug panic trigger pressed"),
            crossterm::event::KeyCode::Char('@') => {
                tokio::spawn(async { panic!("debug panic trigger pressed in a task") });
            }
            _ => {}
        }
    }
    let _ = msg;
}

/// SIGTERM and SIGHUP end the app the normal way, so the terminal is restored.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals { term: signal(SignalKind::terminate())?, hup: signal(SignalKind::hangup())? })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => {},
            _ = self.hup.recv() => {},
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}
