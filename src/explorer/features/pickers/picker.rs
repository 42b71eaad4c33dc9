//! Pick-from-a-list overlays: the customer's targets, a group's periods, and
//! recent queries. Typing narrows the list; the keyboard does everything.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rust_decimal::prelude::ToPrimitive;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::api::model::{Money, TargetPeriod, UserTargetGroup};
use crate::api::{ApiError, EventsQuery};

use crate::config::ProfileChoice;
use crate::explorer::features::pickers::recent::RecentQuery;

/// One target of the customer in one period.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetChoice {
    pub group_id: i64,
    pub group_name: String,
    pub target_name: String,
    pub rule_id: i64,
    pub period_id: Option<i64>,
    pub ref_code: String,
    pub start: String,
    pub end: String,
    pub target: Option<Money>,
    pub achieved: Option<Money>,
    pub current: bool,
    /// The latest period that ended without the target reached: what a
    /// caller who says "I spent enough" is most likely calling about.
    pub missed: bool,
}

impl TargetChoice {
    /// Every target of every group, the latest ended period not reached
    /// (by `today`) marked as missed.
    pub fn from_groups(groups: &[UserTargetGroup], today: chrono::NaiveDate) -> Vec<TargetChoice> {
        let mut v = Vec::new();
        for g in groups {
            for t in &g.targets {
                v.push(TargetChoice {
                    group_id: g.id,
                    group_name: g.name.clone().unwrap_or_default(),
                    target_name: t.target_name.clone().unwrap_or_default(),
                    rule_id: t.target_rule_id,
                    period_id: t.period_id,
                    ref_code: t.period_ref_code.clone().unwrap_or_default(),
                    start: t.period_start_date.clone().unwrap_or_default(),
                    end: t.period_end_date.clone().unwrap_or_default(),
                    target: t.target_value,
                    achieved: t.target_achieved_value,
                    current: t.current_period.unwrap_or(false),
                    missed: false,
                });
            }
        }
        let ended = |t: &TargetChoice| {
            let end = crate::core::verdict::parse_day(Some(&t.end))?;
            (!t.current && end < today && t.target.is_some_and(|v| v.0 > rust_decimal::Decimal::ZERO) && !t.reached())
                .then_some(end)
        };
        if let Some(at) = (0..v.len()).filter_map(|i| Some((ended(&v[i])?, i))).max().map(|(_, i)| i) {
            v[at].missed = true;
        }
        v
    }

    /// Achieved over target, 0–1, for the gauge (display only). A quotient
    /// too large for a Decimal (a huge value over a tiny target) is 1.
    pub fn ratio(&self) -> Option<f64> {
        let (a, t) = (self.achieved?, self.target?);
        if t.0.is_zero() || t.0.is_sign_negative() {
            return None;
        }
        let r = match a.0.checked_div(t.0) {
            Some(q) => q.to_f64()?,
            None if a.0.is_sign_negative() => 0.0,
            None => 1.0,
        };
        Some(r.clamp(0.0, 1.0))
    }

