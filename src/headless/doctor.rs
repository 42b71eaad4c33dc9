//! `target-events doctor`: the setup checked as every command resolves it,
//! one line per check, the fix under each that fails. Exit 0 all good (or
//! warnings only), 1 a check failed, 2 invalid input.

use crate::cli::{ConnectionArgs, DoctorFormat};
use crate::core::doctor::{self, Check, Mark};

/// Checks the explorer's `[keys]` and `[theme]` (given by the caller: the
/// headless commands know nothing of the explorer's actions).
pub type LookCheck = fn(&crate::config::Settings) -> Result<String, String>;

pub async fn run(connection: &ConnectionArgs, format: DoctorFormat, look: Option<LookCheck>) -> i32 {
    let checks = checks(connection, look).await;
    match checks {
        Err(code) => code,
        Ok(checks) => {
            print(&checks, format);
            if doctor::all_good(&checks) { 0 } else { 1 }
        }
    }
}

/// Every check, or 2 when the command line itself is invalid.
pub async fn checks(connection: &ConnectionArgs, look: Option<LookCheck>) -> Result<Vec<Check>, i32> {
    if let Some(url) = &connection.base_url {
        let parsed = url::Url::parse(url.trim())
            .map_err(|e| e.to_string())
            .and_then(|u| crate::config::check_base(&u).map_err(|e| e.to_string()));
        if let Err(e) = parsed {
            eprintln!("error: --base-url {}: {e}", crate::sanitize::line(url));
            return Err(2);
        }
    }
    let path = connection.config.clone().or_else(crate::config::default_config_path);
    let mut checks = vec![doctor::config_file(path.as_deref())];
    let settings = match crate::session::resolve_settings(connection, None) {
        Ok((settings, _)) => settings,
        Err(e) => {
            checks.push(Check::fail(
                "profile and origin",
                crate::sanitize::multiline(&format!("{e:#}")).into_owned(),
                "correct what is named (target-events profile list shows the profiles)",
            ));
            return Ok(checks);
        }
    };
    checks.push(doctor::profile_and_origin(&settings));
    if let Some(look) = look {
        checks.push(match look(&settings) {
            Ok(said) => Check::pass("keys and theme", said),
            Err(why) => Check::fail(
                "keys and theme",
                crate::sanitize::line(&why).into_owned(),
                "correct the line named in the config file (README: Your own keys and colours)",
            ),
        });
    }
    // Credentials kept from a host they do not belong to, say.
    for w in &settings.warnings {
        checks.push(Check::warn(
            "credentials",
            w.clone(),
            "give that host a profile of its own (target-events profile add NAME), or drop --base-url",
        ));
    }
    for said in &settings.out_of_range {
        checks.push(Check::warn("settings", said.clone(), "set it within its range in the profile"));
    }
    match crate::session::Session::open(&settings).await {
        Ok(session) => {
            checks.extend(doctor::network(&session.client, &settings).await);
        }
        Err(e) => checks.push(Check::fail(
            "client",
            crate::sanitize::multiline(&format!("{e:#}")).into_owned(),
            "correct the profile's settings",
        )),
    }
    checks.push(doctor::rate_limit(&settings));
    Ok(checks)
}

fn print(checks: &[Check], format: DoctorFormat) {
    match format {
        DoctorFormat::Json => {
            let value = serde_json::json!({ "ok": doctor::all_good(checks), "checks": checks });
            println!("{}", crate::core::export::terminal_safe_json(&value, true));
        }
        DoctorFormat::Text => {
            let width = checks.iter().map(|c| c.name.chars().count()).max().unwrap_or(0);
            for c in checks {
                println!("{} {:width$}  {}", c.mark.symbol(), c.name, crate::sanitize::line(&c.detail));
                if let (Some(fix), Mark::Fail | Mark::Warn) = (&c.fix, c.mark) {
                    println!("  {:width$}  → {}", "", crate::sanitize::line(fix));
                }
            }
            let failed = checks.iter().filter(|c| c.mark == Mark::Fail).count();
            let warned = checks.iter().filter(|c| c.mark == Mark::Warn).count();
            match (failed, warned) {
                (0, 0) => println!("All good."),
                (0, w) => println!("All good, with {w} warning{}.", if w == 1 { "" } else { "s" }),
                (f, _) => println!("{f} check{} failed.", if f == 1 { "" } else { "s" }),
            }
        }
    }
}
