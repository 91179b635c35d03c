//! The address type-ahead on the form (issue 28, item 2): what is typed in the tambon field
//! opens the list of matching tambons; a name typed in full that names exactly one tambon fills
//! amphoe, province and postcode at once (no list to pick from), several tambons of that name
//! are offered to pick from. A pick fills the same fields and the focus goes on to the next
//! empty field.

use super::{Form, POPUP_MAX, Popup};
use crate::core::form::FieldKey;
use crate::core::form::address::{self, Entry};

/// The fields a tambon row fills besides the tambon.
const FILLED: [FieldKey; 3] = [FieldKey::Amphoe, FieldKey::Province, FieldKey::Postcode];

impl Form {
    /// Refreshes the tambon popup from what is typed in the tambon field (`home`: the campaign's
    /// province, ranked first); an exact name of one tambon fills the address.
    pub fn refresh_popup(&mut self, home: Option<&str>) {
        let typed = self
            .slot(FieldKey::Tambon)
            .map(|s| s.widget.value())
            .unwrap_or_default();
        let q = typed.trim();
        if self.address_from.is_some_and(|from| from.tambon != q) {
            self.address_from = None;
        }
        let named = address::index().named(q);
        if let [only] = named[..] {
            self.fill(only);
            self.popup = None;
            return;
        }
        let matches = if named.is_empty() {
            address::index().search(q, home, POPUP_MAX)
        } else {
            // Several tambons of this name: only they are offered, the home province first.
            let mut named = named;
            named.sort_by_key(|e| home != Some(e.province));
            named.truncate(POPUP_MAX);
            named
        };
        self.popup = (!matches.is_empty()).then_some(Popup {
            matches,
            selected: 0,
        });
    }

    /// Fills tambon, amphoe, province and postcode from a picked row.
    pub fn pick(&mut self, e: Entry) {
        if let Some(s) = self.slot_mut(FieldKey::Tambon) {
            s.widget.set_value(e.tambon);
        }
        self.from_card.remove(&FieldKey::Tambon);
        self.fill(e);
        self.popup = None;
    }

    /// Amphoe, province and postcode from `e`.
    fn fill(&mut self, e: Entry) {
        for (k, v) in FILLED.into_iter().zip([e.amphoe, e.province, e.postcode]) {
            if let Some(s) = self.slot_mut(k) {
                s.widget.set_value(v);
            }
            self.from_card.remove(&k);
        }
        self.address_from = Some(e);
    }

    /// Whether amphoe, province and postcode were filled from the tambon typed or picked.
    #[must_use]
    pub fn address_filled(&self) -> bool {
        self.address_from.is_some()
    }

    /// After a pick: the focus goes to the next field after the address that takes a Tab stop
    /// and is still empty (else the one after the address), marking the tambon as left.
    pub fn move_past_address(&mut self) {
        self.touched.insert(self.focus);
        self.popup = None;
        // After the last address field the campaign's form has (its file orders them).
        let after = self
            .slots
            .iter()
            .rposition(|s| s.key == FieldKey::Tambon || FILLED.contains(&s.key))
            .map_or(self.slots.len(), |i| i + 1);
        let next = self.slots[after.min(self.slots.len())..]
            .iter()
            .filter(|s| s.tab_stop)
            .find(|s| s.widget.value().is_empty())
            .or_else(|| {
                self.slots[after.min(self.slots.len())..]
                    .iter()
                    .find(|s| s.tab_stop)
            })
            .map(|s| s.key);
        if let Some(key) = next {
            self.focus = key;
        }
    }
}
