//! `x` and `y`: what is drawn goes to a file or the clipboard.

pub mod update;
