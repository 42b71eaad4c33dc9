//! The terminal side: builds the explorer from the settings, owns the
//! terminal, turns input and task answers into messages for the [`Runtime`],
//! and draws only when something changed.

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
use tokio::sync::mpsc::{self};

use crate::config::{ProfileSource, Settings};
use crate::core::case_note::connection_info;
use crate::explorer::app::layout::FrameInfo;
use crate::explorer::app::state::AppOptions;
use crate::explorer::app::{App, Msg};
use crate::explorer::features::pickers::recent;
use crate::explorer::features::pickers::recent::DEMO_TENANT;
use crate::explorer::runtime::Runtime;
use crate::explorer::ui::theme::Theme;
use crate::session::Session;

/// Spinner frame interval while a request is in flight.
const TICK: Duration = Duration::from_millis(100);
/// Shortest time between two frames (about 60 per second).
const FRAME: Duration = Duration::from_millis(16);

/// The keys and colours the config file gives the explorer.
#[derive(Clone, Debug, Default)]
pub struct Look {
    pub keymap: crate::explorer::app::keys::Keymap,
    pub palette: crate::explorer::ui::theme::Palette,
}

impl Look {
    /// The config's `[keys]` and `[theme]`, checked: a problem names its line.
    pub fn of(settings: &Settings) -> Result<Look, String> {
        if let Some(problem) = settings.look.problems.first() {
            return Err(problem.clone());
        }
        let keymap = crate::explorer::app::keys::Keymap::from_config(&settings.look.keys)?;
        let palette = crate::explorer::ui::theme::Palette::from_config(&settings.look.theme)?;
        Ok(Look { keymap, palette })
    }

    /// What doctor says of them: how many entries, or what is wrong.
    pub fn said(settings: &Settings) -> Result<String, String> {
        Look::of(settings)?;
        let (keys, colours) = (settings.look.keys.len(), settings.look.theme.len());
        Ok(if keys + colours == 0 {
            "the built-in keys and colours (no [keys] or [theme])".to_string()
        } else {
            format!("{keys} [keys] and {colours} [theme] entries, none in conflict")
        })
    }
}

/// What the explorer opens on: the customer, rule and period the command
/// line named, the page, and the keys and colours.
pub struct Start {
    pub prefill: [Option<i64>; 3],
    pub page: u32,
    pub look: Look,
}

pub async fn run(
    session: Session,
    settings: &Settings,
    profiles: ProfileSource,
    start: Start,
    log_path: PathBuf,
    batch: Option<Vec<crate::core::batch::BatchRow>>,
) -> anyhow::Result<()> {
    let Start { prefill, page: start_page, look } = start;
    // A URL whose origin has no profile (or several) sends nothing until the
    // user picks one.
    let prefilled = prefill[0].is_some() && prefill[1].is_some() && settings.origin_problem.is_none();
    let recent_path = recent::default_path();
    let (recent, recent_warning) = recent_path.as_deref().map(recent::load).unwrap_or_default();
    if let Some(w) = &recent_warning {
        tracing::warn!("{w}");
    }
    let mut app = App::new(AppOptions {
        all_options: settings.fetch_all_options(),
        connection: {
            let mut c = connection_info(&session.client);
            // The embedded demo's port changes every run; it is one tenant.
            if session.demo.is_some() {
                c.tenant = DEMO_TENANT.to_string();
            }
            c
        },
        profiles: profiles.choices(),
        recent,
        empty_hint: demo_hint(&session),
        // Start-up warnings would scroll away behind the alternate screen.
        warning: settings.warnings.first().or(settings.out_of_range.first()).cloned().or(recent_warning),
        prefill,
        batch,
        country_code: settings.default_country_code.clone(),
        notes_dir: settings.notes_dir.clone(),
        ask_profile: settings
            .origin_problem
            .as_ref()
            .map(|problem| (problem.sentence(), problem.candidates().map(<[String]>::to_vec))),
        keymap: std::sync::Arc::new(look.keymap),
        ..AppOptions::new(session.label.clone(), settings.page_size, settings.max_page_size)
    });

    install_panic_hook(log_path);
    let mut terminal = enter()?;
    let (tx, rx) = mpsc::unbounded_channel::<Msg>();
    let mut runtime = Runtime::new(session.client.clone(), tx, app.workflow.all_options, recent_path);
    runtime.profiles = profiles;
    let start = prefilled.then_some(start_page);
    let theme = Theme::with_palette(look.palette);
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
            _ = ticker.tick(), if app.is_loading() || app.fetching_all() || app.overlay_loading() => Msg::Tick,
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
    let result = terminal.draw(|frame| info = crate::explorer::ui::draw(app, theme, frame));
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

/// SIGTERM, SIGHUP, SIGINT (`kill -INT`; Ctrl-C itself is a key in raw
/// mode) and SIGQUIT end the app the normal way, so the terminal is restored.
struct Signals {
    #[cfg(unix)]
    any: Vec<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let kinds = [SignalKind::terminate(), SignalKind::hangup(), SignalKind::interrupt(), SignalKind::quit()];
            Ok(Signals { any: kinds.into_iter().map(signal).collect::<io::Result<_>>()? })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        {
            let waits = self.any.iter_mut().map(|s| Box::pin(s.recv()));
            futures::future::select_all(waits).await;
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

/// The demo customers worth trying, on the demo API.
#[cfg(feature = "demo")]
fn demo_hint(session: &Session) -> Vec<String> {
    if session.demo.is_some() { crate::demo::suggestion_lines() } else { Vec::new() }
}

#[cfg(not(feature = "demo"))]
fn demo_hint(_: &Session) -> Vec<String> {
    Vec::new()
}
