//! Vaccination sites and appointments: the sites file (`file`, `serves`), the sites in the store
//! (`catalog`: import, close, remove), a seat given and taken back (`allocate`), a day closed
//! (`close_day`), what the sites hold (`listing`), and check-in at a site: the list its kiosks
//! download (`site_list`) and the doses they record (`doses`).

pub mod allocate;
pub mod catalog;
pub mod close_day;
pub mod doses;
pub mod file;
pub mod listing;
pub mod serves;
pub mod site_list;
