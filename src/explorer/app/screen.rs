//! Who owns the screen. What is open over the events table is one stack:
//! the top layer is the one drawn (in the main area, or over everything for
//! an overlay), the one that gets a key first, and the one `Esc` closes.
//! Drawing, key dispatch, help, the mouse, export and copy all read it.

use super::state::{Focus, Overlay};
use crate::explorer::features::verdict::state::VerdictPanel;

/// One thing open over the events table. The stack holds a handful at most,
/// so the sizes of the variants do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum Layer {
    /// The detail pane has the keyboard (it is drawn beside the table).
    Detail,
    Summary(SummaryPanel),
    Verdict(VerdictPanel),
    /// A period's bills.
    Bills(crate::explorer::features::bills::state::BillsPanel),
    /// The batch's rows (kept in the workflow while hidden).
    Batch,
    /// Help, a prompt, a picker, a question or copied text: over everything.
    Overlay(Overlay),
}

/// The kind of a layer, for code that asks what is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Panel {
    Detail,
    Summary,
    Verdict,
    Bills,
    Batch,
    Overlay,
}

impl Layer {
    pub fn panel(&self) -> Panel {
        match self {
            Layer::Detail => Panel::Detail,
            Layer::Summary(_) => Panel::Summary,
            Layer::Verdict(_) => Panel::Verdict,
            Layer::Bills(_) => Panel::Bills,
            Layer::Batch => Panel::Batch,
            Layer::Overlay(_) => Panel::Overlay,
        }
    }
}

pub use crate::explorer::features::summary::state::SummaryPanel;

/// The stack of open layers, bottom first.
#[derive(Clone, Debug, Default)]
pub struct Stack(Vec<Layer>);

impl Stack {
    pub fn layers(&self) -> &[Layer] {
        &self.0
    }

    pub fn top(&self) -> Option<Panel> {
        self.0.last().map(Layer::panel)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, panel: Panel) -> bool {
        self.0.iter().any(|l| l.panel() == panel)
    }

    /// Opens `layer` on top. A panel that is already open moves to the top
    /// (there is one of each); an overlay replaces an overlay on top (a
    /// question that follows a prompt takes its place).
    pub fn push(&mut self, layer: Layer) {
        let panel = layer.panel();
        if panel == Panel::Overlay {
            if self.top() == Some(Panel::Overlay) {
                self.0.pop();
            }
        } else {
            self.remove(panel);
        }
        self.0.push(layer);
    }

    /// Opens `layer` beneath the overlay on top, if one is: a panel that
    /// arrives later (an answer) never covers help, a prompt or a picker.
    pub fn push_beneath_overlay(&mut self, layer: Layer) {
        match self.close_overlay() {
            Some(overlay) => {
                self.push(layer);
                self.0.push(Layer::Overlay(overlay));
            }
            None => self.push(layer),
        }
    }

    /// Closes the top layer: the one drawn.
    pub fn pop(&mut self) -> Option<Layer> {
        self.0.pop()
    }

    /// Closes `panel` wherever it is in the stack.
    pub fn remove(&mut self, panel: Panel) -> Option<Layer> {
        let at = self.0.iter().position(|l| l.panel() == panel)?;
        Some(self.0.remove(at))
    }

    /// Closes everything: a new caller starts with the events table.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The panel drawn in the main area: the highest one that is not an overlay.
    pub fn main(&self) -> Option<Panel> {
        self.0.iter().rev().map(Layer::panel).find(|p| *p != Panel::Overlay)
    }

    /// The overlay on top, if the top is one.
    pub fn overlay(&self) -> Option<&Overlay> {
        match self.0.last() {
            Some(Layer::Overlay(o)) => Some(o),
            _ => None,
        }
    }

    pub fn overlay_mut(&mut self) -> Option<&mut Overlay> {
        match self.0.last_mut() {
            Some(Layer::Overlay(o)) => Some(o),
            _ => None,
        }
    }

    /// Opens an overlay over whatever is drawn.
    pub fn open_overlay(&mut self, overlay: Overlay) {
        self.push(Layer::Overlay(overlay));
    }

