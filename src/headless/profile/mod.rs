//! `target-events profile add NAME` and `profile list`: a profile set up by
//! answering questions instead of writing TOML, and the profiles shown
//! without a secret. The file is edited in place (other profiles, comments
//! and layout kept), written whole or not at all, private to the user.

mod ask;

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, value};

use crate::cli::{ConnectionArgs, DoctorFormat};
use crate::config::secret_source;
#[cfg(test)]
use crate::secret::Secret;
use ask::{Answers, Asker, Ended, SecretFrom};

/// The profile's table, with the secret as it is to be kept.
fn profile_table(answers: &Answers) -> Table {
    let mut t = Table::new();
    t.insert(answers.host.0, value(answers.host.1.clone()));
    if let Some(cc) = &answers.country_code {
        t.insert("default_country_code", value(cc.clone()));
    }
    let (account, secret, command, keyring) = if answers.oauth {
        ("oauth_key", "oauth_secret", "oauth_secret_command", "oauth_secret_keyring")
    } else {
        ("username", "password", "password_command", "password_keyring")
    };
    t.insert(account, value(answers.account.clone()));
    match &answers.secret {
        SecretFrom::File(s) => t.insert(secret, value(s.expose())),
        SecretFrom::Command(c) => t.insert(command, value(c.clone())),
        SecretFrom::Keyring(_) => t.insert(keyring, value(true)),
    };
    t
}

/// The config file with `name`'s profile set, other profiles and comments kept.
fn with_profile(existing: &str, name: &str, table: Table, force: bool) -> Result<String, String> {
    let mut doc: DocumentMut = existing
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("the config file is not valid TOML: {}", e.message()))?;
    if !doc.contains_key("profiles") {
        let mut profiles = Table::new();
        profiles.set_implicit(true);
        doc.insert("profiles", Item::Table(profiles));
    }
    let profiles = doc["profiles"].as_table_mut().ok_or("`profiles` in the config file is not a table")?;
    if profiles.contains_key(name) && !force {
        return Err(format!("a profile named \"{name}\" exists: pass --force to replace it"));
    }
    profiles.insert(name, Item::Table(table));
    if !doc.contains_key("default_profile") {
        // The first profile is the one used without --profile.
        let mut text = doc.to_string();
        text.insert_str(0, &format!("default_profile = \"{}\"\n\n", name.replace(['"', '\\'], "")));
        return Ok(text);
    }
    Ok(doc.to_string())
}

