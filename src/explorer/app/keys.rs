//! Every key binding as data: the context it works in, the keys, when it
//! applies, what it does and the words help shows. Key dispatch and the
//! help overlay are both read from [`BINDINGS`], so help cannot drift from
//! what the keys do. Essentials sit on plain keys (letters, arrows, Enter,
//! Esc, Tab) so tmux and other multiplexers never eat them.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
pub use super::keymap::Keymap;
use super::screen::Owner;
use super::state::App;

/// Where a binding works. Each owner of the screen reads a chain of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Wherever the app is: quitting.
    Anywhere,
    /// Outside overlays and typed filters while a request is under way.
    Busy,
    Query,
    Table,
    Detail,
    Summary,
    Verdict,
    Bills,
    Batch,
    /// Over the table and every panel.
    Global,
    Filter,
    Picker,
    Prompt,
    Confirm,
    Copied,
    Help,
}

impl Context {
    /// The section title help shows.
    pub fn title(self) -> &'static str {
        match self {
            Context::Anywhere => "Anywhere",
            Context::Busy => "While loading",
            Context::Query => "Query fields",
            Context::Table => "Events table",
            Context::Detail => "Detail pane",
            Context::Summary => "Summary",
            Context::Verdict => "Verdict",
            Context::Bills => "Bills",
            Context::Batch => "Batch table",
            Context::Global => "Over the table and every panel",
            Context::Filter => "Typing a filter",
            Context::Picker => "Pickers",
            Context::Prompt => "Prompts",
            Context::Confirm => "Questions",
            Context::Copied => "Copied text",
            Context::Help => "This help",
        }
    }
}

/// The contexts `owner` reads, first match wins, and what a key bound in none
/// of them does (typing into a text field, or nothing).
pub fn chain(owner: Owner) -> (&'static [Context], Action) {
    use Context::*;
    match owner {
        Owner::Help => (&[Anywhere, Help], Action::None),
        Owner::Prompt => (&[Anywhere, Prompt], Action::PromptEdit),
        Owner::Picker => (&[Anywhere, Picker], Action::PickerKey),
        Owner::Confirm => (&[Anywhere, Confirm], Action::None),
        Owner::Copied => (&[Anywhere, Copied], Action::None),
        Owner::Filter => (&[Anywhere, Filter], Action::FilterKey),
        Owner::Query => (&[Anywhere, Busy, Query], Action::Edit),
        Owner::Detail => (&[Anywhere, Busy, Detail, Table, Global], Action::None),
        Owner::Summary => (&[Anywhere, Busy, Summary, Global], Action::None),
        Owner::Verdict => (&[Anywhere, Busy, Verdict, Global], Action::None),
        Owner::Bills => (&[Anywhere, Busy, Bills, Global], Action::None),
        Owner::Batch => (&[Anywhere, Busy, Batch, Global], Action::None),
        Owner::Table => (&[Anywhere, Busy, Table, Global], Action::None),
    }
}

/// A key as bound: its code and whether Ctrl is held (Shift is read from
/// the character itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    pub fn matches(self, key: KeyEvent) -> bool {
        self.code == key.code && self.ctrl == key.modifiers.contains(KeyModifiers::CONTROL)
    }

    pub fn event(self) -> KeyEvent {
        let modifiers = if self.ctrl { KeyModifiers::CONTROL } else { KeyModifiers::NONE };
        KeyEvent::new(self.code, modifiers)
    }

    /// How help names the key.
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) if self.ctrl => return format!("Ctrl-{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Delete".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("Ctrl-{name}") } else { name }
    }
}

const fn c(ch: char) -> Key {
    Key { code: KeyCode::Char(ch), ctrl: false }
}

const fn ctrl(ch: char) -> Key {
    Key { code: KeyCode::Char(ch), ctrl: true }
}

const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const ENTER: Key = k(KeyCode::Enter);
const ESC: Key = k(KeyCode::Esc);
const TAB: Key = k(KeyCode::Tab);
const BACKTAB: Key = k(KeyCode::BackTab);
const UP: Key = k(KeyCode::Up);
const DOWN: Key = k(KeyCode::Down);
const LEFT: Key = k(KeyCode::Left);
const RIGHT: Key = k(KeyCode::Right);
const PGUP: Key = k(KeyCode::PageUp);
const PGDN: Key = k(KeyCode::PageDown);
const HOME: Key = k(KeyCode::Home);
const END: Key = k(KeyCode::End);

