//! Carrying out effects: the tasks that fetch (each given a client, a
//! generation and a sender, owning nothing of the UI), exports, the
//! clipboard, recent queries and profile switches.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crossterm::execute;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::api::Client;
use crate::api::fetch_all::{FetchAllOptions, fetch_all};
use crate::config::ProfileSource;
use crate::core::case_note::connection_info;
use crate::core::export;
use crate::explorer::app::action::{ExportError, ProfileSwitch};
use crate::explorer::app::state::CopyWay;
use crate::explorer::app::{App, Effect, Msg};
use crate::explorer::features::pickers::recent;

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
        | Msg::BillsLoaded { generation, .. }
        | Msg::PeriodsLoaded { generation, .. }
        | Msg::LookedUp { generation, .. }
        | Msg::WatchDue { generation }
        | Msg::WatchPolled { generation, .. } = &msg
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
            Effect::WatchAfter { generation, delay } => self.spawn(generation, async move {
                tokio::time::sleep(delay).await;
                let _ = tx.send(Msg::WatchDue { generation });
            }),
            Effect::WatchPoll { generation, query } => self.spawn(generation, async move {
                let result = client.events(&query).await;
                let _ = tx.send(Msg::WatchPolled { generation, result });
            }),
            Effect::WriteFile { path, kind, text, overwrite } => {
                tokio::task::spawn_blocking(move || {
                    let path = std::path::absolute(&path).unwrap_or(path);
                    // The notes directory is made on first use, private to the user.
                    let dir = path.parent().map(crate::private_file::create_dir).unwrap_or(Ok(()));
                    let result = dir
                        .and_then(|()| crate::core::output::write_text(&path, overwrite, &text))
                        .map_err(|e| write_error(&path, e));
                    let _ = tx.send(Msg::Saved { path, kind, result });
                });
            }
            Effect::Lookup { generation, customer, instead } => self.spawn(generation, async move {
                let result = match instead {
                    Some(mobile) => crate::core::customer::as_mobile_instead(&client, &customer, mobile).await,
                    None => crate::core::customer::resolve(&client, &customer, None).await,
                };
                let _ = tx.send(Msg::LookedUp { generation, customer, result });
            }),
            Effect::Cancel { generation } => {
                if let Some(task) = self.tasks.remove(&generation) {
                    task.abort();
                }
            }
            Effect::LoadTargets { generation, user_id } => self.spawn(generation, async move {
                let result = client.target_groups(user_id).await;
                let _ = tx.send(Msg::TargetsLoaded { generation, user_id, result });
            }),
            Effect::LoadBills { generation, user_id, from, to } => {
                let opts = self.all_options;
                self.spawn(generation, async move {
                    let result = crate::api::bills::read_bills(&client, user_id, (from, to), &opts).await;
                    let _ = tx.send(Msg::BillsLoaded { generation, user_id, result });
                })
            }
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
                    let result = export::write_view(&path, format, &outcome, &indices, overwrite)
                        .map_err(|e| write_error(&path, e));
                    let _ = tx.send(Msg::Exported { path, result });
                });
            }
            Effect::Retire(case) => {
                tokio::task::spawn_blocking(move || drop(case));
            }
            Effect::Copy { text, way: CopyWay::Osc52 } => copy_to_clipboard(&text),
            Effect::Copy { text, way: CopyWay::Tmux } => {
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = crate::explorer::tmux::load_buffer(&text) {
                        tracing::warn!(error = %e, "tmux did not take the copy; sent by OSC 52 instead");
                        copy_to_clipboard(&text);
                    }
                });
            }
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
/// (inside tmux only with `set-clipboard on`: tmux's buffer is used there).
/// The text is sanitised already.
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

/// A failed write as the explorer tells it: "already exists" only when the
/// file itself does (a folder on the way that is a file also says
/// AlreadyExists, and no yes would ever write there).
fn write_error(path: &std::path::Path, e: io::Error) -> ExportError {
    if e.kind() == io::ErrorKind::AlreadyExists && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        ExportError::Exists
    } else if e.kind() == io::ErrorKind::AlreadyExists {
        let on_the_way = path.ancestors().skip(1).find(|a| a.is_file());
        ExportError::Failed(match on_the_way {
            Some(file) => format!("{} is a file, not a folder", file.display()),
            None => e.to_string(),
        })
    } else {
        ExportError::Failed(e.to_string())
    }
}