/// A name that is a TOML key and reads well in a command line.
fn valid_name(name: &str) -> bool {
    // It starts with a letter or digit: "-x" would read as a flag after --profile.
    name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn config_path(connection: &ConnectionArgs) -> Option<PathBuf> {
    connection.config.clone().or_else(crate::config::default_config_path)
}

pub async fn add(connection: &ConnectionArgs, name: &str, force: bool) -> i32 {
    if !valid_name(name) {
        eprintln!(
            "error: \"{}\" is not a profile name: up to 64 letters, digits, - and _, starting with a letter or digit",
            crate::sanitize::line(name)
        );
        return 2;
    }
    let Some(path) = config_path(connection) else {
        eprintln!("error: this system has no config directory: give --config FILE");
        return 2;
    };
    let existing = match crate::config::read_config_text(&path) {
        Ok(text) => text.unwrap_or_default(),
        Err(problem) => {
            eprintln!("error: {problem}");
            return 2;
        }
    };
    // Refuse a clash before asking anything.
    if let Err(e) = with_profile(&existing, name, Table::new(), force) {
        eprintln!("error: {}: {e}", path.display());
        return 2;
    }
    eprintln!("Adding profile \"{name}\" to {}.", path.display());
    // Ctrl-C at a question (echo off at the secret's) leaves the terminal as it was.
    crate::interrupt::restore_terminal_on_interrupt("Nothing was written.\n");
    let mut asker = Asker::stdin();
    let Ok(mut answers) = ask::ask_all(&mut asker) else {
        eprintln!("Nothing was written.");
        return 2;
    };
    // The credentials are tried before anything is written; a refusal asks again.
    loop {
        eprintln!("Checking the credentials with {}…", crate::sanitize::line(&answers.host.1));
        match check(connection, &path, name, &answers).await {
            Checked::Accepted(how) => {
                eprintln!("✓ {how}");
                break;
            }
            Checked::Refused(why) => {
                eprintln!("✗ {why}");
                match ask_again(&mut asker, &mut answers) {
                    Ok(()) => continue,
                    Err(Ended) => {
                        eprintln!("Nothing was written.");
                        return 2;
                    }
                }
            }
            Checked::Unchecked(why) => {
                eprintln!("? The credentials could not be checked: {why}");
                let write =
                    asker.ask("Write the profile anyway, unchecked? [y/N]: ", |t| match t.to_lowercase().as_str() {
                        "y" | "yes" => Ok(true),
                        "" | "n" | "no" => Ok(false),
                        _ => Err("y or n".to_string()),
                    });
                match write {
                    Ok(true) => {}
                    // Declined: the check could not pass, so nothing was done.
                    Ok(false) => {
                        eprintln!("Nothing was written.");
                        return 1;
                    }
                    Err(Ended) => {
                        eprintln!("Nothing was written.");
                        return 2;
                    }
                }
                break;
            }
        }
    }
    if let SecretFrom::Keyring(secret) = &answers.secret
        && let Err(e) = secret_source::store_in_keyring(name, &answers.account, secret)
    {
        eprintln!("error: the keychain: {e}. Nothing was written.");
        return 1;
    }
    let text = match with_profile(&existing, name, profile_table(&answers), force) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return 2;
        }
    };
    if let Err(e) = write_config(&path, &text) {
        eprintln!("error: cannot write {}: {e}", path.display());
        return 1;
    }
    crate::interrupt::restore_terminal_on_interrupt("The profile was written; its check was interrupted.\n");
    eprintln!("Wrote profile \"{name}\" to {} (private to you). Checking the whole setup:\n", path.display());
    let mut check = connection.clone();
    check.profile = Some(name.to_string());
    check.config = Some(path);
    super::doctor::run(&check, DoctorFormat::Text, None).await
}

/// What trying the answers' credentials found.
enum Checked {
    /// Accepted: what was (Basic auth as …: accepted (HTTP 400, code …)).
    Accepted(String),
    /// The server (or the secret's command) refused: worth asking again.
    Refused(String),
    /// Nothing could say (the host unreachable, not the API): the user decides.
    Unchecked(String),
}