/// A condition on the state for a binding to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Always,
    /// A request the screen waits for, or a fetch-all, is under way.
    Busy,
    /// The cursor is in the customer field, which holds a valid customer,
    /// and the rule is empty.
    CustomerAlone,
    /// The cursor is in the customer field.
    InCustomerField,
    Watching,
    /// The filter of what is drawn holds text.
    Filtering,
    /// The picker is the recent-queries list.
    RecentPicker,
}

impl When {
    pub fn holds(self, app: &App) -> bool {
        use crate::explorer::app::Field;
        let in_customer = app.form.focus == super::Focus::Input(Field::UserId);
        match self {
            When::Always => true,
            When::Busy => app.is_loading() || app.fetching_all(),
            When::CustomerAlone => {
                in_customer
                    && app.field(Field::RuleId).input.value().trim().is_empty()
                    && app.invalid(Field::UserId).is_none()
            }
            When::InCustomerField => in_customer,
            When::Watching => app.case.watch.is_some(),
            When::Filtering => app.filter().is_active(),
            When::RecentPicker => matches!(
                app.screen.overlay(),
                Some(super::state::Overlay::Picker(p)) if p.kind() == crate::explorer::features::pickers::picker::PickerKind::Recent
            ),
        }
    }
}

/// One binding: in `context`, when `when` holds, `keys` do `action`.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub when: When,
    pub action: Action,
    /// What help says it does.
    pub help: &'static str,
}

const fn b(context: Context, keys: &'static [Key], action: Action, help: &'static str) -> Binding {
    Binding { context, keys, when: When::Always, action, help }
}

const fn when(context: Context, keys: &'static [Key], when: When, action: Action, help: &'static str) -> Binding {
    Binding { context, keys, when, action, help }
}

use Context as X;

