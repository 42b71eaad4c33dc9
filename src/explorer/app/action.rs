//! What can happen to the app (messages), what a key means (actions), and what
//! the app asks the runtime to do (effects).

use std::time::Duration;

use crossterm::event::{KeyEvent, MouseEvent};

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::fetch_all::{AllEvents, Progress};
use crate::api::model::{TargetPeriod, UserTargetGroup};
use crate::api::{ApiError, CustomerRef, EventsOutcome, EventsQuery, Fetched};
use crate::core::export::Format;

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
    /// Start-up: fetch what the command line prefilled, at this 0-based page.
    SubmitPrefilled {
        page: u32,
    },
    /// The customer's target groups arrived.
    TargetsLoaded {
        generation: u64,
        user_id: i64,
        result: Result<Fetched<Vec<UserTargetGroup>>, ApiError>,
    },
    /// A customer's bills for the verdict arrived.
    BillsLoaded {
        generation: u64,
        user_id: i64,
        result: Result<crate::api::bills::BillsRead, ApiError>,
    },
    /// A target group's periods arrived.
    PeriodsLoaded {
        generation: u64,
        result: Result<Vec<TargetPeriod>, ApiError>,
    },
    /// A fetch-all made progress.
    AllProgress {
        generation: u64,
        progress: Progress,
    },
    /// A fetch-all finished.
    AllDone {
        generation: u64,
        query: EventsQuery,
        result: Result<AllEvents, ApiError>,
    },
    /// The wait before the next watch poll is over.
    WatchDue {
        generation: u64,
    },
    /// A watch poll answered.
    WatchPolled {
        generation: u64,
        result: Result<Fetched<EventsOutcome>, ApiError>,
    },
    /// A customer lookup finished; `generation` says which.
    LookedUp {
        generation: u64,
        customer: CustomerRef,
        result: Result<crate::core::customer::Found, ApiError>,
    },
    /// The runtime switched to another profile (or could not).
    ProfileChanged {
        result: Result<ProfileSwitch, String>,
    },
    /// A text (case note, batch rows) was written, or not (why).
    Saved {
        path: PathBuf,
        kind: super::state::TextFile,
        result: Result<(), ExportError>,
    },
    /// An export was written (events written) or not (why).
    Exported {
        path: PathBuf,
        result: Result<usize, ExportError>,
    },
    Quit,
}

/// A key's meaning once the key table has read it for the owner of the
/// screen. The key itself goes along to `apply` for the actions that type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    FocusNext,
    FocusPrev,
    /// Fetch page 1 of the query in the inputs.
    Submit,
    /// The key types into the focused query field.
    Edit,
    /// Leave the query fields for what is drawn below.
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
    /// Open the target picker for the customer in the input.
    PickTarget,
    /// Open the period picker for the current target group.
    PickPeriod,
    /// Open the recent-queries picker.
    PickRecent,
    /// Open the profile picker.
    PickProfile,
    /// The key goes to the open picker (typing narrows the list).
    PickerKey,
    /// Move through the picker's list.
    PickerMove,
    /// Recent queries: forget the entry selected.
    ForgetRecent,
    /// Recent queries: forget them all.
    ForgetAllRecent,
    /// Recent queries: show other tenants' too, or not.
    OtherTenants,
    /// Fetch every page of the current query.
    FetchAll,
    /// Start typing the filter of what is drawn.
    StartFilter,
    /// The key types into the filter.
    FilterKey,
    /// Stop typing the filter, keeping it.
    EndFilter,
    ClearFilter,
    /// Next sort column / reverse the sort, of what is drawn.
    CycleSort,
    ReverseSort,
    ToggleSummary,
    /// Open or close the verdict panel.
    ToggleVerdict,
    /// Start or stop watching the query live.
    ToggleWatch,
    /// Show or hide the batch table.
    ToggleBatch,
    /// In the batch table: open the row's events.
    OpenBatchRow,
    /// In the batch table: the verdict of the row's period.
    BatchRowVerdict,
    /// The batch's causes: why the missed periods missed, grouped (or back to the rows).
    ToggleCauses,
    /// In the summary: the verdict of the selected period.
    OpenVerdict,
    /// In the verdict panel: move between the periods and the events.
    VerdictSwitch,
    /// In the verdict panel: select the event under the cursor in the table.
    OpenVerdictEvent,
    /// Export what is drawn (the view, the batch rows, the case note).
    AskExport,
    /// Copy what is drawn (the event, the summary, the row, the case note).
    Copy,
    /// Copy the query as a cURL command.
    CopyCurl,
    /// Copy the verdict's reply for the customer (plain sentences).
    CopyReply,
    /// Open (or close) the bills of the period.
    ToggleBills,
    Up,
    Down,
    /// A screen down (PgDn) or up (PgUp): the key says which.
    Screenful,
    /// Scroll the detail beneath a list (a bill's raw JSON) down or up.
    DetailDown,
    DetailUp,
    /// Copy the selected bill's number alone (what a store is asked about).
    CopyBillNumber,
    /// Scroll sideways (copied text, whose lines are never wrapped).
    Left,
    Right,
    Top,
    Bottom,
    OpenDetail,
    /// Close the panel drawn, uncovering the one below.
    Close,
    /// Put the cursor in the customer input.
    EditQuery,
    ToggleRaw,
    ToggleHelp,
    CloseOverlay,
    /// Enter in a prompt or picker, y to a question.
    Confirm,
    /// The key types into the prompt.
    PromptEdit,
    None,
}