/// Tries the answers' credentials against their host, as the profile would
/// be used (its secret from the command, if that is where it comes from),
/// with nothing written and no other source lending anything.
async fn check(connection: &ConnectionArgs, path: &Path, name: &str, answers: &Answers) -> Checked {
    use crate::api::error::ErrorKind;
    use crate::core::told::Told;
    let secret = |s: &crate::secret::Secret| Some(s.clone());
    let mut profile = crate::config::Profile::default();
    match answers.host.0 {
        "cluster" => profile.cluster = Some(answers.host.1.clone()),
        _ => profile.base_url = Some(answers.host.1.clone()),
    }
    let (given, command) = match &answers.secret {
        SecretFrom::File(s) | SecretFrom::Keyring(s) => (secret(s), None),
        SecretFrom::Command(c) => (None, Some(c.clone())),
    };
    if answers.oauth {
        profile.oauth_key = Some(answers.account.clone());
        profile.oauth_secret = given;
        profile.oauth_secret_command = command;
    } else {
        profile.username = Some(answers.account.clone());
        profile.password = given;
        profile.password_command = command;
    }
    let mut file = crate::config::ConfigFile::default();
    file.profiles.insert(name.to_string(), profile);
    let flags = crate::config::Flags {
        profile: Some(name.to_string()),
        allow_insecure_http: connection.allow_insecure_http,
        ..crate::config::Flags::default()
    };
    // Checked in memory: the file's own mode is not this profile's concern yet.
    let choice = match crate::config::choose(Some((path, file)), &|_| None, &flags) {
        Ok(c) => c,
        Err(e) => return Checked::Unchecked(crate::sanitize::line(&format!("{e:#}")).into_owned()),
    };
    let credentials = match crate::config::fetch_secrets(choice.wanted(), Some(name), &|_| None) {
        Ok(c) => c,
        Err(e) => return Checked::Refused(crate::sanitize::line(&format!("{e:#}")).into_owned()),
    };
    let settings = match crate::config::settle(choice, credentials, &flags) {
        Ok(s) => s,
        Err(e) => return Checked::Unchecked(crate::sanitize::line(&format!("{e:#}")).into_owned()),
    };
    let session = match crate::session::Session::open(&settings).await {
        Ok(s) => s,
        Err(e) => return Checked::Unchecked(crate::sanitize::line(&format!("{e:#}")).into_owned()),
    };
    match crate::core::doctor::credentials_accepted(&session.client, &settings).await {
        Ok(how) => Checked::Accepted(how),
        Err(e) => {
            let id = e.request_id.as_deref().map(|r| format!(" [request id {r}]")).unwrap_or_default();
            let said = format!("{}{id}", e.sentence());
            if matches!(e.kind, ErrorKind::Auth { .. }) {
                Checked::Refused(format!("the server refused them: {said}"))
            } else {
                Checked::Unchecked(said)
            }
        }
    }
}

/// After a refusal: the username or key (Enter keeps it), then the secret
/// the same way it came (typed again, or another command).
fn ask_again(asker: &mut Asker, answers: &mut Answers) -> Result<(), Ended> {
    let kept = answers.account.clone();
    let what = if answers.oauth { "OAuth key" } else { "Username" };
    answers.account = asker.ask(&format!("{what} [{}]: ", crate::sanitize::line(&kept)), |t| {
        Ok(if t.is_empty() { kept.clone() } else { t.to_string() })
    })?;
    let name = answers.secret_name();
    answers.secret = match &answers.secret {
        SecretFrom::File(_) => SecretFrom::File(asker.ask_secret(&format!("The {name} again (not shown): "))?),
        SecretFrom::Keyring(_) => SecretFrom::Keyring(asker.ask_secret(&format!("The {name} again (not shown): "))?),
        SecretFrom::Command(old) => {
            let old = old.clone();
            SecretFrom::Command(asker.ask(&format!("The command again [{}]: ", crate::sanitize::line(&old)), |t| {
                Ok(if t.is_empty() { old.clone() } else { t.to_string() })
            })?)
        }
    };
    Ok(())
}

/// Writes the file whole, private (0600), its directory created private.
fn write_config(path: &Path, text: &str) -> std::io::Result<()> {
    crate::core::output::write_text(path, true, text)
}