/// Every binding. Within a context the first that matches wins, so guarded
/// bindings stand before the plain one for the same key.
pub static BINDINGS: &[Binding] = &[
    b(X::Anywhere, &[ctrl('c')], Action::Quit, "quit"),
    when(X::Busy, &[ESC], When::Busy, Action::Cancel, "cancel the request or fetch-all under way"),
    // The query fields.
    when(X::Query, &[ENTER], When::CustomerAlone, Action::PickTarget, "customer alone: pick one of their targets"),
    b(X::Query, &[ENTER], Action::Submit, "fetch page 1 of the query"),
    when(X::Query, &[UP], When::InCustomerField, Action::PickRecent, "in the customer field: recent queries"),
    b(X::Query, &[TAB], Action::FocusNext, "next field, then the table"),
    b(X::Query, &[BACKTAB], Action::FocusPrev, "previous field"),
    b(X::Query, &[ESC], Action::LeaveInput, "leave the fields for what is drawn below"),
    b(X::Query, &[c('?')], Action::ToggleHelp, "this help"),
    b(X::Query, &[PGDN], Action::NextPage, "next page"),
    b(X::Query, &[PGUP], Action::PrevPage, "previous page"),
    b(X::Query, &[LEFT, RIGHT], Action::Edit, "move the cursor"),
    b(X::Query, &[HOME, END], Action::Edit, "start / end of the text"),
    b(X::Query, &[ctrl('a'), ctrl('e')], Action::Edit, "the same, as in a shell"),
    b(X::Query, &[k(KeyCode::Backspace), k(KeyCode::Delete)], Action::Edit, "delete before / at the cursor"),
    b(X::Query, &[ctrl('w')], Action::Edit, "delete the word before the cursor"),
    b(X::Query, &[ctrl('u')], Action::Edit, "clear the field"),
    b(X::Query, &[ctrl('k')], Action::Edit, "delete to the end"),
    // The events table.
    b(X::Table, &[c('j'), DOWN], Action::Down, "next row"),
    b(X::Table, &[c('k'), UP], Action::Up, "previous row"),
    b(X::Table, &[PGDN, PGUP], Action::Screenful, "a screen down / up"),
    b(X::Table, &[c('g'), HOME], Action::Top, "first row"),
    b(X::Table, &[c('G'), END], Action::Bottom, "last row"),
    b(X::Table, &[ENTER], Action::OpenDetail, "the selected event's details"),
    b(X::Table, &[c('n'), c(']'), RIGHT], Action::NextPage, "next page"),
    b(X::Table, &[c('p'), c('['), LEFT], Action::PrevPage, "previous page"),
    b(X::Table, &[c('{')], Action::FirstPage, "first page"),
    b(X::Table, &[c('}')], Action::LastPage, "last page"),
    b(X::Table, &[c(':'), c('#')], Action::AskPage, "go to a page number"),
    b(X::Table, &[c('=')], Action::AskLimit, "change the page size (limit)"),
    b(X::Table, &[c('v')], Action::ToggleRaw, "the event's raw JSON in the detail pane"),
    b(X::Table, &[c('/')], Action::StartFilter, "filter the loaded events"),
    b(X::Table, &[c('o')], Action::CycleSort, "sort by the next column"),
    b(X::Table, &[c('O')], Action::ReverseSort, "reverse the sort"),
    b(X::Table, &[c('x')], Action::AskExport, "export the view to CSV, JSON or JSON Lines"),
    b(X::Table, &[c('y')], Action::Copy, "copy the selected event as JSON"),
    when(X::Table, &[ESC], When::Watching, Action::ToggleWatch, "stop watching"),
    when(X::Table, &[ESC], When::Filtering, Action::ClearFilter, "clear the filter"),
    b(X::Table, &[ESC], Action::EditQuery, "back to the customer field"),
    // The detail pane (the table's other keys work beside it).
    b(X::Detail, &[c('j'), DOWN], Action::Down, "scroll down"),
    b(X::Detail, &[c('k'), UP], Action::Up, "scroll up"),
    b(X::Detail, &[PGDN, PGUP], Action::Screenful, "scroll a screen"),
    b(X::Detail, &[c('g'), HOME], Action::Top, "top"),
    b(X::Detail, &[c('G'), END], Action::Bottom, "bottom"),
    b(X::Detail, &[ESC], Action::Close, "back to the table"),
    // The summary.
    b(X::Summary, &[c('j'), DOWN], Action::Down, "next period"),
    b(X::Summary, &[c('k'), UP], Action::Up, "previous period"),
    b(X::Summary, &[c('g'), HOME], Action::Top, "first period"),
    b(X::Summary, &[c('G'), END], Action::Bottom, "last period"),
    b(X::Summary, &[ENTER], Action::OpenVerdict, "the verdict of the selected period"),
    b(X::Summary, &[c('/')], Action::StartFilter, "filter the events summed"),
    b(X::Summary, &[c('x')], Action::AskExport, "export the events summed"),
    b(X::Summary, &[c('y')], Action::Copy, "copy the summary as text"),
    b(X::Summary, &[ESC, c('s')], Action::Close, "close"),
    // The verdict.
    b(X::Verdict, &[c('j'), DOWN], Action::Down, "next period, or event"),
    b(X::Verdict, &[c('k'), UP], Action::Up, "previous period, or event"),
    b(X::Verdict, &[TAB], Action::VerdictSwitch, "between the periods and their events"),
    b(X::Verdict, &[ENTER], Action::OpenVerdictEvent, "select the event in the table"),
    b(X::Verdict, &[c('x')], Action::AskExport, "save the case note (Markdown)"),
    b(X::Verdict, &[c('y')], Action::Copy, "copy the case note"),
    b(X::Verdict, &[c('m')], Action::CopyReply, "copy a reply for the customer (plain sentences)"),
    b(X::Bills, &[c('j'), DOWN], Action::Down, "next bill"),
    b(X::Bills, &[c('k'), UP], Action::Up, "previous bill"),
    b(X::Bills, &[PGDN, PGUP], Action::Screenful, "a screenful of bills"),
    b(X::Bills, &[c('g'), HOME], Action::Top, "first bill"),
    b(X::Bills, &[c('G'), END], Action::Bottom, "last bill"),
    b(X::Bills, &[c('/')], Action::StartFilter, "filter the bills (every column)"),
    b(X::Bills, &[c('o')], Action::CycleSort, "sort by the next column"),
    b(X::Bills, &[c('O')], Action::ReverseSort, "reverse the sort"),
    b(X::Bills, &[c('v')], Action::ToggleRaw, "the bill's raw JSON, or its story"),
    b(X::Bills, &[c('J')], Action::DetailDown, "scroll the bill's story or JSON down"),
    b(X::Bills, &[c('K')], Action::DetailUp, "scroll the bill's story or JSON up"),
    b(X::Bills, &[c('y')], Action::Copy, "copy the bill as JSON"),
    b(X::Bills, &[c('n')], Action::CopyBillNumber, "copy the bill's number"),
    b(X::Bills, &[ESC, c('B')], Action::Close, "close"),
    b(X::Verdict, &[c('/')], Action::StartFilter, "no filter here: says so"),
    b(X::Verdict, &[ESC, c('e')], Action::Close, "close"),
    // The batch table.
    b(X::Batch, &[c('j'), DOWN], Action::Down, "next row"),
    b(X::Batch, &[c('k'), UP], Action::Up, "previous row"),
    b(X::Batch, &[PGDN, PGUP], Action::Screenful, "a screen down / up"),
    b(X::Batch, &[c('g'), HOME], Action::Top, "first row"),
    b(X::Batch, &[c('G'), END], Action::Bottom, "last row"),
    b(X::Batch, &[ENTER], Action::OpenBatchRow, "that customer's events for the row's target"),
    b(X::Batch, &[c('e')], Action::BatchRowVerdict, "the verdict of the row's period"),
    b(
        X::Batch,
        &[c('c')],
        Action::ToggleCauses,
        "why they missed, by cause (Enter: a cause's customers, again: a verdict)",
    ),
    b(X::Batch, &[c('/')], Action::StartFilter, "filter the rows"),
    b(X::Batch, &[c('o')], Action::CycleSort, "sort by the next column"),
    b(X::Batch, &[c('O')], Action::ReverseSort, "reverse the sort"),
    b(X::Batch, &[c('x')], Action::AskExport, "export the rows shown to CSV"),
    b(X::Batch, &[c('y')], Action::Copy, "copy the selected row"),
    when(X::Batch, &[ESC], When::Filtering, Action::ClearFilter, "clear the filter"),
    b(X::Batch, &[ESC, c('b')], Action::Close, "hide the batch table"),
    // Over the table and every panel.
    b(X::Global, &[TAB], Action::FocusNext, "table → detail → query fields"),
    b(X::Global, &[BACKTAB], Action::FocusPrev, "the other way"),
    b(X::Global, &[c('u'), c('i')], Action::EditQuery, "edit the query (a new customer)"),
    b(X::Global, &[c('t')], Action::PickTarget, "pick one of the customer's targets"),
    b(X::Global, &[c('P')], Action::PickPeriod, "pick a period of the target"),
    b(X::Global, &[c('h')], Action::PickRecent, "recent queries"),
    b(X::Global, &[c('T')], Action::PickProfile, "switch profile (tenant)"),
    b(X::Global, &[c('a')], Action::FetchAll, "fetch every page (Esc cancels)"),
    b(X::Global, &[c('s')], Action::ToggleSummary, "summary per period, with chart"),
    b(X::Global, &[c('e')], Action::ToggleVerdict, "verdict: reached or not, and why"),
    b(X::Global, &[c('B')], Action::ToggleBills, "the period's bills: counted or not, and why"),
    b(X::Global, &[c('w')], Action::ToggleWatch, "watch live for new events"),
    b(X::Global, &[c('b')], Action::ToggleBatch, "the batch table (batch in a terminal)"),
    b(X::Global, &[c('r')], Action::Refresh, "fetch again (retry)"),
    b(X::Global, &[c('c')], Action::CopyCurl, "copy the query as a cURL line"),
    b(X::Global, &[c('?')], Action::ToggleHelp, "this help"),
    b(X::Global, &[c('q')], Action::Quit, "quit"),
    // A filter being typed.
    b(X::Filter, &[ENTER, TAB], Action::EndFilter, "keep the filter, back to the rows"),
    b(X::Filter, &[ESC], Action::ClearFilter, "clear the filter"),
    // Pickers: typing narrows the list.
    b(X::Picker, &[DOWN, UP, PGDN, PGUP], Action::PickerMove, "move through the list"),
    when(X::Picker, &[k(KeyCode::Delete)], When::RecentPicker, Action::ForgetRecent, "recent: forget the entry"),
    when(X::Picker, &[ctrl('k')], When::RecentPicker, Action::ForgetAllRecent, "recent: forget them all"),
    when(X::Picker, &[TAB], When::RecentPicker, Action::OtherTenants, "recent: other tenants' too, or not"),
    b(X::Picker, &[ENTER], Action::Confirm, "choose"),
    b(X::Picker, &[ESC], Action::CloseOverlay, "close"),
    b(X::Prompt, &[ENTER], Action::Confirm, "go"),
    b(X::Prompt, &[ESC], Action::CloseOverlay, "close"),
    b(X::Confirm, &[c('y'), c('Y')], Action::Confirm, "yes"),
    b(X::Confirm, &[c('n'), ESC, c('N'), ENTER, c('q')], Action::CloseOverlay, "no"),
    b(X::Copied, &[c('j'), DOWN], Action::Down, "scroll down"),
    b(X::Copied, &[c('k'), UP], Action::Up, "scroll up"),
    b(X::Copied, &[PGDN, PGUP], Action::Screenful, "scroll a screenful"),
    b(X::Copied, &[c('l'), RIGHT], Action::Right, "scroll right: long lines are kept whole"),
    b(X::Copied, &[c('h'), LEFT], Action::Left, "scroll left"),
    b(X::Copied, &[c('g'), HOME], Action::Top, "the first line"),
    b(X::Copied, &[c('G'), END], Action::Bottom, "the last line"),
    b(X::Copied, &[ESC, ENTER, c('q')], Action::CloseOverlay, "close"),
    b(X::Help, &[c('j'), DOWN], Action::Down, "scroll down"),
    b(X::Help, &[c('k'), UP], Action::Up, "scroll up"),
    b(X::Help, &[PGDN, PGUP], Action::Screenful, "a screenful down / up"),
    b(X::Help, &[c('g'), HOME], Action::Top, "the top"),
    b(X::Help, &[c('G'), END], Action::Bottom, "the end"),
    b(X::Help, &[ESC, c('?'), c('q'), ENTER], Action::CloseOverlay, "close"),
];

