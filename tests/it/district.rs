//! Running a district: what the hub decides, the kiosks show and the operations room sees agree
//! where the parts meet (kiosk names, the quota in force, idle kiosks, why a send failed, the
//! checks, the metrics).

mod checks;
mod day;
mod names;
mod quota;