    /// Closes the overlay on top, if the top is one.
    pub fn close_overlay(&mut self) -> Option<Overlay> {
        match self.0.last() {
            Some(Layer::Overlay(_)) => match self.0.pop() {
                Some(Layer::Overlay(o)) => Some(o),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn summary(&self) -> Option<&SummaryPanel> {
        self.0.iter().find_map(|l| if let Layer::Summary(s) = l { Some(s) } else { None })
    }

    pub fn summary_mut(&mut self) -> Option<&mut SummaryPanel> {
        self.0.iter_mut().find_map(|l| if let Layer::Summary(s) = l { Some(s) } else { None })
    }

    pub fn verdict(&self) -> Option<&VerdictPanel> {
        self.0.iter().find_map(|l| if let Layer::Verdict(v) = l { Some(v) } else { None })
    }

    pub fn verdict_mut(&mut self) -> Option<&mut VerdictPanel> {
        self.0.iter_mut().find_map(|l| if let Layer::Verdict(v) = l { Some(v) } else { None })
    }

    pub fn bills(&self) -> Option<&crate::explorer::features::bills::state::BillsPanel> {
        self.0.iter().find_map(|l| if let Layer::Bills(b) = l { Some(b) } else { None })
    }

    pub fn bills_mut(&mut self) -> Option<&mut crate::explorer::features::bills::state::BillsPanel> {
        self.0.iter_mut().find_map(|l| if let Layer::Bills(b) = l { Some(b) } else { None })
    }
}

/// Who gets the next key: the one value key dispatch reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Help,
    Prompt,
    Picker,
    Confirm,
    Copied,
    /// A filter being typed, for the events or the batch rows.
    Filter,
    /// A query field (drawn above every panel, so it may have the keys
    /// while a panel stays drawn below).
    Query,
    Detail,
    Summary,
    Verdict,
    Bills,
    Batch,
    Table,
}

impl Owner {
    /// Every owner, for checks that walk them all.
    pub const ALL: [Owner; 13] = [
        Owner::Help,
        Owner::Prompt,
        Owner::Picker,
        Owner::Confirm,
        Owner::Copied,
        Owner::Filter,
        Owner::Query,
        Owner::Detail,
        Owner::Summary,
        Owner::Verdict,
        Owner::Bills,
        Owner::Batch,
        Owner::Table,
    ];
}

impl super::state::App {
    /// Who gets the next key: an overlay on top, then a filter being typed,
    /// then the query field with the cursor, then the panel drawn, then the
    /// table.
    pub fn owner(&self) -> Owner {
        if let Some(o) = self.screen.overlay() {
            return match o {
                Overlay::Help { .. } => Owner::Help,
                Overlay::Prompt { .. } => Owner::Prompt,
                Overlay::Picker(_) => Owner::Picker,
                Overlay::Confirm { .. } => Owner::Confirm,
                Overlay::Copied { .. } => Owner::Copied,
            };
        }
        if self.filter().editing {
            return Owner::Filter;
        }
        if matches!(self.form.focus, Focus::Input(_)) {
            return Owner::Query;
        }
        match self.screen.main() {
            Some(Panel::Detail) => Owner::Detail,
            Some(Panel::Summary) => Owner::Summary,
            Some(Panel::Verdict) => Owner::Verdict,
            Some(Panel::Bills) => Owner::Bills,
            Some(Panel::Batch) => Owner::Batch,
            Some(Panel::Overlay) | None => Owner::Table,
        }
    }

    /// Whether the batch table is the panel drawn.
    pub fn batch_open(&self) -> bool {
        self.screen.main() == Some(Panel::Batch)
    }

    /// The names the columns of what is drawn answer to in its filter.
    pub fn filter_names(&self) -> Vec<&'static str> {
        match self.screen.main() {
            Some(Panel::Bills) => crate::explorer::features::bills::state::filter_names(),
            Some(Panel::Batch) => crate::core::batch::columns::filter_names(),
            _ => crate::explorer::features::events::filter::COLUMN_NAMES.to_vec(),
        }
    }

    /// The filter of what is drawn: the batch rows' or the events'.
    pub fn filter(&self) -> &super::state::FilterState {
        if self.screen.main() == Some(Panel::Bills)
            && let Some(b) = self.screen.bills()
        {
            return b.filter();
        }
        match &self.workflow.batch {
            Some(b) if self.screen.main() == Some(Panel::Batch) => b.filter(),
            _ => &self.case.results.filter,
        }
    }

    pub(crate) fn filter_mut(&mut self) -> &mut super::state::FilterState {
        if self.screen.main() == Some(Panel::Bills) {
            // Checked above: the bills panel is the one drawn.
            return self.screen.bills_mut().expect("the bills panel is open").filter_state_mut();
        }
        match &mut self.workflow.batch {
            Some(b) if self.screen.main() == Some(Panel::Batch) => b.filter_state_mut(),
            _ => &mut self.case.results.filter,
        }
    }

    /// Opens `panel`, or closes it when it is the one drawn: the keys that
    /// open a panel (`s`, `e`, `b`) also close it.
    pub(crate) fn toggled_off(&mut self, panel: Panel) -> bool {
        if self.screen.main() == Some(panel) {
            self.screen.remove(panel);
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panel_opened_again_moves_to_the_top_and_esc_uncovers_the_one_below() {
        let mut s = Stack::default();
        s.push(Layer::Detail);
        s.push(Layer::Summary(SummaryPanel::default()));
        s.push(Layer::Batch);
        assert_eq!(s.main(), Some(Panel::Batch));
        s.push(Layer::Summary(SummaryPanel::default()));
        assert_eq!(
            s.layers().iter().map(Layer::panel).collect::<Vec<_>>(),
            [Panel::Detail, Panel::Batch, Panel::Summary]
        );
        s.pop();
        assert_eq!(s.main(), Some(Panel::Batch));
    }

    #[test]
    fn an_overlay_replaces_an_overlay_and_is_not_the_main_panel() {
        let mut s = Stack::default();
        s.push(Layer::Batch);
        s.open_overlay(Overlay::Help { scroll: 0 });
        s.open_overlay(Overlay::Help { scroll: 3 });
        assert_eq!(s.layers().len(), 2);
        assert_eq!(s.main(), Some(Panel::Batch));
        assert!(matches!(s.close_overlay(), Some(Overlay::Help { scroll: 3 })));
        assert!(s.close_overlay().is_none());
        assert_eq!(s.top(), Some(Panel::Batch));
    }
}