/// Lines help shows that are not keys: (context, what, how).
pub const NOTES: &[(Context, &str, &str)] = &[
    (Context::Query, "customer", "an id, or +91…/mobile:…, name@mail, external:…, card:…"),
    (Context::Query, "typing", "any other key types into the field"),
    (Context::Table, "mouse", "the wheel scrolls, a click selects"),
    (Context::Table, "⇄ in Period", "dated outside the period it counted in"),
    (Context::Table, "⚠ Processed", "processed over an hour after its date"),
    (Context::Filter, "typing", "narrows the rows as you type"),
    (Context::Picker, "typing", "narrows the list"),
];

/// The order of help's sections.
pub const HELP_ORDER: [Context; 16] = [
    Context::Query,
    Context::Table,
    Context::Detail,
    Context::Summary,
    Context::Verdict,
    Context::Bills,
    Context::Batch,
    Context::Global,
    Context::Filter,
    Context::Picker,
    Context::Prompt,
    Context::Confirm,
    Context::Copied,
    Context::Help,
    Context::Busy,
    Context::Anywhere,
];

/// The actions that open a context, for its title in help ("Verdict (e)").
fn opened_by(context: Context) -> &'static [Action] {
    match context {
        Context::Summary => &[Action::ToggleSummary],
        Context::Verdict => &[Action::ToggleVerdict],
        Context::Bills => &[Action::ToggleBills],
        Context::Batch => &[Action::ToggleBatch],
        Context::Filter => &[Action::StartFilter],
        Context::Picker => &[Action::PickTarget, Action::PickPeriod, Action::PickRecent, Action::PickProfile],
        Context::Prompt => &[Action::AskPage, Action::AskLimit, Action::AskExport],
        _ => &[],
    }
}

