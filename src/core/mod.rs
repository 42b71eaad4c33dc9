//! The use cases the explorer and the headless commands share: the verdict,
//! the case note and its secret-free cURL lines, the watch plan, batch rows,
//! export formats, output files, finding a customer and the progress style.
//! Below both front ends: nothing here uses either.

pub mod batch;
pub mod case_note;
pub mod clock;
pub mod columns;
pub mod customer;
pub mod doctor;
pub mod export;
pub mod output;
pub mod progress;
pub mod reconcile;
pub mod verdict;
pub mod watch_plan;
