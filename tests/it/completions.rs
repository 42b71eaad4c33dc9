//! The completion scripts run in the shells themselves: bash always, zsh and
//! fish where they are installed. Each asks what a TAB offers after some
//! words and checks the flags, the enumerations' values and the profile
//! names of the config file.

use std::path::Path;
use std::process::Command;

use crate::common::sandbox::{Sandbox, stdout};

/// A sandbox whose config file has two profiles, and the binary's script.
fn sandbox(name: &str, shell: &str) -> (Sandbox, String) {
    let sandbox = Sandbox::new(name);
    let config = sandbox.dir.join("config/target-events");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "default_profile = \"eu-prod\"\n[profiles.eu-prod]\ncluster = \"eu\"\n[profiles.us-test]\ncluster = \"us\"\n",
    )
    .unwrap();
    // A second file, named on the line being completed (relative to the shell's folder).
    std::fs::write(sandbox.dir.join("other.toml"), "[profiles.zz-other]\ncluster = \"eu\"\n").unwrap();
    let out = sandbox.run(&["completions", shell], &[]);
    assert!(out.status.success(), "{out:?}");
    let script = stdout(&out);
    assert!(script.contains("TARGET_EVENTS_COMPLETE"), "{script}");
    (sandbox, script)
}

fn installed(shell: &str) -> bool {
    Command::new(shell).arg("-c").arg("true").output().is_ok_and(|o| o.status.success())
}

