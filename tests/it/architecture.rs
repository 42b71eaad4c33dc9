//! The layers point one way: api ← app ← ui ← runtime (`runtime.rs`,
//! `tui.rs`, `main.rs`).
//! The API client knows nothing of the explorer, the explorer's state nothing
//! of drawing, and drawing nothing of the terminal loop.

use std::path::Path;

/// Modules each layer must not use.
const RULES: [(&str, &[&str]); 3] = [
    ("src/api", &["app", "ui", "tui", "runtime", "demo"]),
    ("src/app", &["ui", "tui", "runtime"]),
    ("src/ui", &["tui", "runtime"]),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The crate modules a line of code names: `crate::x`, or `crate::{x, y}`.
fn named_modules(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut names = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let list = match rest.strip_prefix('{') {
            Some(inner) => inner.split('}').next().unwrap_or(""),
            None => rest,
        };
        for item in list.split(',') {
            let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                names.push(name);
            }
            if !rest.starts_with('{') {
                break;
            }
        }
    }
    names
}

#[test]
fn layers_point_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    for (dir, forbidden) in RULES {
        let mut files = Vec::new();
        rust_files(&root.join(dir), &mut files);
        assert!(!files.is_empty(), "{dir} has no sources");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                for name in named_modules(line) {
                    if forbidden.contains(&name.as_str()) {
                        broken.push(format!("{}:{}: uses crate::{name}", file.display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "layer rules broken:\n{}", broken.join("\n"));
}

#[test]
fn the_checker_sees_both_forms() {
    assert_eq!(named_modules("use crate::ui::theme::Theme;"), vec!["ui"]);
    assert_eq!(named_modules("use crate::{api, tui};"), vec!["api", "tui"]);
    assert_eq!(named_modules("let x = crate::tui::leave(); // crate::ui in a comment"), vec!["tui"]);
}
