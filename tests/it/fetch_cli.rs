//! `target-events fetch`, the real binary: against the embedded demo API and
//! against a base URL with Basic auth from the environment.

use crate::common;

use std::process::{Command, Output};
use std::time::Duration;

use serde_json::Value;

use common::sandbox::{Sandbox, stderr, stdout};

#[test]
fn json_is_the_events_exactly_as_received() {
    let sb = Sandbox::new("json");
    let o = sb.run(&["fetch", "--user-id", "564332013", "--rule-id", "1986", "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let got: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let sample: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/doc-transactional.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(got, sample["data"]);
    assert!(stdout(&o).contains("\"targetValue\": 2000.46"));
    assert!(stderr(&o).contains("page 1 of 1 · events 1–10 of 10"), "{}", stderr(&o));
}

#[test]
fn behavioural_values_keep_their_trailing_zeros() {
    let sb = Sandbox::new("jsonl");
    let o =
        sb.run(&["fetch", "--user-id", "387544807", "--rule-id", "79192", "--limit", "1", "--format", "jsonl"], &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 1);
    assert!(out.contains("\"targetValue\":1.000"), "{out}");
    assert!(stderr(&o).contains("page 1 of 2"));
}

#[test]
fn table_is_aligned_with_exact_values() {
    let sb = Sandbox::new("table");
    let o = sb.run(&["fetch", "--user-id", "564332013", "--rule-id", "1986", "--period-id", "9887"], &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("EVENT DATE"));
    assert_eq!(lines.len(), 6);
    // Right-aligned money: every value ends just before the PERIOD column.
    let period_col = lines[0].find("PERIOD").unwrap();
    for line in &lines[1..] {
        let chars: Vec<char> = line.chars().collect();
        assert!(chars[period_col - 3].is_ascii_digit() && chars[period_col - 2] == ' ', "{out}");
    }
    assert!(out.contains("2000.46"));
}

#[test]
fn csv_has_a_header_and_neutralised_formulas() {
    let sb = Sandbox::new("csv");
    let o = sb.run(&["fetch", "--user-id", "666000666", "--rule-id", "4040", "--limit", "20", "--format", "csv"], &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("eventDate,eventName,eventDisplayName,targetValue"));
    assert!(out.contains("'=HYPERLINK("), "{out}");
    assert!(out.contains("'+SUM(A1:A9)"));
    assert!(!out.chars().any(|c| c != '\n' && target_events::sanitize::is_unsafe(c)), "{out:?}");
}

#[test]
fn page_two_is_asked_for_with_offset_one() {
    let sb = Sandbox::new("page");
    let o = sb.run(
        &["fetch", "--user-id", "564332013", "--rule-id", "1986", "--limit", "4", "--page", "2", "--format", "jsonl"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).lines().next().unwrap().contains("608082820"));
    assert!(stderr(&o).contains("page 2 of 3 · events 5–8 of 10"), "{}", stderr(&o));
}

#[test]
fn no_events_prints_nothing_and_explains() {
    let sb = Sandbox::new("none");
    let o = sb.run(&["fetch", "--user-id", "610000042", "--rule-id", "1986"], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("No events recorded for customer 610000042 in target rule 1986"));
}

#[test]
fn api_errors_exit_1_with_code_status_and_request_id() {
    let sb = Sandbox::new("apierr");
    let o = sb.run(&["fetch", "--user-id", "1", "--rule-id", "1986"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("The API rejected the userId: Invalid userId."), "{err}");
    assert!(err.contains("code:       310011") && err.contains("HTTP 400") && err.contains("-demo-"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn invalid_input_exits_2_and_sends_nothing() {
    let sb = Sandbox::new("invalid");
    for args in [
        &["fetch", "--user-id", "abc", "--rule-id", "1986"][..],
        &["fetch", "--user-id", "0", "--rule-id", "1986"],
        &["fetch", "--user-id", "99999999999999999999", "--rule-id", "1986"],
        &["fetch", "--user-id", "1", "--rule-id", "1986", "--limit", "1001"],
        &["fetch", "--user-id", "1", "--rule-id", "1986", "--page", "0"],
        &["fetch", "--rule-id", "1986"],
    ] {
        let o = sb.run(args, &[]);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
        assert!(!stderr(&o).is_empty());
    }
    // Nothing was sent: the log has no request in it.
    let log = std::fs::read_to_string(sb.log()).unwrap_or_default();
    assert!(!log.contains("request done"), "{log}");
}

#[test]
fn a_real_base_url_with_basic_auth_from_the_environment() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(Some(common::demo_auth(Duration::from_secs(60)))));
    let base = server.base_url().to_string();
    let sb = Sandbox::new("remote");
    let env = [("CAP_BASE_URL", base.as_str()), ("CAP_USERNAME", common::USER), ("CAP_PASSWORD", common::PASSWORD)];
    let o = sb.run(&["fetch", "--user-id", "564332013", "--rule-id", "1986", "--format", "jsonl"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 10);
    // And a wrong password is an authentication error naming the user.
    let env = [("CAP_BASE_URL", base.as_str()), ("CAP_USERNAME", common::USER), ("CAP_PASSWORD", "nope")];
    let o = sb.run(&["fetch", "--user-id", "564332013", "--rule-id", "1986"], &env);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("HTTP 401") && stderr(&o).contains(common::USER), "{}", stderr(&o));
    assert!(!stderr(&o).contains("nope"));
}

#[test]
fn help_names_the_log_file() {
    let sb = Sandbox::new("help");
    let o = sb.run(&["--help"], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Log file:") && stdout(&o).contains("target-events.log"), "{}", stdout(&o));
}

#[test]
fn fetch_all_writes_every_event_once_to_a_file() {
    let sb = Sandbox::new("all");
    let out = sb.dir.join("all.jsonl");
    let o = sb.run(
        &[
            "fetch",
            "--all",
            "--user-id",
            "712004518",
            "--rule-id",
            "2410",
            "--format",
            "jsonl",
            "--output",
            out.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    let ids: Vec<i64> =
        text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["eventLogId"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 1317);
    assert_eq!(ids.iter().collect::<std::collections::HashSet<_>>().len(), 1317);
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in the API's order");
    assert!(stderr(&o).contains("1317 events from 2 of 2 pages (1000 per page)"), "{}", stderr(&o));
}

#[test]
fn hostile_names_never_reach_the_terminal_raw_in_any_format() {
    let sb = Sandbox::new("hostile");
    for format in ["table", "csv", "json", "jsonl"] {
        let o =
            sb.run(&["fetch", "--user-id", "666000666", "--rule-id", "4040", "--limit", "20", "--format", format], &[]);
        assert_eq!(o.status.code(), Some(0));
        let out = stdout(&o);
        assert!(out.contains("RED ALERT"), "{format}: the data is there");
        assert!(!out.chars().any(|c| c != '\n' && target_events::sanitize::is_unsafe(c)), "{format}: {out:?}");
        assert!(!stderr(&o).chars().any(|c| c != '\n' && target_events::sanitize::is_unsafe(c)));
    }
    // And exports written to a file.
    let file = sb.dir.join("hostile.csv");
    let o = sb.run(
        &[
            "fetch",
            "--all",
            "--user-id",
            "666000666",
            "--rule-id",
            "4040",
            "--format",
            "csv",
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(0));
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 13, "a header and twelve events, each on one line");
    assert!(!text.chars().any(|c| c != '\n' && target_events::sanitize::is_unsafe(c)), "{text:?}");
}

#[test]
fn customer_takes_every_form_and_says_the_id() {
    let sb = Sandbox::new("customer");
    for ident in ["priya.nair@example.com", "mobile:910564332013", "external:EXT564332013", "card:LOYAL564332013"] {
        let o = sb.run(&["fetch", "--customer", ident, "--rule-id", "1986", "--format", "jsonl"], &[]);
        assert_eq!(o.status.code(), Some(0), "{ident}: {}", stderr(&o));
        assert!(stderr(&o).contains("is 564332013 [request id"), "{ident}: {}", stderr(&o));
        assert_eq!(stdout(&o).lines().count(), 10, "{ident}");
    }
    // An unknown customer: exit 1 with the sentence, code, status and request id.
    let o = sb.run(&["fetch", "--customer", "nobody@example.com", "--rule-id", "1986"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("code:       8015") && err.contains("status:     HTTP 400"), "{err}");
    assert!(
        err.contains("Customer not found for the given identifiers") && err.contains("request id: 5ec897b9"),
        "{err}"
    );
    // An invalid form: exit 2, nothing sent.
    let o = sb.run(&["fetch", "--customer", "mobile:12", "--rule-id", "1986"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a mobile is 8–15 digits") && stderr(&o).contains("Nothing was sent"),
        "{}",
        stderr(&o)
    );
    // Not both.
    let o = sb.run(&["fetch", "--customer", "564332013", "--user-id", "564332013", "--rule-id", "1986"], &[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn explain_in_text_json_and_a_case_note_without_secrets() {
    use target_events::api::auth::md5_hex;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(Some(common::demo_auth(Duration::from_secs(60)))));
    let base = server.base_url().to_string();
    let sb = Sandbox::new("explain");
    let env = [("CAP_BASE_URL", base.as_str()), ("CAP_USERNAME", common::USER), ("CAP_PASSWORD", common::PASSWORD)];
    let args = ["explain", "--customer", "mei.lin@example.com", "--rule-id", "3150"];
    // Text: the headline per period and the event that moved.
    let o = sb.run(&args, &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("Period Q1_2025 (31501): 2025-01-01 → 2025-03-31"), "{text}");
    assert!(text.contains("Not reached: 2751.990 of 3000.00 — 248.010 short"), "{text}");
    assert!(text.contains("event 640100091") && text.contains("counted in Q2_2025 (31502)"), "{text}");
    // JSON: stable fields, money as exact strings.
    let o = sb.run(&[&args[..], &["--format", "json", "--period-id", "31501"]].concat(), &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["customer"]["userId"], 498221730);
    assert_eq!(v["customer"]["foundBy"], "email mei.lin@example.com");
    let p = &v["periods"][0];
    assert_eq!(
        (p["periodId"].as_i64(), p["target"].as_str(), p["achieved"].as_str()),
        (Some(31501), Some("3000.00"), Some("2751.990"))
    );
    assert_eq!(p["outcome"]["kind"], "notReached");
    assert_eq!(p["outcome"]["shortBy"], "248.010");
    assert_eq!(p["countedElsewhere"][0]["eventLogId"], 640100091);
    assert!(v["requests"].as_array().unwrap().iter().all(|r| r["requestId"].is_string()));
    // The case note: every request id, and no secret.
    let o = sb.run(&[&args[..], &["--format", "markdown"]].concat(), &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let note = stdout(&o);
    assert!(note.starts_with("# Case note: customer 498221730, rule 3150"), "{note}");
    // Every request (lookup, targets, each events page) with its request id.
    let rows: Vec<&str> = note.lines().filter(|l| l.starts_with("| 200 | ")).collect();
    assert_eq!(rows.len(), v["requests"].as_array().unwrap().len(), "{note}");
    assert!(rows.iter().all(|r| r.contains("-demo-")), "{note}");
    assert!(note.contains("curl '") && note.contains("$CAP_PASSWORD"), "{note}");
    use base64::Engine;
    let header =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", common::USER, md5_hex(common::PASSWORD)));
    for secret in [common::PASSWORD.to_string(), md5_hex(common::PASSWORD), header] {
        assert!(!note.contains(&secret), "a secret in the case note");
    }
    // No such rule for the customer: invalid input.
    let o = sb.run(&["explain", "--user-id", "498221730", "--rule-id", "1"], &env);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn the_demo_customer_shows_each_case_the_verdict_explains() {
    let sb = Sandbox::new("why");
    let o = sb
        .run(&["--demo", "explain", "--customer", "card:LOYAL777000777", "--rule-id", "7610", "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let (sep, oct) = (&v["periods"][0], &v["periods"][1]);
    assert_eq!(sep["outcome"]["shortBy"], "179.50");
    assert_eq!(sep["wouldHaveReached"]["eventLogId"], 940000005, "the late bill alone would have made it");
    assert_eq!(sep["wouldHaveReached"]["periodId"], 7602);
    assert_eq!(sep["returnsTotal"], "-380.00");
    assert_eq!(sep["beforeEnrolment"][0]["eventLogId"], 940000001);
    assert_eq!(sep["milestones"][0]["crossedOn"]["eventLogId"], 940000002);
    assert_eq!(sep["milestones"][0]["reachedByApi"], true);
    assert_eq!((oct["achieved"].as_str(), oct["eventsSum"].as_str()), (Some("4350.00"), Some("4200.00")));
    assert_eq!(oct["difference"], "150.00", "the API counts more than the listed events");
    assert_eq!(oct["current"], true);
}

#[test]
fn customer_takes_a_number_as_spoken_and_digits_that_are_a_mobile() {
    let sb = Sandbox::new("spoken");
    for spoken in ["+91 98000-00007", "98000 00007", "919800000007"] {
        let o = sb.run(&["fetch", "--customer", spoken, "--rule-id", "7610", "--format", "jsonl"], &[]);
        assert_eq!(o.status.code(), Some(0), "{spoken}: {}", stderr(&o));
        assert_eq!(stdout(&o).lines().count(), 7, "{spoken}: all of 777000777's events");
        if spoken == "919800000007" {
            assert!(
                stderr(&o).contains("No customer 919800000007; found by mobile +91 98000 00007 → 777000777"),
                "{}",
                stderr(&o)
            );
        }
    }
    // The explorer and the headless command agree on who it is.
    let o = sb.run(&["explain", "--customer", "919800000007", "--rule-id", "7610", "--format", "markdown"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("mobile 919800000007"), "the note says how the customer was found");
}

#[cfg(unix)]
#[test]
fn a_full_disk_leaves_no_partial_file_and_never_harms_the_old_one() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new("full-disk");
    let out = sb.dir.join("events.csv");
    let path = out.to_str().unwrap();
    let all = ["--demo", "fetch", "--all", "--user-id", "712004518", "--rule-id", "2410", "--format", "csv"];
    // A new file: the write fails, nothing is left behind.
    let o = run_with_file_limit(&sb, 32, &[&all[..], &["-o", path]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("Could not write"), "{}", stderr(&o));
    assert!(!out.exists(), "no truncated file");
    let leftovers: Vec<_> = std::fs::read_dir(&sb.dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial") || n.contains("events"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary left: {leftovers:?}");
    // --force over a good file: the failure leaves the good file whole.
    std::fs::write(&out, "good\n").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = run_with_file_limit(&sb, 32, &[&all[..], &["-o", path, "--force"]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "good\n");
    // With room, --force replaces it with a whole, private file.
    let o = sb.run(&[&all[..], &["-o", path, "--force"]].concat(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 1318, "a header and every event");
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    // explain's note alike.
    let note = sb.dir.join("note.md");
    let args = ["--demo", "explain", "--user-id", "777000777", "--rule-id", "7610", "--format", "markdown"];
    let o = run_with_file_limit(&sb, 1, &[&args[..], &["-o", note.to_str().unwrap()]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!note.exists());
}

#[cfg(unix)]
#[test]
fn an_interrupted_fetch_all_writes_what_it_has_and_says_it_is_incomplete() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(None));
    server.with_faults(|p| p.latency_ms = 400);
    let sb = Sandbox::new("fetch-interrupted");
    let out = sb.dir.join("events.csv");
    let args = ["fetch", "--all", "--user-id", "712004518", "--rule-id", "2410", "--limit", "50", "--format", "csv"];
    let child = sb.spawn(&[&args[..], &["-o", out.to_str().unwrap()]].concat(), server.base_url().as_ref());
    // 27 pages, eight at a time at 400 ms (four rounds): interrupted two rounds in.
    std::thread::sleep(Duration::from_millis(1000));
    Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(143), "{}", stderr(&o));
    assert!(stderr(&o).contains("The output is incomplete: interrupted by SIGTERM after"), "{}", stderr(&o));
    // Counted out of the pages there are, not the ones asked for so far.
    assert!(stderr(&o).contains(" of 27 pages."), "{}", stderr(&o));
    let rows = std::fs::read_to_string(&out).expect("what was fetched is written").lines().count();
    assert!(rows > 1 && rows < 1318, "some events, not all: {rows}");
}

#[cfg(unix)]
#[test]
fn fetch_watch_prints_every_event_once_when_they_come_faster_than_a_page_a_poll() {
    use std::sync::Arc;
    use target_events::demo::{Dataset, DemoOptions, DemoServer};
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Customer 808000808 buys every 150 ms: about 13 events between polls
    // two seconds apart, more than a page of ten.
    let mut dataset = Dataset::embedded();
    let live = dataset.customers.iter_mut().find(|c| c.user_id == 808000808).unwrap().live.as_mut().unwrap();
    live.every_millis = Some(150);
    live.max = 400;
    let server = rt
        .block_on(DemoServer::start(DemoOptions { dataset: Arc::new(dataset), live: true, ..DemoOptions::default() }))
        .unwrap();
    let sb = Sandbox::new("watch-busy");
    let args = ["fetch", "--watch", "--user-id", "808000808", "--rule-id", "8080", "--limit", "10", "--interval", "2"];
    let child = sb.spawn(&args, server.base_url().as_ref());
    std::thread::sleep(Duration::from_millis(6500));
    Command::new("kill").arg("-INT").arg(child.id().to_string()).status().unwrap();
    let o = child.wait_with_output().unwrap();
    let ids: Vec<i64> =
        stdout(&o).lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["eventLogId"].as_i64().unwrap()).collect();
    assert!(ids.len() >= 20, "new events were printed: {ids:?}\n{}", stderr(&o));
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "each printed once: {ids:?}");
    assert_eq!(sorted.last().unwrap() - sorted[0] + 1, ids.len() as i64, "none skipped between: {ids:?}");
}

#[test]
fn explain_without_a_rule_explains_every_target_of_the_customer() {
    let sb = Sandbox::new("explain-every");
    let o = sb.run(&["--demo", "explain", "--customer", "98000 00007", "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let reports = v.as_array().expect("a report per target");
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["ruleId"], 7610);
    assert_eq!(reports[0]["periods"].as_array().unwrap().len(), 2);
    // A period needs its rule.
    let o = sb.run(&["--demo", "explain", "--user-id", "777000777", "--period-id", "7601"], &[]);
    assert_eq!(o.status.code(), Some(2));
}

/// The binary with a file-size limit, as a full disk would stop it.
#[cfg(unix)]
fn run_with_file_limit(sb: &Sandbox, kib: u32, args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_target-events");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script =
        format!("trap '' XFSZ; ulimit -f {kib}; exec '{bin}' {} --log-file '{}'", quoted.join(" "), sb.log().display());
    Command::new("bash").arg("-c").arg(script).current_dir(&sb.dir).env("HOME", &sb.dir).output().unwrap()
}

#[test]
fn json_output_tells_a_failure_as_data() {
    let sb = Sandbox::new("json-errors");
    for (args, code) in [
        (&["fetch", "--user-id", "999", "--rule-id", "7610", "--format", "json"][..], 310011),
        (&["fetch", "--customer", "nobody@example.com", "--rule-id", "7610", "--format", "jsonl", "--all"][..], 8015),
        (&["explain", "--user-id", "999", "--format", "json"][..], 310011),
    ] {
        let o = sb.run(&[&["--demo"][..], args].concat(), &[]);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let v: Value = serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let error = &v["error"];
        assert_eq!(error["code"], code, "{args:?}: {v}");
        assert_eq!(error["httpStatus"], 400);
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        let id = error["requestId"].as_str().unwrap();
        assert!(stderr(&o).contains(&format!("request id: {id}")), "the person reads the same failure");
    }
    // Text formats keep stdout for the events alone.
    let o = sb.run(&["--demo", "fetch", "--user-id", "999", "--rule-id", "7610", "--format", "csv"], &[]);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(1), ""));
}

/// `-o -` is standard output, as the convention goes (no file named "-"),
/// and one page of more says how to get them all.
#[test]
fn dash_is_standard_output_and_one_page_says_there_is_more() {
    let sb = Sandbox::new("fetch-dash");
    // Run in the sandbox, where a file named "-" would appear.
    let run = |args: &[&str]| sb.command(args).current_dir(&sb.dir).output().unwrap();
    let o = run(&["--demo", "fetch", "--user-id", "712004518", "--rule-id", "2410", "--format", "csv", "-o", "-"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("eventDate,"), "{}", stdout(&o));
    assert!(!sb.dir.join("-").exists(), "no file named -");
    assert!(
        stderr(&o).contains("note: 10 of the 1317 events the server counts (one page); --all fetches every page"),
        "{}",
        stderr(&o)
    );
    for cmd in [vec!["explain", "--user-id", "777000777", "--rule-id", "7610"], vec!["batch", "--customers"]] {
        let mut args = vec!["--demo"];
        args.extend(cmd.iter().copied());
        let file = sb.dir.join("c.txt");
        std::fs::write(&file, "777000777\n").unwrap();
        if args.last() == Some(&"--customers") {
            args.push(file.to_str().unwrap());
            args.extend(["--format", "csv"]);
        }
        args.extend(["-o", "-"]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains("777000777"), "{args:?}: {}", stdout(&o));
        assert!(!sb.dir.join("-").exists(), "{args:?}: no file named -");
    }
}

/// A typo of a subcommand is told the nearest one; a number as spoken given
/// unquoted is told to quote it; neither sends anything.
#[test]
fn a_typo_and_an_unquoted_number_are_answered_as_such() {
    let sb = Sandbox::new("typos");
    let o = sb.run(&["explian"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Did you mean \"explain\"?"), "{}", stderr(&o));
    let o = sb.run(&["--demo", "fetch", "--customer", "98000", "00007", "--rule-id", "7610"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("quote it, --customer \"98000 00007\""), "{}", stderr(&o));
}

/// A headless error's hint names the command line's flags, never the
/// explorer's keys or fields.
#[test]
fn headless_errors_carry_headless_hints() {
    let sb = Sandbox::new("headless-hints");
    let customers = sb.dir.join("c.txt");
    std::fs::write(&customers, "999999999\n").unwrap();
    for args in [
        vec!["--demo", "fetch", "--user-id", "999999999", "--rule-id", "7610"],
        vec!["--demo", "explain", "--user-id", "999999999", "--rule-id", "7610"],
        vec!["--demo", "fetch", "--user-id", "777000777", "--rule-id", "999"],
    ] {
        let o = sb.run(&args, &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("hint:") && err.contains("--"), "{args:?}: a flag is named: {err}");
        for explorer_words in ["highlighted", "press", "Enter", "field"] {
            assert!(!err.contains(explorer_words), "{args:?} says {explorer_words:?}: {err}");
        }
    }
}
