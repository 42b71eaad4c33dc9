//! `target-events profile add NAME` and `profile list`: a profile set up by
//! answering questions instead of writing TOML, and the profiles shown
//! without a secret. The file is edited in place (other profiles, comments
//! and layout kept), written whole or not at all, private to the user.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, value};

use crate::cli::{ConnectionArgs, DoctorFormat};
use crate::config::secret_source;
use crate::secret::Secret;

/// Where a profile's secret comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum SecretFrom {
    /// Written in the file (private to the user).
    File(Secret),
    /// A command's first line of output.
    Command(String),
    /// The platform keychain, where `profile add` stored it.
    Keyring(Secret),
}

/// What `profile add` learns by asking.
#[derive(Clone, Debug)]
struct Answers {
    /// `cluster = "eu"` or `base_url = "https://…"`.
    host: (&'static str, String),
    oauth: bool,
    /// The username (Basic) or the OAuth key.
    account: String,
    secret: SecretFrom,
}

/// Reads answers: a line each from stdin, a secret without echo when stdin
/// is a terminal.
struct Asker {
    lines: std::io::StdinLock<'static>,
    terminal: bool,
}

impl Asker {
    fn new() -> Asker {
        let stdin = std::io::stdin();
        Asker { terminal: stdin.is_terminal(), lines: stdin.lock() }
    }

    fn ask(&mut self, question: &str) -> Result<String, String> {
        eprint!("{question}");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        match self.lines.read_line(&mut line) {
            Ok(0) | Err(_) => Err("no answer: the input ended".into()),
            Ok(_) => Ok(line.trim().to_string()),
        }
    }

    fn ask_secret(&mut self, question: &str) -> Result<Secret, String> {
        let secret = if self.terminal {
            rpassword::prompt_password(question).map_err(|e| format!("cannot read the secret: {e}"))?
        } else {
            self.ask(question)?
        };
        let secret = secret.trim_end_matches(['\r', '\n']).to_string();
        if secret.is_empty() {
            return Err("no secret given".into());
        }
        Ok(Secret::new(secret))
    }
}

fn ask_all(asker: &mut Asker) -> Result<Answers, String> {
    let clusters: Vec<&str> = crate::config::CLUSTERS.iter().map(|(n, _)| *n).collect();
    let where_to = asker.ask(&format!("Cluster ({}) or base URL: ", clusters.join(", ")))?;
    let host = if crate::config::cluster_url(&where_to).is_some() {
        ("cluster", where_to.to_lowercase())
    } else {
        let url = url::Url::parse(&where_to).map_err(|_| {
            format!("\"{}\" is neither a cluster ({}) nor a URL", crate::sanitize::line(&where_to), clusters.join(", "))
        })?;
        crate::config::check_base(&url).map_err(|e| e.to_string())?;
        ("base_url", where_to)
    };
    let kind = asker.ask("Authentication, basic (a till's username and password) or oauth [basic]: ")?;
    let oauth = match kind.to_lowercase().as_str() {
        "" | "basic" | "b" => false,
        "oauth" | "o" => true,
        other => return Err(format!("\"{}\" is neither basic nor oauth", crate::sanitize::line(other))),
    };
    let (account_q, secret_name) = if oauth { ("OAuth key: ", "OAuth secret") } else { ("Username: ", "password") };
    let account = asker.ask(account_q)?;
    if account.is_empty() {
        return Err("no username or key given".into());
    }
    let from = asker.ask(&format!(
        "Where should the {secret_name} come from: type it now and keep it in the file (file), a command that \
         prints it (command), or the system keychain (keyring) [file]: "
    ))?;
    let secret = match from.to_lowercase().as_str() {
        "" | "file" | "f" => SecretFrom::File(asker.ask_secret(&format!("The {secret_name} (not shown): "))?),
        "command" | "c" => {
            let command =
                asker.ask("The command (its first line of output is the secret, e.g. pass show capillary/eu): ")?;
            if command.is_empty() {
                return Err("no command given".into());
            }
            SecretFrom::Command(command)
        }
        "keyring" | "k" => SecretFrom::Keyring(asker.ask_secret(&format!("The {secret_name} (not shown): "))?),
        other => return Err(format!("\"{}\" is not file, command or keyring", crate::sanitize::line(other))),
    };
    Ok(Answers { host, oauth, account, secret })
}

/// The profile's table, with the secret as it is to be kept.
fn profile_table(answers: &Answers) -> Table {
    let mut t = Table::new();
    t.insert(answers.host.0, value(answers.host.1.clone()));
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
    !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn config_path(connection: &ConnectionArgs) -> Option<PathBuf> {
    connection.config.clone().or_else(crate::config::default_config_path)
}

pub async fn add(connection: &ConnectionArgs, name: &str, force: bool) -> i32 {
    if !valid_name(name) {
        eprintln!("error: \"{}\" is not a profile name: letters, digits, - and _", crate::sanitize::line(name));
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
    let answers = match ask_all(&mut Asker::new()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}. Nothing was written.");
            return 2;
        }
    };
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
    eprintln!("Wrote profile \"{name}\" to {} (private to you). Checking it:\n", path.display());
    let mut check = connection.clone();
    check.profile = Some(name.to_string());
    check.config = Some(path);
    super::doctor::run(&check, DoctorFormat::Text).await
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
        println!("{mark} {}  {origin}  {auth}", crate::sanitize::line(name));
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(secret: SecretFrom) -> Answers {
        Answers { host: ("cluster", "eu".into()), oauth: false, account: "store.till".into(), secret }
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
                "[profiles.eu]\ncluster = \"eu\"\nusername = \"store.till\"\npassword_command = \"pass show eu\""
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
        for bad in ["", "a b", "a.b", "ü", "x]"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
