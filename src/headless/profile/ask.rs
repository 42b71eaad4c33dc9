//! The questions `profile add` asks: each asked again until the answer
//! makes sense (a typo costs one line, not the whole wizard); the input
//! ending stops it with nothing written. A secret is read without echo from
//! a terminal, and kept exactly as given (spaces too) from a pipe.

use std::io::{BufRead, IsTerminal, Write};

use crate::secret::Secret;

/// Where a profile's secret comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretFrom {
    /// Written in the file (private to the user).
    File(Secret),
    /// A command's first line of output.
    Command(String),
    /// The platform keychain, where `profile add` stores it.
    Keyring(Secret),
}

/// What `profile add` learns by asking.
#[derive(Clone, Debug)]
pub struct Answers {
    /// `cluster = "eu"` or `base_url = "https://…"`.
    pub host: (&'static str, String),
    /// Completes a national number typed for a customer (digits), if any.
    pub country_code: Option<String>,
    pub oauth: bool,
    /// The username (Basic) or the OAuth key.
    pub account: String,
    pub secret: SecretFrom,
}

impl Answers {
    /// "password" or "OAuth secret".
    pub fn secret_name(&self) -> &'static str {
        if self.oauth { "OAuth secret" } else { "password" }
    }
}

/// Reads answers: a line each from stdin, a secret without echo when stdin
/// is a terminal.
pub struct Asker {
    lines: Box<dyn BufRead>,
    terminal: bool,
}

/// The input ended: nobody is there to answer.
#[derive(Debug)]
pub struct Ended;

impl Asker {
    pub fn stdin() -> Asker {
        let stdin = std::io::stdin();
        Asker { terminal: stdin.is_terminal(), lines: Box::new(stdin.lock()) }
    }

    /// A line without its line ending, exactly as typed.
    fn raw_line(&mut self, question: &str) -> Result<String, Ended> {
        eprint!("{question}");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        match self.lines.read_line(&mut line) {
            Ok(0) | Err(_) => {
                eprintln!();
                Err(Ended)
            }
            Ok(_) => {
                Ok(line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(&line).to_string())
            }
        }
    }

    /// Asks until `read` takes the answer (trimmed); says why it did not.
    pub fn ask<T>(&mut self, question: &str, read: impl Fn(&str) -> Result<T, String>) -> Result<T, Ended> {
        loop {
            let answer = self.raw_line(question)?;
            match read(answer.trim()) {
                Ok(value) => return Ok(value),
                Err(why) => eprintln!("  {why}; try again (Ctrl-D stops, nothing written)."),
            }
        }
    }

    /// A secret: not echoed on a terminal; every character kept (leading
    /// and trailing spaces are part of some passwords). Asked again if empty.
    pub fn ask_secret(&mut self, question: &str) -> Result<Secret, Ended> {
        loop {
            let secret = if self.terminal {
                match rpassword::prompt_password(question) {
                    Ok(s) => s,
                    Err(_) => {
                        eprintln!();
                        return Err(Ended);
                    }
                }
            } else {
                self.raw_line(question)?
            };
            if !secret.is_empty() {
                return Ok(Secret::new(secret));
            }
            eprintln!("  nothing was typed; try again (Ctrl-D stops, nothing written).");
        }
    }
}