/// Help's sections: a title (with the keys in force that open it) and
/// (keys, what they do) lines, from the table in force.
pub fn help_sections(keymap: &Keymap) -> Vec<(String, Vec<(String, &'static str)>)> {
    HELP_ORDER
        .iter()
        .map(|&context| {
            let openers: Vec<String> = opened_by(context)
                .iter()
                .filter_map(|a| keys_for(keymap, Owner::Table, *a).and_then(|k| k.first()).map(|k| k.label()))
                .collect();
            let title = if openers.is_empty() {
                context.title().to_string()
            } else {
                format!("{} ({})", context.title(), openers.join(" "))
            };
            let mut lines: Vec<(String, &'static str)> = keymap
                .bindings()
                .iter()
                .filter(|b| b.context == context)
                .map(|b| (b.keys.iter().map(|k| k.label()).collect::<Vec<_>>().join(" "), b.help))
                .collect();
            lines.extend(NOTES.iter().filter(|(c, _, _)| *c == context).map(|(_, what, how)| (what.to_string(), *how)));
            (title, lines)
        })
        .collect()
}

/// The binding `key` meets for whoever owns the screen, if any.
pub fn binding_for(app: &App, key: KeyEvent) -> Option<&Binding> {
    let (contexts, _) = chain(app.owner());
    contexts.iter().find_map(|&context| {
        app.keymap
            .bindings()
            .iter()
            .filter(|b| b.context == context)
            .find(|b| b.keys.iter().any(|k| k.matches(key)) && b.when.holds(app))
    })
}

/// What `key` means now.
pub fn action_for(app: &App, key: KeyEvent) -> Action {
    if key.kind == KeyEventKind::Release {
        return Action::None;
    }
    if super::layout::too_small(app.chrome.size) {
        // Nothing else is on screen: only quitting makes sense.
        let quit = Key::matches(ctrl('c'), key) || Key::matches(c('q'), key);
        return if quit { Action::Quit } else { Action::None };
    }
    match binding_for(app, key) {
        Some(b) => b.action,
        None => chain(app.owner()).1,
    }
}

/// A footer's item: the actions it names (their keys joined with `/`) and
/// the words after them.
pub type FooterItem = (&'static [Action], &'static str);

/// What each panel's footer names, read from [`BINDINGS`] like help, so a
/// footer cannot name a key that does something else.
pub mod footers {
    use super::Action::*;
    use super::FooterItem;

    pub const BILLS: &[FooterItem] = &[
        (&[Down, Up], "bill"),
        (&[StartFilter], "filter"),
        (&[CycleSort], "sort"),
        (&[ToggleRaw], "raw JSON"),
        (&[DetailDown, DetailUp], "scroll"),
        (&[Copy], "copy"),
        (&[CopyBillNumber], "number"),
        (&[Close], "closes"),
    ];
    pub const SUMMARY: &[FooterItem] =
        &[(&[Down, Up], "period"), (&[OpenVerdict], "its verdict"), (&[Copy], "copy"), (&[Close], "closes")];
    pub const BATCH: &[FooterItem] = &[
        (&[OpenBatchRow], "events"),
        (&[BatchRowVerdict], "verdict"),
        (&[StartFilter], "filter"),
        (&[CycleSort], "sort"),
        (&[ToggleCauses], "causes"),
        (&[ClearFilter], "clears the filter"),
        (&[Close], "hides"),
    ];
    pub const BATCH_CAUSES: &[FooterItem] =
        &[(&[Down, Up], "cause"), (&[OpenBatchRow], "its customers"), (&[ToggleCauses], "rows"), (&[Close], "back")];
    pub const BATCH_CAUSE_ROWS: &[FooterItem] =
        &[(&[Down, Up], "customer"), (&[OpenBatchRow], "verdict"), (&[Close], "back")];
    pub const VERDICT_PERIODS: &[FooterItem] = &[
        (&[Down, Up], "period"),
        (&[VerdictSwitch], "events"),
        (&[ToggleBills], "bills"),
        (&[AskExport, Copy], "note"),
        (&[CopyReply], "reply"),
        (&[Close], "closes"),
    ];
    pub const PICKER: &[FooterItem] = &[(&[PickerMove], "move"), (&[Confirm], "choose"), (&[CloseOverlay], "closes")];
    pub const PICKER_RECENT: &[FooterItem] = &[
        (&[Confirm], "opens"),
        (&[OtherTenants], "tenants"),
        (&[ForgetRecent], "removes"),
        (&[ForgetAllRecent], "clears"),
        (&[CloseOverlay], "closes"),
    ];
    pub const CONFIRM: &[FooterItem] = &[(&[Confirm], "yes"), (&[CloseOverlay], "no")];
    pub const PROMPT: &[FooterItem] = &[(&[Confirm], "goes"), (&[CloseOverlay], "cancels")];
    pub const FILTER: &[FooterItem] = &[(&[EndFilter], "keeps"), (&[ClearFilter], "clears")];
    pub const HELP: &[FooterItem] = &[(&[Down, Up], "scroll"), (&[CloseOverlay], "closes")];
    pub const HELP_WHOLE: &[FooterItem] = &[(&[CloseOverlay], "closes")];
    pub const COPIED: &[FooterItem] =
        &[(&[Down, Up], "scroll"), (&[Left, Right], "sideways"), (&[CloseOverlay], "closes")];
    pub const COPIED_NARROW: &[FooterItem] = &[(&[Down, Up], "scroll"), (&[CloseOverlay], "closes")];
    pub const COPIED_WHOLE: &[FooterItem] = &[(&[Left, Right], "sideways"), (&[CloseOverlay], "closes")];
    pub const VERDICT_EVENTS: &[FooterItem] = &[
        (&[Down, Up], "event"),
        (&[OpenVerdictEvent], "shows it"),
        (&[VerdictSwitch], "periods"),
        (&[AskExport, Copy], "note"),
        (&[CopyReply], "reply"),
        (&[Close], "closes"),
    ];
}

/// The keys bound to `action` where `owner` has the screen: the first
/// binding along its chain, as dispatch finds it.
pub fn keys_for(keymap: &Keymap, owner: Owner, action: Action) -> Option<&'static [Key]> {
    let (contexts, _) = chain(owner);
    contexts
        .iter()
        .find_map(|ctx| keymap.bindings().iter().find(|b| b.context == *ctx && b.action == action).map(|b| b.keys))
}

/// A panel's footer where `owner` is the panel: its keys when it has them;
/// while the query fields have them (the panel still drawn), that is what it
/// says, with the key that gives them back.
pub fn panel_footer(app: &App, owner: Owner, items: &[FooterItem]) -> String {
    if app.owner() == Owner::Query {
        return format!(
            " typing in the query fields · {} back to this panel ",
            key_of(&app.keymap, Owner::Query, Action::LeaveInput)
        );
    }
    footer_now(app, owner, items)
}

/// [`footer`], as the keys stand now: a key a guarded binding takes for
/// something else at this moment (Esc clearing a kept filter) is left out of
/// the item it would not do.
pub fn footer_now(app: &App, owner: Owner, items: &[FooterItem]) -> String {
    let (contexts, _) = chain(owner);
    // What the key does now, guards and all.
    let now = |key: Key| {
        contexts.iter().find_map(|&context| {
            app.keymap
                .bindings()
                .iter()
                .filter(|b| b.context == context)
                .find(|b| b.keys.contains(&key) && b.when.holds(app))
                .map(|b| b.action)
        })
    };
    footer_with(&app.keymap, owner, items, |key, action| now(key) == Some(action))
}

/// A footer for `owner`: " j/k period · Tab events · Esc/e closes ". An item
/// of one action names its first two keys that are not arrows or paging
/// keys; an item of several names each one's first key. An item with no key
/// is left out.
pub fn footer(keymap: &Keymap, owner: Owner, items: &[FooterItem]) -> String {
    footer_with(keymap, owner, items, |_, _| true)
}

/// [`footer`] naming only the keys `keeps` lets through for each action.
fn footer_with(keymap: &Keymap, owner: Owner, items: &[FooterItem], keeps: impl Fn(Key, Action) -> bool) -> String {
    let quiet = |k: &&Key| {
        !matches!(
            k.code,
            KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right | KeyCode::PageUp | KeyCode::PageDown
        )
    };
    let kept = |action: Action| -> Vec<Key> {
        keys_for(keymap, owner, action).unwrap_or_default().iter().copied().filter(|k| keeps(*k, action)).collect()
    };
    let parts: Vec<String> = items
        .iter()
        .filter_map(|(actions, words)| {
            let labels: Vec<String> = match actions {
                [one] => {
                    let keys = kept(*one);
                    // Arrows are named only when nothing else does it.
                    let named: Vec<String> = keys.iter().filter(quiet).take(2).map(|k| k.label()).collect();
                    if named.is_empty() { keys.iter().take(2).map(|k| k.label()).collect() } else { named }
                }
                many => many.iter().map(|a| kept(*a).first().map(|k| k.label())).collect::<Option<_>>()?,
            };
            (!labels.is_empty()).then(|| format!("{} {words}", labels.join("/")))
        })
        .collect();
    if parts.is_empty() { String::new() } else { format!(" {} ", parts.join(" · ")) }
}

/// The key a message names for `action` where `owner` has the screen ("r",
/// "Esc"), read from [`BINDINGS`] so a hint cannot name a key that does
/// something else; "?" when none is bound (a test keeps that from happening).
pub fn key_of(keymap: &Keymap, owner: Owner, action: Action) -> String {
    // Under an overlay that does not take it (a picker over the table), the
    // key is the one that works once the overlay is gone.
    keys_for(keymap, owner, action)
        .or_else(|| keys_for(keymap, Owner::Table, action))
        .and_then(|k| k.first())
        .map_or_else(|| "?".into(), |k| k.label())
}