/// The last customer's case, on its way out.
#[derive(Clone)]
pub struct Retired(pub Box<super::case::Case>);

impl PartialEq for Retired {
    fn eq(&self, other: &Retired) -> bool {
        std::ptr::eq(&*self.0, &*other.0)
    }
}

impl std::fmt::Debug for Retired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Retired(customer {:?})", self.0.customer())
    }
}

/// What one feature asks of another. Features never call one another: one
/// pushes an `Ask` ([`App::ask`](super::state::App::ask)) and `update` hands
/// it, in the order asked and after the message that raised it, to the
/// feature that answers it (`app/asks.rs`).
#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    /// The verdict of a customer's rule, opening on a period; the bills of
    /// that period alone when `open_bills`.
    Verdict { user_id: i64, rule_id: i64, period_id: Option<i64>, open_bills: bool },
    /// The verdict (or bills) shown, made again from what is read now.
    Reconcile { user_id: i64, rule_id: i64, period_id: Option<i64>, open_bills: bool },
    /// A period's bills alone, beneath any overlay open meanwhile.
    ShowBills { user_id: i64, period: Box<crate::core::verdict::PeriodVerdict> },
    /// The bills shown read again (a watched arrival may be a new bill).
    ReadBillsAgain,
    /// A query from page 1 into the table (a new case for another customer).
    NewQuery(EventsQuery),
    /// What Enter in the query does: fetch page 1 of the fields' query.
    Submit,
    /// The customer's targets, to pick one.
    PickTarget,
    /// The query shown goes to the top of the recent list.
    RememberRecent(EventsQuery),
    /// The customer has a target with this rule, or is offered theirs.
    CheckRule { user_id: i64, rule_id: i64 },
    /// A text to the clipboard (and shown).
    Copy { title: String, text: String },
    /// Where to save a text, `path` offered.
    SaveText { path: String, kind: super::state::TextFile },
    /// The cursor to the customer field, its text selected.
    SelectCustomer,
    /// A warning, said after what was asked before it.
    Warn(String),
    /// A passing notice, said after what was asked before it.
    Flash(String),
}

/// What `update` asks the runtime to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// A case no longer served, to free off the UI thread: a customer's
    /// 100,000 events take a frame's time to free.
    Retire(Retired),
    /// Run this request; answer with `Msg::Fetched` carrying `generation`.
    Fetch {
        generation: u64,
        query: EventsQuery,
    },
    /// Fetch in the background into the cache; answer with `Msg::Prefetched`.
    Prefetch {
        query: EventsQuery,
    },
    /// Abort the request of this generation: its answer is no longer wanted.
    Cancel {
        generation: u64,
    },
    LoadTargets {
        generation: u64,
        user_id: i64,
    },
    /// Read a customer's bills billed from `from` to `to`.
    LoadBills {
        generation: u64,
        user_id: i64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    LoadPeriods {
        generation: u64,
        group_id: i64,
    },
    /// Fetch every page of `query`; progress and the answer carry `generation`.
    FetchAll {
        generation: u64,
        query: EventsQuery,
    },
    /// Write the events at `indices` to `path`; an existing file only when
    /// the user said yes (`overwrite`).
    Export {
        path: PathBuf,
        format: Format,
        outcome: Arc<EventsOutcome>,
        indices: Vec<u32>,
        overwrite: bool,
    },
    /// Put `text` on the clipboard (OSC 52).
    Copy {
        text: String,
        way: super::state::CopyWay,
    },
    /// Write `text` to `path` (a case note); an existing file only when the
    /// user said yes. Answer with `Msg::Saved`.
    WriteFile {
        path: PathBuf,
        kind: super::state::TextFile,
        text: String,
        overwrite: bool,
    },
    /// Answer with `Msg::WatchDue` after `delay`.
    WatchAfter {
        generation: u64,
        delay: std::time::Duration,
    },
    /// Poll the watched page; answer with `Msg::WatchPolled`.
    WatchPoll {
        generation: u64,
        query: EventsQuery,
    },
    /// Find the id of the customer with this identifier; with `instead`,
    /// the API said no customer has the typed digits as id, so look up that
    /// mobile for them. Answer with `Msg::LookedUp`.
    Lookup {
        generation: u64,
        customer: CustomerRef,
        instead: Option<CustomerRef>,
    },
    /// Persist the recent-queries list.
    SaveRecent(Vec<crate::explorer::features::pickers::recent::RecentQuery>),
    /// Send every later request with this profile's origin and credentials;
    /// answer with `Msg::ProfileChanged`.
    UseProfile {
        name: String,
    },
}

/// Why an export was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// The file exists and the user has not said to replace it.
    Exists,
    Failed(String),
}

/// What the explorer needs to know once the runtime uses another profile.
#[derive(Clone, Debug)]
pub struct ProfileSwitch {
    pub label: String,
    pub connection: crate::core::case_note::ConnectionInfo,
}

impl Action {
    /// How far a movement goes: a row, a screenful of `rows` (PageUp back,
    /// PageDown on), or to either end. None for an action that is no movement.
    pub fn step(self, key: KeyEvent, rows: usize) -> Option<isize> {
        let rows = rows.max(1) as isize;
        match self {
            Action::Down => Some(1),
            Action::Up => Some(-1),
            Action::Screenful if key.code == crossterm::event::KeyCode::PageUp => Some(-rows),
            Action::Screenful => Some(rows),
            Action::Top => Some(isize::MIN / 2),
            Action::Bottom => Some(isize::MAX / 2),
            _ => None,
        }
    }
}