    /// Whether the API's achieved value reaches the target (exact).
    pub fn reached(&self) -> bool {
        matches!((self.achieved, self.target), (Some(a), Some(t)) if a.0 >= t.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum PickerItem {
    Target(TargetChoice),
    Period(TargetPeriod),
    Recent(RecentQuery),
    Profile(ProfileChoice),
}

impl PickerItem {
    /// What typing matches against.
    pub fn search_text(&self) -> String {
        match self {
            PickerItem::Target(t) => format!(
                "{} {} {} {} {} {} {}",
                t.group_name,
                t.target_name,
                t.rule_id,
                t.period_id.unwrap_or_default(),
                t.ref_code,
                t.start,
                t.end
            ),
            PickerItem::Period(p) => format!(
                "{} {} {} {} {}",
                p.id,
                p.ref_code.as_deref().unwrap_or(""),
                p.start_date.as_deref().unwrap_or(""),
                p.end_date.as_deref().unwrap_or(""),
                p.period_status.as_deref().unwrap_or("")
            ),
            PickerItem::Recent(r) => format!(
                "{} {} {} {}",
                r.typed.as_deref().unwrap_or(""),
                r.user_id,
                r.rule_id,
                r.period_id.unwrap_or_default()
            ),
            PickerItem::Profile(p) => format!("{} {}", p.name, p.origin),
        }
        .to_lowercase()
    }
}

/// What a key in a picker means beyond the picker itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickerEvent {
    None,
    /// This recent query was removed from the list.
    Forget(RecentQuery),
    /// The whole recent list is to be cleared.
    ForgetAll,
    /// Show (or hide) the recent queries of other tenants.
    OtherTenants,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickerKind {
    Targets { user_id: i64 },
    Periods { group_id: i64 },
    Recent,
    Profiles,
}

#[derive(Clone, Debug)]
pub struct Picker {
    pub(in crate::explorer::features::pickers) kind: PickerKind,
    pub(in crate::explorer::features::pickers) items: Vec<PickerItem>,
    pub(in crate::explorer::features::pickers) filter: Input,
    /// Index into [`Picker::visible`].
    pub(in crate::explorer::features::pickers) selected: usize,
    pub(in crate::explorer::features::pickers) loading: bool,
    pub(in crate::explorer::features::pickers) error: Option<ApiError>,
    /// Why the picker was opened, shown above the list.
    pub(in crate::explorer::features::pickers) note: Option<String>,
    /// Which lookup this picker waits for.
    pub(in crate::explorer::features::pickers) generation: u64,
    /// The recent list shows every tenant's queries, not only this one's.
    pub(in crate::explorer::features::pickers) all_tenants: bool,
}

impl Picker {
    /// What the picker lists.
    pub fn kind(&self) -> PickerKind {
        self.kind
    }

    /// Waiting for its list.
    pub fn loading(&self) -> bool {
        self.loading
    }

    /// The narrowing text, for a paste: the list starts again from its top.
    pub(crate) fn filter_for_paste(&mut self) -> &mut tui_input::Input {
        self.selected = 0;
        &mut self.filter
    }

    pub fn new(kind: PickerKind, generation: u64) -> Picker {
        Picker {
            kind,
            items: Vec::new(),
            filter: Input::default(),
            selected: 0,
            loading: true,
            error: None,
            note: None,
            all_tenants: false,
            generation,
        }
    }

    pub fn with_items(kind: PickerKind, items: Vec<PickerItem>) -> Picker {
        Picker { items, loading: false, ..Picker::new(kind, 0) }
    }

    /// Indices of the items that match what was typed.
    pub fn visible(&self) -> Vec<usize> {
        let needle = self.filter.value().trim().to_lowercase();
        let words: Vec<&str> = needle.split_whitespace().collect();
        (0..self.items.len())
            .filter(|&i| {
                let hay = self.items[i].search_text();
                words.iter().all(|w| hay.contains(w))
            })
            .collect()
    }

    /// Moves, filters, or (in the recent list) removes entries.
    pub fn key(&mut self, key: KeyEvent) -> PickerEvent {
        let visible = self.visible().len();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Down => self.selected = (self.selected + 1).min(visible.saturating_sub(1)),
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::PageDown => self.selected = (self.selected + 10).min(visible.saturating_sub(1)),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            KeyCode::Delete if self.kind == PickerKind::Recent => {
                if let Some(PickerItem::Recent(r)) = self.selected_item().cloned() {
                    self.items.retain(|i| *i != PickerItem::Recent(r.clone()));
                    self.selected = self.selected.min(self.visible().len().saturating_sub(1));
                    return PickerEvent::Forget(r);
                }
            }
            KeyCode::Char('k') if ctrl && self.kind == PickerKind::Recent => return PickerEvent::ForgetAll,
            KeyCode::Tab if self.kind == PickerKind::Recent => return PickerEvent::OtherTenants,
            _ => {
                let before = self.filter.value().to_string();
                self.filter.handle_event(&Event::Key(key));
                if self.filter.value() != before {
                    self.selected = 0;
                }
            }
        }
        PickerEvent::None
    }

    /// Selects the latest ended period not reached (✗), else the first
    /// current one (●), so Enter opens what the caller is calling about.
    pub fn select_current(&mut self) {
        let at = |pred: &dyn Fn(&TargetChoice) -> bool| {
            self.visible().iter().position(|&i| matches!(&self.items[i], PickerItem::Target(t) if pred(t)))
        };
        self.selected = at(&|t| t.missed).or_else(|| at(&|t| t.current)).unwrap_or(0);
    }

    pub fn selected_item(&self) -> Option<&PickerItem> {
        self.visible().get(self.selected).map(|&i| &self.items[i])
    }

    pub fn title(&self) -> String {
        match self.kind {
            PickerKind::Targets { user_id } => format!(" Targets of customer {user_id} "),
            PickerKind::Periods { group_id } => format!(" Periods of target group {group_id} "),
            PickerKind::Recent => " Recent queries ".to_string(),
            PickerKind::Profiles => " Profiles ".to_string(),
        }
    }
}

/// The query a recent entry stands for, at page 1.
pub fn recent_query(r: &RecentQuery, limit: u32) -> EventsQuery {
    EventsQuery { user_id: r.user_id, rule_id: r.rule_id, period_id: r.period_id, limit, page: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(achieved: &str, target: &str) -> TargetChoice {
        TargetChoice {
            group_id: 1,
            group_name: String::new(),
            target_name: String::new(),
            rule_id: 1,
            period_id: None,
            ref_code: String::new(),
            start: String::new(),
            end: String::new(),
            target: Money::parse(target),
            achieved: Money::parse(achieved),
            current: false,
            missed: false,
        }
    }

    #[test]
    fn extreme_figures_give_a_ratio_never_a_panic() {
        let huge = choice("79228162514264337593543950335", "0.0000000000000000000000000001");
        assert_eq!(huge.ratio(), Some(1.0));
        assert!(huge.reached());
        let negative = choice("-79228162514264337593543950335", "0.0000000000000000000000000001");
        assert_eq!(negative.ratio(), Some(0.0));
        assert!(!choice("4820.50", "5000.00").reached());
        assert_eq!(choice("1", "0").ratio(), None);
    }
}
