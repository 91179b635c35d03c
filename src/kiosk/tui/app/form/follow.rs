//! What other fields do when one changes: the sex follows the title until the clerk chooses
//! one, and the group detail follows the target group (its label, whether it is required,
//! whether it takes a Tab stop, whether it holds words or a card number), and a question asked
//! of some groups only takes a Tab stop when the chosen group is one of them (and loses its
//! answer when another group is chosen).

use super::Form;
use crate::core::form::{Campaign, FieldKey};
use crate::kiosk::tui::app::fields::TextKind;

impl Form {
    /// After the target group changed: the group detail says what this group needs (its label
    /// from the campaign, `*` when required, digits and ASCII for a card number) and takes no
    /// Tab stop when the group has no detail (or none is chosen yet).
    pub fn follow_group(&mut self, campaign: &Campaign) {
        let chosen = self
            .slot(FieldKey::TargetGroup)
            .and_then(|s| s.widget.value().parse::<u8>().ok());
        for spec in campaign.questions().filter(|q| !q.groups.is_empty()) {
            if let Some(slot) = self.slot_mut(spec.key) {
                let asked = spec.asked_for(chosen);
                // A group that is not asked it: its answer goes (the record would drop it).
                if !asked && chosen.is_some() {
                    slot.widget.set_value("");
                }
                slot.tab_stop = asked || !slot.widget.value().is_empty();
            }
        }
        let group = chosen.and_then(|n| campaign.group(n));
        let Some(spec) = campaign.field(FieldKey::GroupDetail) else {
            return;
        };
        let Some(slot) = self.slot_mut(FieldKey::GroupDetail) else {
            return;
        };
        let detail = group.filter(|g| g.has_detail());
        slot.th = detail
            .and_then(|g| g.detail_th.clone())
            .unwrap_or_else(|| spec.th.clone());
        slot.en = detail
            .and_then(|g| g.detail_en.clone().or_else(|| g.detail_th.clone()))
            .unwrap_or_else(|| spec.en.clone());
        slot.required = spec.required || detail.is_some_and(|g| g.detail_required);
        slot.tab_stop = detail.is_some() || !slot.widget.value().is_empty();
        slot.widget
            .set_text_kind(if detail.is_some_and(|g| g.detail_ascii) {
                TextKind::Ascii
            } else {
                TextKind::Words
            });
    }

    /// After the title changed: the sex field follows it (นาย is male, นางสาว female…) while the
    /// clerk has not chosen a sex; the clerk can still change it.
    pub fn sex_follows_title(&mut self) {
        let Some(implied) = self
            .slot(FieldKey::Title)
            .and_then(|s| crate::core::form::titles::sex_of_title(&s.widget.value()))
        else {
            return;
        };
        let follows = self.sex_from_title;
        if let Some(slot) = self.slot_mut(FieldKey::Sex)
            && (follows || slot.widget.value().is_empty())
        {
            slot.widget.set_value(implied.as_str());
            self.sex_from_title = true;
        }
    }

    /// The clerk chose the sex: the title no longer changes it.
    pub fn sex_chosen(&mut self) {
        self.sex_from_title = false;
    }
}
