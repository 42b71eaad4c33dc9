//! `[keys]` and `[theme]` from the config file, in the real binary: a config
//! holding only them is valid, a remapped key works and is the one shown, a
//! colour set is the one drawn, NO_COLOR still wins, and a bad entry is
//! refused with its line before anything is sent.

use crate::common::pty::Session;
use crate::common::sandbox::{Sandbox, stderr};

const LOOK: &str =
    "# keys as my other tools have them\n[keys]\nraw = \"R\"\nverdict = \"v\"\n\n[theme]\naccent = \"#ff8700\"\n";

fn write_config(dir: &std::path::Path, text: &str) {
    let path = dir.join("config/target-events");
    std::fs::create_dir_all(&path).unwrap();
    std::fs::write(path.join("config.toml"), text).unwrap();
}

/// The row and column where `text` starts on the emulated screen.
fn position(s: &Session, text: &str) -> Option<(u16, u16)> {
    let parser = s.parser.lock().unwrap();
    let screen = parser.screen();
    let rows: Vec<String> = screen.rows(0, 120).collect();
    rows.iter()
        .enumerate()
        .find_map(|(r, line)| line.find(text).map(|byte| (r as u16, line[..byte].chars().count() as u16)))
}

#[test]
fn a_remapped_key_opens_the_verdict_and_is_the_key_shown_in_the_colour_set() {
    let mut s = Session::start_in(&[], &[], |dir| write_config(dir, LOOK));
    s.wait_for("Type what the caller gives");
    s.send("777000777\t7610\r");
    s.wait_for("Page 1 of");
    s.send("e");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!s.screen().contains("Verdict ·"), "e is no longer the verdict's key");
    s.send("v");
    s.wait_for("Verdict · Sep_2025 (7601)");
    s.wait_for("Esc/v closes");
    // The focused panel's title in the accent the config set.
    let (row, col) = position(&s, "Verdict ·").unwrap();
    let color = s.parser.lock().unwrap().screen().cell(row, col).map(|c| c.fgcolor());
    assert_eq!(color, Some(vt100::Color::Rgb(255, 135, 0)), "{}", s.screen());
    // Help shows the keys in force.
    s.send("?");
    s.wait_for(" Keys ");
    for _ in 0..60 {
        if s.screen().contains("Verdict (v)") {
            break;
        }
        s.send("j");
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    s.wait_for("Verdict (v)");
    s.send("\x1b");
    s.wait_gone(" Keys ");
    s.wait_for("Verdict ·");
    s.send("v");
    s.wait_gone("Verdict ·");
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn no_color_wins_over_the_theme() {
    let mut s = Session::start_in(&[], &[("NO_COLOR", "1")], |dir| write_config(dir, LOOK));
    s.wait_for("Type what the caller gives");
    let (row, col) = position(&s, "Type what the caller gives").unwrap();
    let screen_has_colour = {
        let parser = s.parser.lock().unwrap();
        let screen = parser.screen();
        (0..36).any(|r| {
            (0..120).any(|c| {
                screen.cell(r, c).is_some_and(|cell| {
                    cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default
                })
            })
        })
    };
    assert!(!screen_has_colour, "no colour at all under NO_COLOR ({row},{col})");
    s.send("\x03");
    assert!(s.wait_exit());
}

#[test]
fn a_bad_keys_or_theme_entry_is_refused_with_its_line() {
    let sb = Sandbox::new("look-refused");
    for (text, says) in [
        ("[keys]\nverdict = \"v\"\n", "line 2: [keys] verdict = \"v\": v already means"),
        ("\n[keys]\nverdikt = \"x\"\n", "line 3: [keys] verdikt: no such action"),
        ("[keys]\nverdict = \"Hyper-v\"\n", "line 2: [keys] verdict: \"Hyper-v\" is not a key"),
        ("[theme]\naccent = \"blurple\"\n", "line 2: [theme] accent = \"blurple\": not a colour"),
        ("[theme]\nglow = \"red\"\n", "line 2: [theme] glow: no such colour"),
        ("[keys]\nverdict = 5\n", "line 2: [keys] verdict must be a key"),
    ] {
        write_config(&sb.dir, text);
        let o = sb.run(&["--demo"], &[]);
        assert_eq!(o.status.code(), Some(2), "{text}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{text}: {}", stderr(&o));
    }
    // doctor checks them too; a value of the wrong kind spoils no other check.
    for text in ["[keys]\nflyaway = \"z\"\n", "[keys]\nraw = 5\n"] {
        write_config(&sb.dir, text);
        let o = sb.run(&["--demo", "doctor"], &[]);
        let out = crate::common::sandbox::stdout(&o);
        assert_eq!(o.status.code(), Some(1), "{text}: {out}");
        assert!(out.contains("✗ keys and theme") && out.contains("line 2"), "{text}: {out}");
        assert!(!out.contains("✗ config file") && out.contains("✓ profile and origin"), "{text}: {out}");
        let o =
            sb.run(&["--demo", "explain", "--user-id", "777000777", "--rule-id", "7610", "--period-id", "7601"], &[]);
        assert_eq!(o.status.code(), Some(0), "headless commands use neither table: {}", stderr(&o));
    }
    // Headless commands do not use them, and a good file is a valid config for every command.
    write_config(&sb.dir, LOOK);
    let o = sb.run(&["--demo", "explain", "--user-id", "777000777", "--rule-id", "7610", "--period-id", "7601"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = sb.run(&["profile", "list"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_readme_lists_every_action_keys_can_map() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let at = readme.find("The actions:\n`").expect("README lists the actions") + "The actions:\n`".len();
    let listed: Vec<&str> = readme[at..at + readme[at..].find('`').unwrap()].split_whitespace().collect();
    let names: Vec<&str> = target_events::explorer::app::keymap::ACTION_NAMES.iter().map(|(n, _)| *n).collect();
    assert_eq!(listed, names);
}

/// The README's own `[keys]` and `[theme]` example is a config the explorer takes.
#[test]
fn the_readme_example_is_accepted() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("### Your own keys and colours").unwrap()..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let file = target_events::config::ConfigFile::parse(example).unwrap();
    assert!(file.look.keys.len() >= 3 && file.look.theme.len() >= 3, "{example}");
    target_events::explorer::app::keymap::Keymap::from_config(&file.look.keys).unwrap();
    target_events::explorer::ui::theme::Palette::from_config(&file.look.theme).unwrap();
    // And the binary opens on it.
    let sb = Sandbox::new("look-readme");
    write_config(&sb.dir, example);
    let o = sb.run(&["--demo", "doctor"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", crate::common::sandbox::stdout(&o), stderr(&o));
}
