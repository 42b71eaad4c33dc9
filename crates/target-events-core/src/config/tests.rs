//! Settings resolution: sources, origins, secrets and files.
use super::*;
use std::collections::HashMap;

fn env(map: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = map.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |k| map.get(k).cloned()
}

fn no_prompt(_: &str) -> Option<Secret> {
    None
}

#[test]
fn nothing_configured_means_demo() {
    let s = resolve(None, &env(&[]), &Flags::default(), &no_prompt).unwrap();
    assert!(s.is_demo());
}

const EU_FILE: &str = r#"default_profile = "eu"
    [profiles.eu]
    cluster = "eu"
    username = "store123"
    password = "from-file"
    page_size = 25"#;

fn with_file(text: &str) -> Option<(&'static Path, ConfigFile)> {
    Some((Path::new("/nonexistent/config.toml"), toml::from_str(text).unwrap()))
}

#[test]
fn the_environment_fills_a_profile_and_overrides_it() {
    let e = env(&[("CAP_PASSWORD", "from-env")]);
    let s = resolve(with_file(EU_FILE), &e, &Flags::default(), &no_prompt).unwrap();
    assert_eq!(s.target, Target::Remote(Url::parse("https://eu.api.capillarytech.com").unwrap()));
    assert_eq!(s.page_size, 25);
    match s.credentials {
        Credentials::Basic { username, password, .. } => {
            assert_eq!(username, "store123");
            assert_eq!(password.expose(), "from-env");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn credentials_stay_with_the_origin_that_supplied_them() {
    // A flag pointing elsewhere does not take the profile's credentials along.
    let flags = Flags { base_url: Some("https://proxy.example/api".into()), ..Flags::default() };
    let s = resolve(with_file(EU_FILE), &env(&[]), &flags, &no_prompt).unwrap();
    assert_eq!(s.target, Target::Remote(Url::parse("https://proxy.example/api").unwrap()));
    assert!(s.credentials.is_none(), "{:?}", s.credentials);
    assert!(s.warnings.iter().any(|w| w.contains("not sent to https://proxy.example")), "{:?}", s.warnings);
    // Nor do the environment's, when it names its own host.
    let e = env(&[("CAP_BASE_URL", "https://eu.api.capillarytech.com"), ("CAP_USERNAME", "u"), ("CAP_PASSWORD", "p")]);
    let s = resolve(None, &e, &flags, &no_prompt).unwrap();
    assert!(s.credentials.is_none());
    // A pasted URL on another origin: no credentials at all, and the reason.
    let flags = Flags { url_base: Some(Url::parse("http://127.0.0.1:9/").unwrap()), ..Flags::default() };
    let s = resolve(None, &e, &flags, &no_prompt).unwrap();
    assert!(s.credentials.is_none());
    assert_eq!(s.origin_problem, Some(OriginProblem::NoProfile { origin: "http://127.0.0.1:9".into() }));
    let s = resolve(with_file(EU_FILE), &env(&[]), &flags, &no_prompt).unwrap();
    assert!(s.credentials.is_none() && s.origin_problem.is_some());
    // The same URL on the profile's origin picks it, credentials and all.
    let flags = Flags { url_base: Some(Url::parse("https://eu.api.capillarytech.com/").unwrap()), ..Flags::default() };
    let s = resolve(with_file(EU_FILE), &env(&[]), &flags, &no_prompt).unwrap();
    assert!(matches!(s.credentials, Credentials::Basic { .. }) && s.origin_problem.is_none());
}

#[test]
fn of_two_profiles_on_one_host_the_default_ones_credentials_are_used() {
    let text = r#"default_profile = "second"
        [profiles.first]
        cluster = "eu"
        username = "first-user"
        password = "p1"
        [profiles.second]
        cluster = "eu"
        username = "second-user"
        password = "p2""#;
    let flags = Flags { url_base: Some(Url::parse("https://eu.api.capillarytech.com/").unwrap()), ..Flags::default() };
    let s = resolve(with_file(text), &env(&[]), &flags, &no_prompt).unwrap();
    assert_eq!(s.profile_name.as_deref(), Some("second"));
    assert!(matches!(&s.credentials, Credentials::Basic { username, .. } if username == "second-user"));
}

#[test]
fn a_url_with_userinfo_is_refused() {
    let e = env(&[("CAP_BASE_URL", "https://eu.api.capillarytech.com@attacker.example")]);
    let err = resolve(None, &e, &Flags::default(), &no_prompt).unwrap_err();
    assert!(err.to_string().contains("user@host"), "{err}");
}

#[test]
fn clusters_resolve_and_unknown_ones_are_named() {
    let s = resolve(
        None,
        &env(&[("CAP_CLUSTER", "eu"), ("CAP_USERNAME", "u"), ("CAP_PASSWORD", "p")]),
        &Flags::default(),
        &no_prompt,
    )
    .unwrap();
    assert_eq!(s.target, Target::Remote(Url::parse("https://eu.api.capillarytech.com").unwrap()));
    let err = resolve(None, &env(&[("CAP_CLUSTER", "mars")]), &Flags::default(), &no_prompt).unwrap_err();
    assert!(err.to_string().contains("unknown cluster \"mars\""));
}

#[test]
fn a_missing_password_is_prompted_for_or_explained() {
    let e = env(&[("CAP_CLUSTER", "eu"), ("CAP_USERNAME", "store123")]);
    let err = resolve(None, &e, &Flags::default(), &no_prompt).unwrap_err();
    assert!(err.to_string().contains("set CAP_PASSWORD"));
    let s = resolve(None, &e, &Flags::default(), &|_| Some(Secret::new("typed"))).unwrap();
    assert!(matches!(s.credentials, Credentials::Basic { .. }));
}

#[test]
fn credentials_without_a_host_are_an_error() {
    let err = resolve(None, &env(&[("CAP_USERNAME", "u"), ("CAP_PASSWORD", "p")]), &Flags::default(), &no_prompt)
        .unwrap_err();
    assert!(err.to_string().contains("no API host"));
}

#[cfg(unix)]
#[test]
fn a_readable_secret_file_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("te-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, "[profiles.p]\ncluster = \"eu\"\nusername = \"u\"\npassword = \"p\"\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let file = load_file(&path).unwrap().unwrap();
    let e = resolve(Some((&path, file)), &env(&[]), &Flags::default(), &no_prompt).unwrap_err().to_string();
    assert!(e.contains("chmod 600") && e.contains("mode 644"), "{e}");
    // A secret in any profile counts, not just the one in use.
    std::fs::write(
        &path,
        "default_profile = \"plain\"\n[profiles.plain]\ncluster = \"eu\"\n[profiles.other]\ncluster = \"us\"\nusername = \"u\"\npassword = \"p\"\n",
    )
    .unwrap();
    let file = load_file(&path).unwrap().unwrap();
    assert!(resolve(Some((&path, file)), &env(&[]), &Flags::default(), &no_prompt).is_err());
    // A command instead of the secret: readable is no leak.
    std::fs::write(
        &path,
        "[profiles.p]\ncluster = \"eu\"\nusername = \"u\"\npassword_command = \"printf 'from-command\\\\n'\"\n",
    )
    .unwrap();
    let file = load_file(&path).unwrap().unwrap();
    let s = resolve(Some((&path, file)), &env(&[]), &Flags::default(), &no_prompt).unwrap();
    match s.credentials {
        Credentials::Basic { password, .. } => assert_eq!(password.expose(), "from-command"),
        other => panic!("{other:?}"),
    }
    // A directory is no config file.
    assert!(load_file(&dir).unwrap_err().to_string().contains("is a directory"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn choosing_runs_no_command_and_says_where_each_secret_comes_from() {
    // A command that would leave a mark if it ran.
    let mark = std::env::temp_dir().join(format!("te-choose-{}", std::process::id()));
    let file =
        format!("[profiles.p]\ncluster = \"eu\"\nusername = \"u\"\npassword_command = \"touch {}\"\n", mark.display());
    let choice = choose(with_file(&file), &env(&[]), &Flags::default()).unwrap();
    assert_eq!(choice.profile_name.as_deref(), Some("p"));
    assert!(!mark.exists(), "choosing ran the command");
    match choice.wanted() {
        Wanted::Basic { username, password: SecretSource::Command(c), .. } => {
            assert_eq!(username, "u");
            assert!(c.starts_with("touch "));
        }
        other => panic!("{other:?}"),
    }
    // Written, in the keychain, or asked for: one enum says which.
    let written = choose(with_file(EU_FILE), &env(&[]), &Flags::default()).unwrap();
    assert!(matches!(written.wanted(), Wanted::Basic { password: SecretSource::Given(_), .. }));
    let keyring = "[profiles.k]\ncluster = \"eu\"\nusername = \"u\"\npassword_keyring = true\n";
    assert!(matches!(
        choose(with_file(keyring), &env(&[]), &Flags::default()).unwrap().wanted(),
        Wanted::Basic { password: SecretSource::Keyring, .. }
    ));
    let ask = "[profiles.a]\ncluster = \"eu\"\nusername = \"u\"\n";
    assert!(matches!(
        choose(with_file(ask), &env(&[]), &Flags::default()).unwrap().wanted(),
        Wanted::Basic { password: SecretSource::Ask, .. }
    ));
    // The Debug of a choice never shows a written secret.
    assert!(!format!("{written:?}").contains("from-file"));
}

#[test]
fn a_setting_out_of_its_range_is_used_at_its_bound_and_said() {
    let s = resolve(
        with_file("[profiles.p]\ncluster = \"eu\"\npage_size = 0\nconcurrency = 99\n"),
        &env(&[]),
        &Flags::default(),
        &no_prompt,
    )
    .unwrap();
    assert_eq!((s.page_size, s.concurrency), (1, 32));
    assert_eq!(
        s.out_of_range,
        [
            "page_size = 0 is out of its range (1–1000): 1 is used",
            "concurrency = 99 is out of its range (1–32): 32 is used"
        ]
    );
    let s = resolve(
        with_file("[profiles.p]\ncluster = \"eu\"\npage_size = 50\n"),
        &env(&[]),
        &Flags::default(),
        &no_prompt,
    )
    .unwrap();
    assert!(s.out_of_range.is_empty());
}

#[test]
fn keys_and_theme_entries_keep_their_lines() {
    let file =
        ConfigFile::parse("# mine\n[keys]\nverdict = \"v\"\ndown = [\"J\", \"Down\"]\n\n[theme]\naccent = 208\n")
            .unwrap();
    let keys: Vec<(&str, usize)> = file.look.keys.iter().map(|e| (e.name.as_str(), e.line)).collect();
    assert_eq!(keys, [("verdict", 3), ("down", 4)]);
    assert_eq!(file.look.keys[1].values, ["J", "Down"]);
    assert_eq!((file.look.theme[0].values[0].as_str(), file.look.theme[0].line), ("208", 7));
    // A value of the wrong kind is the look's problem, not the file's.
    let file = ConfigFile::parse("[keys]\nverdict = 5\n[theme]\naccent = [\"red\"]\n").unwrap();
    assert_eq!(
        file.look.problems,
        [
            "line 2: [keys] verdict must be a key (\"v\") or a list of keys ([\"v\", \"Ctrl-v\"])",
            "line 4: [theme] accent must be a colour (\"cyan\", \"#00afd7\", 208)"
        ]
    );
}