pub fn list(connection: &ConnectionArgs) -> i32 {
    let Some(path) = config_path(connection) else {
        eprintln!("No config directory on this system: give --config FILE.");
        return 2;
    };
    let file = match crate::config::load_file(&path) {
        Ok(Some(f)) => f,
        Ok(None) => {
            println!("No profiles: {} does not exist. Add one with: target-events profile add NAME", path.display());
            return 0;
        }
        Err(e) => {
            eprintln!("error: {}", crate::sanitize::multiline(&format!("{e:#}")));
            return 2;
        }
    };
    if file.profiles.is_empty() {
        println!("No profiles in {} yet. Add one with: target-events profile add NAME", path.display());
        return 0;
    }
    println!("Profiles in {}:", path.display());
    let chosen = file
        .default_profile
        .clone()
        .or_else(|| (file.profiles.len() == 1).then(|| file.profiles.keys().next().cloned()).flatten());
    let mut rows = Vec::new();
    for (name, p) in &file.profiles {
        let origin = match p.base() {
            Ok(Some(url)) => crate::config::origin_text(&url),
            Ok(None) => "no host".into(),
            Err(e) => format!("invalid: {e}"),
        };
        let secret = |plain: bool, command: bool, keyring: Option<bool>| {
            if plain {
                "in the file"
            } else if command {
                "from a command"
            } else if keyring == Some(true) {
                "from the keychain"
            } else {
                "asked for"
            }
        };
        let auth = match (&p.oauth_key, &p.username) {
            (Some(key), _) => format!(
                "OAuth, key {}, secret {}",
                crate::sanitize::line(key),
                secret(p.oauth_secret.is_some(), p.oauth_secret_command.is_some(), p.oauth_secret_keyring)
            ),
            (None, Some(user)) => format!(
                "Basic, username {}, password {}",
                crate::sanitize::line(user),
                secret(p.password.is_some(), p.password_command.is_some(), p.password_keyring)
            ),
            (None, None) => "no credentials".into(),
        };
        let mark = if chosen.as_deref() == Some(name.as_str()) { "*" } else { " " };
        rows.push((mark, crate::sanitize::line(name).into_owned(), origin, auth));
    }
    // Columns aligned on the longest name and origin.
    let name_w = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let origin_w = rows.iter().map(|r| r.2.chars().count()).max().unwrap_or(0);
    for (mark, name, origin, auth) in rows {
        println!("{mark} {name:<name_w$}  {origin:<origin_w$}  {auth}");
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(secret: SecretFrom) -> Answers {
        Answers {
            host: ("cluster", "eu".into()),
            country_code: Some("44".into()),
            oauth: false,
            account: "store.till".into(),
            secret,
        }
    }

    #[test]
    fn a_profile_joins_the_file_keeping_the_others_and_their_comments() {
        let existing = "# my tenants\ndefault_profile = \"us\"\n\n[profiles.us] # the US one\ncluster = \"us\"\n";
        let text =
            with_profile(existing, "eu", profile_table(&basic(SecretFrom::Command("pass show eu".into()))), false)
                .unwrap();
        assert!(text.starts_with("# my tenants\ndefault_profile = \"us\""), "{text}");
        assert!(text.contains("[profiles.us] # the US one"), "{text}");
        assert!(
            text.contains(
                "[profiles.eu]\ncluster = \"eu\"\ndefault_country_code = \"44\"\nusername = \"store.till\"\npassword_command = \"pass show eu\""
            ),
            "{text}"
        );
        let file: crate::config::ConfigFile = toml::from_str(&text).unwrap();
        assert_eq!(file.profiles.len(), 2);
        // A second time needs --force.
        assert!(with_profile(&text, "eu", Table::new(), false).unwrap_err().contains("--force"));
        assert!(with_profile(&text, "eu", Table::new(), true).is_ok());
    }

    #[test]
    fn the_first_profile_becomes_the_default() {
        let text = with_profile("", "eu", profile_table(&basic(SecretFrom::File(Secret::new("p\"w")))), false).unwrap();
        let file: crate::config::ConfigFile = toml::from_str(&text).unwrap();
        assert_eq!(file.default_profile.as_deref(), Some("eu"));
        assert_eq!(file.profiles["eu"].password.as_ref().unwrap().expose(), "p\"w", "quoted as TOML");
        let keyring =
            with_profile("", "k", profile_table(&basic(SecretFrom::Keyring(Secret::new("x")))), false).unwrap();
        assert!(keyring.contains("password_keyring = true") && !keyring.contains("\"x\""), "{keyring}");
    }

    #[test]
    fn names_are_keys() {
        assert!(valid_name("eu-prod_2"));
        for bad in ["", "a b", "a.b", "ü", "x]", "-x", "_x"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
