//! What can happen to the app (messages), what a key means (actions), and what
//! the app asks the runtime to do (effects).

use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::api::{ApiError, EventsOutcome, EventsQuery, Fetched};

/// Everything `update` reacts to.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// Spinner tick while a request is in flight.
    Tick,
    /// A request finished. `generation` says which request it answers.
    Fetched {
        generation: u64,
        query: EventsQuery,
        elapsed: Duration,
        result: Result<Fetched<EventsOutcome>, ApiError>,
    },
    /// A background prefetch finished.
    Prefetched {
        query: EventsQuery,
        result: Result<Fetched<EventsOutcome>, ApiError>,
    },
    /// Start-up: fetch what the command line prefilled.
    SubmitPrefilled,
    Quit,
}

/// A key's meaning once the keymap has read it in context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    FocusNext,
    FocusPrev,
    /// Fetch page 1 of the query in the inputs.
    Submit,
    /// A key for the focused text input.
    Edit(KeyEvent),
    /// Leave the input (to the table).
    LeaveInput,
    NextPage,
    PrevPage,
    FirstPage,
    LastPage,
    AskPage,
    AskLimit,
    Refresh,
    /// Abandon the request in flight.
    Cancel,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    OpenDetail,
    /// Back from the detail pane to the table.
    Back,
    /// Put the cursor in the customer id input.
    EditQuery,
    ToggleRaw,
    ToggleHelp,
    CloseOverlay,
    /// Enter in a prompt.
    Confirm,
    /// A key for the prompt's text input.
    PromptEdit(KeyEvent),
    None,
}

/// What `update` asks the runtime to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Run this request; answer with `Msg::Fetched` carrying `generation`.
    Fetch { generation: u64, query: EventsQuery },
    /// Fetch in the background into the cache; answer with `Msg::Prefetched`.
    Prefetch { query: EventsQuery },
    /// Abort the request of this generation: its answer is no longer wanted.
    Cancel { generation: u64 },
}
