//! The layers point one way. At the bottom the API client (the
//! `capillary-api` crate); above it the use cases both front ends share
//! (`target-events-core`); beside them the demo API (`target-events-demo`);
//! on top, in this crate, the explorer (its state in `explorer::app`,
//! drawing in `explorer::ui`, the runtime and terminal loop) and the
//! headless commands. Between crates the compiler keeps the direction (a
//! crate cannot name one it does not depend on): the manifests are checked
//! here. Inside this crate, the headless commands know nothing of the
//! explorer, the explorer's state nothing of drawing, and drawing nothing of
//! the terminal loop.

use std::path::Path;

/// Module paths (below `crate::`) each part of this crate must not use.
const RULES: [(&str, &[&str]); 5] = [
    ("src/headless", &["explorer"]),
    ("src/explorer/app", &["explorer::ui", "explorer::tui", "explorer::runtime", "headless"]),
    ("src/explorer/features", &["explorer::tui", "explorer::runtime", "headless"]),
    ("src/explorer/ui", &["explorer::tui", "explorer::runtime", "headless"]),
    ("src/explorer/runtime.rs", &["headless"]),
];

/// What each layer crate may not depend on: the crates above it, and any
/// terminal, command-line, prompt or progress-bar crate (those belong to the
/// application); the API and the core have no HTTP server either.
const CRATE_RULES: [(&str, &[&str]); 3] = [
    (
        "crates/capillary-api",
        &[
            "target-events",
            "target-events-core",
            "target-events-demo",
            "axum",
            "ratatui",
            "crossterm",
            "clap",
            "indicatif",
            "rpassword",
            "tui-input",
        ],
    ),
    (
        "crates/target-events-core",
        &[
            "target-events",
            "target-events-demo",
            "axum",
            "ratatui",
            "crossterm",
            "clap",
            "indicatif",
            "rpassword",
            "tui-input",
        ],
    ),
    (
        "crates/target-events-demo",
        &["target-events", "target-events-core", "ratatui", "crossterm", "clap", "indicatif"],
    ),
];