/// Runs `script` in `shell` with the sandbox's home and `bin` first on PATH.
fn in_shell(shell: &str, dir: &Path, script: &str) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let link = bin.join("target-events");
    if !link.exists() {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_target-events"), &link).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new(shell)
        .current_dir(dir)
        .arg("-c")
        .arg(script)
        .env("PATH", path)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What TAB offers after `words` (the last one being completed), one line each.
const CASES: &[(&[&str], &[&str])] = &[
    (&["expl"], &["explain"]),
    (&["explain", "--"], &["--rule-id", "--format", "--customer", "--output", "--profile"]),
    (&["explain", "--format", ""], &["text", "json", "markdown", "reply"]),
    (&["fetch", "--format", ""], &["table", "json", "jsonl", "csv"]),
    (&["batch", "--format", "m"], &["markdown"]),
    (&["doctor", "--format", ""], &["text", "json"]),
    (&["completions", ""], &["bash", "zsh", "fish"]),
    (&["--profile", ""], &["eu-prod", "us-test"]),
    (&["fetch", "--profile", "us"], &["us-test"]),
    (&["profile", ""], &["add", "list"]),
    (&["--cluster", ""], &["eu", "apac", "sea"]),
    (&["man", ""], &["fetch", "profile-add", "explain"]),
    (&["--config", "other.toml", "--profile", ""], &["zz-other"]),
];

fn check(shell: &str, answers: &str) {
    let blocks: Vec<&str> = answers.split("@@\n").collect();
    for ((words, wanted), got) in CASES.iter().zip(&blocks) {
        let got: Vec<&str> = got.lines().map(str::trim).collect();
        for w in *wanted {
            assert!(got.contains(w), "{shell}: target-events {} <TAB> offers {got:?}, not {w}", words.join(" "));
        }
    }
    assert_eq!(blocks.len(), CASES.len() + 1, "{shell}: {answers}");
    // The profile names are the file's, not file names.
    let profiles: Vec<&str> = blocks[7].lines().collect();
    assert!(profiles.iter().all(|p| !p.contains('/') && !p.contains("config")), "{profiles:?}");
}

#[test]
fn bash_completes_flags_values_and_profile_names() {
    let (sandbox, script) = sandbox("complete-bash", "bash");
    std::fs::write(sandbox.dir.join("complete.bash"), &script).unwrap();
    let mut run = String::from(
        "source \"$HOME/complete.bash\"\n\
         ask() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}; \
         COMPREPLY=(); _clap_complete_target_events target-events \"${COMP_WORDS[COMP_CWORD]}\" \
         \"${COMP_WORDS[COMP_CWORD-1]}\"; printf '%s\\n' \"${COMPREPLY[@]}\"; printf '@@\\n'; }\n",
    );
    for (words, _) in CASES {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        run.push_str(&format!("ask target-events {}\n", quoted.join(" ")));
    }
    check("bash", &in_shell("bash", &sandbox.dir, &run));
}

#[test]
fn fish_completes_flags_values_and_profile_names_where_installed() {
    if !installed("fish") {
        eprintln!("fish is not installed here: skipped");
        return;
    }
    let (sandbox, script) = sandbox("complete-fish", "fish");
    std::fs::write(sandbox.dir.join("complete.fish"), &script).unwrap();
    let mut run = String::from("source $HOME/complete.fish\n");
    for (words, _) in CASES {
        let line = words.join(" ");
        run.push_str(&format!("complete -C 'target-events {line}' | string replace -r '\\t.*' ''\necho '@@'\n"));
    }
    check("fish", &in_shell("fish", &sandbox.dir, &run));
}

#[test]
fn zsh_completes_flags_values_and_profile_names_where_installed() {
    if !installed("zsh") {
        eprintln!("zsh is not installed here: skipped");
        return;
    }
    let (sandbox, script) = sandbox("complete-zsh", "zsh");
    std::fs::write(sandbox.dir.join("complete.zsh"), &script).unwrap();
    // The script's function is driven as zsh's completion system would:
    // `words` and `CURRENT` set, `compadd` recording what it is given.
    let mut run = String::from(
        "compdef() { :; }\nsource $HOME/complete.zsh\n\
         _describe() { print -rl -- \"${(@)${(P)3}%%:*}\"; }\n",
    );
    for (words, _) in CASES {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        run.push_str(&format!(
            "words=(target-events {}); CURRENT=${{#words}}; _clap_dynamic_completer_target_events; print '@@'\n",
            quoted.join(" ")
        ));
    }
    check("zsh", &in_shell("zsh", &sandbox.dir, &run));
}

/// The sections every manual page has.
const SECTIONS: &[&str] =
    &["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXAMPLES", "ENVIRONMENT", "FILES", "EXIT STATUS"];

#[test]
fn every_command_has_a_manual_page_with_every_section() {
    let sandbox = Sandbox::new("man-pages");
    let dir = sandbox.dir.join("man1");
    let out = sandbox.run(&["man", "--dir", dir.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{out:?}");
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for command in
        ["fetch", "explain", "batch", "doctor", "profile", "profile-add", "profile-list", "completions", "man"]
    {
        assert!(names.contains(&format!("target-events-{command}.1")), "{names:?}");
    }
    assert!(names.contains(&"target-events.1".to_string()), "{names:?}");
    for name in &names {
        let page = std::fs::read_to_string(dir.join(name)).unwrap();
        let stem = name.trim_end_matches(".1");
        assert!(page.contains(&format!("\n.TH {} 1", stem.to_uppercase())), "{name}: {}", &page[..200]);
        for section in SECTIONS {
            let heading = if section.contains(' ') { format!(".SH \"{section}\"") } else { format!(".SH {section}") };
            assert!(page.contains(&heading), "{name} has no {section}");
        }
        // Every page it points to exists.
        let see_also = &page[page.find("SEE ALSO").unwrap()..];
        for reference in see_also.split(", ").filter_map(|r| r.split("(1)").next()) {
            let reference = reference.rsplit(['\n', ' ']).next().unwrap().replace("\\-", "-");
            if reference.starts_with("target-events") {
                assert!(names.contains(&format!("{reference}.1")), "{name} points to {reference}(1)");
            }
        }
        assert!(!page.contains("shown below"), "{name}");
        // A page is for any machine: no path of the one that wrote it.
        assert!(!page.contains(sandbox.dir.to_str().unwrap()), "{name} holds this machine's paths");
    }
    // One page on stdout, named as people name commands.
    for named in [&["profile", "add"][..], &["profile-add"], &["target-events-profile-add"]] {
        let mut args = vec!["man"];
        args.extend_from_slice(named);
        let out = sandbox.run(&args, &[]);
        assert!(stdout(&out).contains("\n.TH TARGET-EVENTS-PROFILE-ADD 1"), "{named:?}");
    }
    let out = sandbox.run(&["man", "fetchh"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_commands_help_shows_its_own_flags_before_the_global_ones() {
    let sandbox = Sandbox::new("help-order");
    for command in ["fetch", "explain", "batch", "doctor"] {
        let help = stdout(&sandbox.run(&[command, "--help"], &[]));
        let own = help.find("\nOptions:").unwrap_or_else(|| panic!("{command}: {help}"));
        let global = help.find("\nGlobal options:").unwrap_or_else(|| panic!("{command}: {help}"));
        assert!(own < global, "{command}: {help}");
        let profile = help.find("--profile").unwrap();
        assert!(profile > global, "{command}: --profile is among the command's own flags");
    }
    // A typo is answered with the nearest subcommand.
    let out = sandbox.run(&["explian"], &[]);
    assert!(crate::common::sandbox::stderr(&out).contains("Did you mean \"explain\"?"));
}

/// Each flag's default as `--help` states it (`[default: …]`).
fn help_defaults(command: &str) -> Vec<(String, String)> {
    let sandbox = Sandbox::new(&format!("defaults-{command}"));
    let help = stdout(&sandbox.run(&[command, "--help"], &[]));
    let mut found = Vec::new();
    let mut flag = String::new();
    for line in help.lines() {
        if let Some(start) = line
            .trim_start()
            .strip_prefix("--")
            .or_else(|| line.trim_start().get(4..).and_then(|l| l.strip_prefix("--")))
        {
            flag = format!("--{}", start.split([' ', ',']).next().unwrap());
        }
        if let Some(at) = line.find("[default: ") {
            let rest = &line[at + 10..];
            found.push((flag.clone(), rest[..rest.find(']').unwrap()].to_string()));
        }
    }
    found
}

#[test]
fn the_readme_states_the_defaults_help_states() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let rows: Vec<(String, String, String)> = readme
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(" | ").map(|c| c.trim_matches(['|', ' '])).collect();
            match cells.as_slice() {
                [c, f, d] if c.starts_with('`') && f.starts_with("`--") => {
                    Some((c.trim_matches('`').to_string(), f.trim_matches('`').to_string(), d.to_string()))
                }
                _ => None,
            }
        })
        .collect();
    assert!(rows.len() >= 9, "{rows:?}");
    for command in ["fetch", "explain", "batch", "doctor", "demo-server"] {
        for (flag, default) in help_defaults(command) {
            if flag == "--config" || flag == "--log-file" {
                continue; // this system's paths; the README gives Linux's
            }
            let stated = rows.iter().find(|(c, f, _)| c == command && *f == flag);
            assert_eq!(
                stated.map(|(_, _, d)| d.as_str()),
                Some(default.as_str()),
                "README's default for {command} {flag} against --help"
            );
        }
        for (_, flag, default) in rows.iter().filter(|(c, _, _)| c == command) {
            assert!(
                help_defaults(command).iter().any(|(f, d)| f == flag && d == default),
                "README states {command} {flag} defaults to {default}; --help does not"
            );
        }
    }
}

#[test]
fn the_zsh_script_completes_when_autoloaded_from_fpath() {
    let (_sandbox, script) = sandbox("complete-zsh-fpath", "zsh");
    assert!(
        script.contains("if [ \"${funcstack[1]}\" = \"_target-events\" ]; then _clap_dynamic_completer_target_events"),
        "{script}"
    );
    assert!(script.starts_with("#compdef target-events"), "{script}");
}
