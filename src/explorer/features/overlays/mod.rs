//! What is drawn over everything: help, prompts, questions, copied text.

pub mod view;