#[test]
fn each_layer_crate_depends_only_downwards() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    for (dir, forbidden) in CRATE_RULES {
        let text = std::fs::read_to_string(root.join(dir).join("Cargo.toml")).unwrap();
        let manifest: toml::Table = text.parse().unwrap();
        let mut tables: Vec<&toml::Table> =
            manifest.get("dependencies").and_then(|d| d.as_table()).into_iter().collect();
        // Platform-specific dependencies count too.
        if let Some(targets) = manifest.get("target").and_then(|t| t.as_table()) {
            for t in targets.values().filter_map(|t| t.as_table()) {
                tables.extend(t.get("dependencies").and_then(|d| d.as_table()));
            }
        }
        assert!(!tables.is_empty(), "{dir} has dependencies");
        for deps in tables {
            for name in deps.keys() {
                if forbidden.contains(&name.as_str()) {
                    broken.push(format!("{dir} depends on {name}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "layer crates reach up or into the terminal:\n{}", broken.join("\n"));
    // And the application builds without the demo: its HTTP server is optional.
    let app: toml::Table = std::fs::read_to_string(root.join("Cargo.toml")).unwrap().parse().unwrap();
    let demo = &app["dependencies"]["target-events-demo"];
    assert_eq!(demo.get("optional").and_then(|o| o.as_bool()), Some(true), "{demo:?}");
    assert!(app["dependencies"].get("axum").is_none(), "no HTTP server in the application itself");
}

/// Drawing modules: the state and update code must not use them.
fn is_view(path: &str) -> bool {
    path.starts_with("explorer::ui")
        || path.split("::").any(|m| ["view", "table", "detail", "navigator", "banner"].contains(&m))
}

#[test]
fn state_and_update_never_draw() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/explorer"), &mut files);
    let mut broken = Vec::new();
    for file in files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let drawing = ["view", "table", "detail", "navigator", "banner", "tui", "runtime"].contains(&name.as_str())
            || file.components().any(|c| c.as_os_str() == "ui");
        if drawing {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            for name in named_modules(line) {
                if is_view(&name) {
                    broken.push(format!("{}:{}: uses crate::{name}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(broken.is_empty(), "state or update code draws:\n{}", broken.join("\n"));
}

#[test]
fn impl_app_stays_in_the_core() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut with_impl: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().lines().any(|l| l.starts_with("impl") && l.ends_with(" App {")))
        .map(|f| f.strip_prefix(root).unwrap().display().to_string())
        .collect();
    with_impl.sort();
    let outside: Vec<&String> = with_impl.iter().filter(|f| !f.starts_with("src/explorer/app/")).collect();
    assert!(outside.is_empty(), "impl App belongs to the explorer's core, features are functions of it: {outside:?}");
}

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

/// The crate paths a line of code names: `crate::x::y`, or each of
/// `crate::x::{y, z}` as `x::y` and `x::z`.
fn named_modules(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut names = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let mut rest = &code[i + "crate::".len()..];
        let mut prefix: Vec<String> = Vec::new();
        loop {
            if let Some(inner) = rest.strip_prefix('{') {
                for item in inner.split('}').next().unwrap_or("").split(',') {
                    let name = ident(item.trim());
                    if !name.is_empty() {
                        names.push([prefix.clone(), vec![name]].concat().join("::"));
                    }
                }
                break;
            }
            let name = ident(rest);
            if name.is_empty() {
                if !prefix.is_empty() {
                    names.push(prefix.join("::"));
                }
                break;
            }
            rest = &rest[name.len()..];
            prefix.push(name);
            match rest.strip_prefix("::") {
                Some(r) => rest = r,
                None => {
                    names.push(prefix.join("::"));
                    break;
                }
            }
        }
    }
    names
}

/// Whether `path` is `rule` or lies inside it.
fn inside(path: &str, rule: &str) -> bool {
    path == rule || path.starts_with(&format!("{rule}::"))
}

#[test]
fn layers_point_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    for (dir, forbidden) in RULES {
        let mut files = Vec::new();
        let at = root.join(dir);
        if at.is_file() {
            files.push(at);
        } else {
            rust_files(&at, &mut files);
        }
        assert!(!files.is_empty(), "{dir} has no sources");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                for name in named_modules(line) {
                    if forbidden.iter().any(|rule| inside(&name, rule)) {
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
    assert_eq!(named_modules("use crate::explorer::ui::theme::Theme;"), vec!["explorer::ui::theme::Theme"]);
    assert_eq!(named_modules("use crate::{api, explorer};"), vec!["api", "explorer"]);
    assert_eq!(named_modules("use crate::explorer::{ui, tui};"), vec!["explorer::ui", "explorer::tui"]);
    assert_eq!(
        named_modules("let x = crate::explorer::tui::leave(); // crate::ui in a comment"),
        vec!["explorer::tui::leave"]
    );
    assert!(inside("explorer::ui::theme", "explorer::ui") && !inside("explorer::uix", "explorer::ui"));
}

/// Features never name one another: one asks another through an `Ask`
/// message that the explorer's core routes (app/asks.rs), so a feature can
/// change without the others. Drawing a feature's panel and routing asks
/// are the core's and ui's business, not a feature's.
#[test]
fn features_ask_one_another_and_never_call() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/explorer/features");
    let features: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(features.len() >= 8, "{features:?}");
    let mut broken = Vec::new();
    for feature in &features {
        let mut files = Vec::new();
        rust_files(&root.join(feature), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                for name in named_modules(line) {
                    let other =
                        features.iter().find(|f| *f != feature && inside(&name, &format!("explorer::features::{f}")));
                    if let Some(other) = other {
                        broken.push(format!("{}:{}: {feature} names {other}", file.display(), n + 1));
                    }
                }
                if line.contains("super::super::") {
                    broken.push(format!("{}:{}: {feature} reaches out by super::super", file.display(), n + 1));
                }
            }
        }
    }
    assert!(broken.is_empty(), "features calling one another:\n{}", broken.join("\n"));
}

/// No log is part of the tree, and a log left at the root (tmux's
/// `tmux-client-*.log`) is ignored. Skipped outside a git checkout.
#[test]
fn logs_are_never_part_of_the_tree() {
    let root = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| std::process::Command::new("git").args(args).current_dir(root).output();
    let Ok(tracked) = git(&["ls-files"]) else { return };
    if !tracked.status.success() {
        return; // not a git checkout
    }
    let logs: Vec<String> =
        String::from_utf8_lossy(&tracked.stdout).lines().filter(|f| f.ends_with(".log")).map(str::to_string).collect();
    assert!(logs.is_empty(), "logs in the tree: {logs:?}");
    for stray in ["tmux-client-12345.log", "crates/x/target-events.log"] {
        let ignored = git(&["check-ignore", "-q", "--no-index", stray]).unwrap();
        assert!(ignored.status.success(), "{stray} is not ignored");
    }
}