/// The country code a cluster's or host's region suggests, if one does.
pub fn suggested_country_code(host: &(&'static str, String)) -> Option<&'static str> {
    let name = match host {
        ("cluster", c) => c.to_ascii_lowercase(),
        (_, url) => url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase(),
    };
    let first = name.split('.').next().unwrap_or_default();
    // Capillary's clusters, by the region they serve.
    let by_cluster = match first {
        "apac" => Some("91"),
        "apac2" | "sea" => Some("65"),
        "eu" => Some("44"),
        "us" | "ushc" => Some("1"),
        _ => None,
    };
    // A tenant's own host, by its country's top-level domain.
    let by_domain = || match name.rsplit('.').next().unwrap_or_default() {
        "in" => Some("91"),
        "uk" => Some("44"),
        "sg" => Some("65"),
        "my" => Some("60"),
        "id" => Some("62"),
        "ae" => Some("971"),
        "sa" => Some("966"),
        "ph" => Some("63"),
        "th" => Some("66"),
        "vn" => Some("84"),
        _ => None,
    };
    by_cluster.or_else(by_domain)
}

/// Asks every question but the secret's check.
pub fn ask_all(asker: &mut Asker) -> Result<Answers, Ended> {
    let clusters: Vec<&str> = crate::config::CLUSTERS.iter().map(|(n, _)| *n).collect();
    let host = asker.ask(&format!("Cluster ({}) or base URL: ", clusters.join(", ")), |text| {
        if crate::config::cluster_url(text).is_some() {
            return Ok(("cluster", text.to_lowercase()));
        }
        let url = url::Url::parse(text).map_err(|_| {
            format!("\"{}\" is neither a cluster ({}) nor a URL", crate::sanitize::line(text), clusters.join(", "))
        })?;
        crate::config::check_base(&url).map_err(|e| crate::sanitize::line(&e.to_string()).into_owned())?;
        Ok(("base_url", text.to_string()))
    })?;
    let country_code = ask_country_code(asker, suggested_country_code(&host))?;
    let oauth = asker.ask("Authentication, basic (a till's username and password) or oauth [basic]: ", |text| {
        match text.to_lowercase().as_str() {
            "" | "basic" | "b" => Ok(false),
            "oauth" | "o" => Ok(true),
            other => Err(format!("\"{}\" is neither basic nor oauth", crate::sanitize::line(other))),
        }
    })?;
    let (account_q, secret_name) = if oauth { ("OAuth key: ", "OAuth secret") } else { ("Username: ", "password") };
    let account = asker.ask(account_q, |text| {
        if text.is_empty() { Err("a username or key is needed".into()) } else { Ok(text.to_string()) }
    })?;
    let secret = ask_secret_source(asker, secret_name)?;
    Ok(Answers { host, country_code, oauth, account, secret })
}

/// The default country code: the suggested one on Enter, "none" for none.
fn ask_country_code(asker: &mut Asker, suggested: Option<&str>) -> Result<Option<String>, Ended> {
    let question = match suggested {
        Some(cc) => format!(
            "Default country code, for a mobile number typed without one (\"98000 00006\") [Enter: {cc}, or none]: "
        ),
        None => "Default country code, for a mobile number typed without one (e.g. 91) [none]: ".to_string(),
    };
    asker.ask(&question, |text| match (text.to_lowercase().as_str(), suggested) {
        ("", Some(cc)) => Ok(Some(cc.to_string())),
        ("" | "none" | "-", _) => Ok(None),
        _ => crate::config::country_code(text).map(Some),
    })
}

/// Where the secret comes from, and (typed now) the secret.
pub fn ask_secret_source(asker: &mut Asker, secret_name: &str) -> Result<SecretFrom, Ended> {
    let from = asker.ask(
        &format!(
            "Where should the {secret_name} come from: type it now and keep it in the file (file), a command that \
             prints it (command), or the system keychain (keyring) [file]: "
        ),
        |text| match text.to_lowercase().as_str() {
            "" | "file" | "f" => Ok('f'),
            "command" | "c" => Ok('c'),
            "keyring" | "k" => Ok('k'),
            other => Err(format!("\"{}\" is not file, command or keyring", crate::sanitize::line(other))),
        },
    )?;
    // A keychain this system cannot use is said now, not after every answer.
    let from = if from == 'k'
        && let Err(why) = crate::config::secret_source::keyring_usable()
    {
        eprintln!("  {why}; choose file or command.");
        return ask_secret_source(asker, secret_name);
    } else {
        from
    };
    Ok(match from {
        'c' => SecretFrom::Command(asker.ask(
            "The command (its first line of output is the secret, e.g. pass show capillary/eu): ",
            |text| {
                if text.is_empty() { Err("a command is needed".into()) } else { Ok(text.to_string()) }
            },
        )?),
        'k' => SecretFrom::Keyring(asker.ask_secret(&format!("The {secret_name} (not shown): "))?),
        _ => SecretFrom::File(asker.ask_secret(&format!("The {secret_name} (not shown): "))?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asker(input: &str) -> Asker {
        Asker { lines: Box::new(std::io::Cursor::new(input.to_string().into_bytes())), terminal: false }
    }

    #[test]
    fn a_typo_is_asked_again_and_a_piped_secret_keeps_its_spaces() {
        let mut a = asker("eu-west\neu\n\nbasik\nbasic\n\nstore.till\nfiel\nfile\n  pass word \n");
        let answers = ask_all(&mut a).unwrap();
        assert_eq!(answers.host, ("cluster", "eu".to_string()));
        assert_eq!(answers.country_code.as_deref(), Some("44"), "Enter takes the cluster's suggestion");
        assert!(!answers.oauth);
        assert_eq!(answers.account, "store.till");
        assert_eq!(answers.secret, SecretFrom::File(Secret::new("  pass word ")));
    }

    #[test]
    fn the_country_code_is_asked_until_it_is_one() {
        let mut a = asker("https://api.example.in\n+9a\n0091\n\nu\nc\npass show x\n");
        let answers = ask_all(&mut a).unwrap();
        assert_eq!(answers.country_code.as_deref(), Some("91"));
        assert_eq!(answers.secret, SecretFrom::Command("pass show x".into()));
        let mut a = asker("http://127.0.0.1:9\n\n");
        assert!(ask_all(&mut a).is_err(), "the input ended");
        let mut a = asker("http://127.0.0.1:9\nnone\no\nkey\nfile\ns\n");
        let answers = ask_all(&mut a).unwrap();
        assert_eq!(answers.country_code, None);
        assert!(answers.oauth);
    }

    #[test]
    fn clusters_and_hosts_suggest_their_country() {
        assert_eq!(suggested_country_code(&("cluster", "apac".into())), Some("91"));
        assert_eq!(suggested_country_code(&("base_url", "https://eu.api.capillarytech.com".into())), Some("44"));
        assert_eq!(suggested_country_code(&("base_url", "https://loyalty.brand.co.in".into())), Some("91"));
        assert_eq!(suggested_country_code(&("base_url", "http://127.0.0.1:8089".into())), None);
    }
}
