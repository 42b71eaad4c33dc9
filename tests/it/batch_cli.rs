//! `target-events batch`, the real binary: many customers in any form,
//! their targets and (with `--verdict`) each period's verdict, as a table,
//! CSV or JSON; interruptions, bounds and a server that refuses.

use crate::common;

use std::process::Command;
use std::time::Duration;

use common::sandbox::{Sandbox, stderr, stdout};
use serde_json::Value;

#[test]
fn batch_answers_every_line_in_any_form_with_csv_field_by_field() {
    use target_events::demo::Fault;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(None));
    // The first two requests are refused with a Retry-After: the run waits and goes on.
    server.with_faults(|p| {
        p.queue.push_back(Fault::RateLimit { retry_after_secs: 1 });
        p.queue.push_back(Fault::RateLimit { retry_after_secs: 1 });
    });
    let base = server.base_url().to_string();
    let sb = Sandbox::new("batch");
    let file = sb.dir.join("customers.txt");
    std::fs::write(
        &file,
        "# after the outage\n564332013\n\nmobile:910712004518\nnobody@example.com\ncard:LOYAL777000777\n",
    )
    .unwrap();
    let env = [("CAP_BASE_URL", base.as_str())];
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "--format", "csv"], &env);
    assert_eq!(o.status.code(), Some(1), "one line failed: {}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers.join(","),
        "customer,lines,userId,group,target,ruleId,periodId,refCode,start,end,targetValue,achieved,missing,reached,current,\
         error,code,message,httpStatus,requestId"
    );
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    // 3 periods + 8 periods + the unknown customer + 2 periods, in file order.
    assert_eq!(rows.len(), 14);
    assert_eq!(&rows[1][16..], ["", "", "", ""], "an answered row has no failure");
    assert_eq!(
        rows[1][..16],
        [
            "564332013",
            "2",
            "564332013",
            "January Spend Sprint",
            "Spend 5,000 in a cycle",
            "1986",
            "9888",
            "Cycle_2",
            "2025-01-13",
            "2025-01-21",
            "5000.00",
            "3999.54",
            "1000.46",
            "false",
            "false",
            ""
        ]
    );
    assert_eq!(&rows[3][..3], ["mobile:910712004518", "4", "712004518"]);
    let unknown = &rows[11];
    assert_eq!((unknown[0].as_str(), unknown[1].as_str(), unknown[2].as_str()), ("nobody@example.com", "5", ""));
    assert!(unknown[15].starts_with("8015 No customer was found"), "{unknown:?}");
    assert!(unknown[15].contains("[request id "), "{unknown:?}");
    // The same failure field by field, for programs.
    assert_eq!((unknown[16].as_str(), unknown[18].as_str()), ("8015", "400"), "{unknown:?}");
    assert!(unknown[17].starts_with("No customer was found"), "{unknown:?}");
    assert!(unknown[15].ends_with(&format!("[request id {}]", unknown[19])), "the same request id: {unknown:?}");
    assert_eq!(
        &rows[13][..7],
        ["card:LOYAL777000777", "6", "777000777", "Festive Spend Club", "Spend 5,000 in a month", "7610", "7602"]
    );
    assert_eq!(&rows[13][10..15], ["5000.00", "4350.00", "650.00", "false", "true"]);
    // Only one rule, as JSON.
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "--rule-id", "7610", "--format", "json"], &env);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 5, "one row per customer without the rule, two for the one with it");
    assert_eq!(rows[0]["error"], "no target with rule 7610");
    assert_eq!(rows[3]["achieved"], "4820.50");
    let unknown = rows.iter().find(|r| r["customer"] == "nobody@example.com").unwrap();
    assert_eq!(
        (&unknown["failure"]["code"], &unknown["failure"]["httpStatus"]),
        (&Value::from(8015), &Value::from(400))
    );
    assert!(unknown["failure"]["requestId"].is_string() && unknown["failure"]["message"].is_string());
    assert!(rows[3].get("failure").is_none(), "an answered row carries no failure");
    // An invalid line: exit 2, naming it, nothing sent.
    let before = server.api_requests();
    std::fs::write(&file, "564332013\nmobile:12\n").unwrap();
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap()], &env);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 2: \"mobile:12\""), "{}", stderr(&o));
    assert_eq!(server.api_requests(), before);
}

#[test]
fn batch_lines_take_numbers_as_spoken() {
    let sb = Sandbox::new("batch-spoken");
    let file = sb.dir.join("customers.txt");
    std::fs::write(&file, "+91 98000-00007\n919800000007\n").unwrap();
    let o = sb.run(&["--demo", "batch", "--customers", file.to_str().unwrap(), "--format", "csv"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    let found: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(
        found,
        [
            // A cell starting with + would run as a formula in a spreadsheet: it is quoted.
            ("'+91 98000-00007 = 919800000007", "1, 2", "777000777"),
            ("'+91 98000-00007 = 919800000007", "1, 2", "777000777"),
        ],
        "a spoken number, and digits no customer has as id, are the mobile's customer: one customer, answered once"
    );
}

#[test]
fn a_batch_asks_about_each_customer_once_and_refuses_what_is_no_list() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(None));
    let base = server.base_url().to_string();
    let env = [("CAP_BASE_URL", base.as_str())];
    let sb = Sandbox::new("batch-bounds");
    let who = [
        "564332013",
        "priya.nair@example.com",
        "712004518",
        "arjun.mehta@example.com",
        "498221730",
        "mei.lin@example.com",
        "387544807",
        "card:LOYAL387544807",
        "610000042",
        "external:EXT610000042",
        "777000777",
        "nobody@example.com",
    ];
    let mut text = String::from("# ten thousand lines, twelve customers\n\n");
    for i in 0..10_000 {
        text.push_str(who[i % who.len()]);
        text.push('\n');
    }
    let file = sb.dir.join("many.txt");
    std::fs::write(&file, &text).unwrap();
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "--format", "csv"], &env);
    assert_eq!(o.status.code(), Some(1), "the unknown customer's lines failed: {}", stderr(&o));
    let requests = server.api_requests();
    // Twelve customers: six looked up, eleven targets lists (the unknown one has none).
    assert!(requests <= 18, "{requests} requests for twelve customers");
    // One row set per customer, each naming its lines: the output grows with
    // customers, not lines.
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(o.stdout.as_slice())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert!(rows.len() < 100, "{} rows for twelve customers", rows.len());
    assert!(rows.iter().all(|r| r[1].contains(" more")), "every customer names its many lines: {:?}", rows[0]);

    // What is no list of customers: refused with the line, nothing sent.
    let before = server.api_requests();
    let big = "9".repeat(1_000_000);
    for (name, content, says) in [
        ("binary.txt", b"564332013\n\xff\xfe\x00garbage\n".to_vec(), "line 2 is not text"),
        ("long.txt", format!("564332013\n{big}\n").into_bytes(), "line 2 ("),
        ("long-email.txt", format!("{}@example.com\n", "x".repeat(300)).into_bytes(), "too long for an identifier"),
    ] {
        let f = sb.dir.join(name);
        std::fs::write(&f, content).unwrap();
        let o = sb.run(&["batch", "--customers", f.to_str().unwrap(), "--format", "csv"], &env);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(says) && stderr(&o).contains("Nothing was sent"), "{name}: {}", stderr(&o));
        assert!(stderr(&o).len() < 400, "{name}: the bad line is not echoed whole");
    }
    #[cfg(unix)]
    {
        let o = sb.run(&["batch", "--customers", "/dev/zero", "--format", "csv"], &env);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("larger than 16 MiB"), "{}", stderr(&o));
    }
    assert_eq!(server.api_requests(), before, "nothing was sent for a bad file");
}

#[cfg(unix)]
#[test]
fn an_interrupted_batch_keeps_what_was_answered_and_says_it_is_incomplete() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(None));
    server.with_faults(|p| p.latency_ms = 1000);
    let base = server.base_url().to_string();
    let sb = Sandbox::new("batch-interrupted");
    let file = sb.dir.join("customers.txt");
    // Eight customers listed twice (eight ids, then the same eight as cards),
    // eight at a time at a second a request: the ids are answered after ~1 s
    // (an id needs no lookup, then their targets); the cards, looked up
    // after, are not yet at 1.5 s.
    let ids = ["564332013", "712004518", "498221730", "387544807", "610000042", "777000777", "808000808", "666000666"];
    let cards: Vec<String> = ids.iter().map(|id| format!("card:LOYAL{id}")).collect();
    std::fs::write(&file, ids.join("\n") + "\n" + &cards.join("\n") + "\n").unwrap();
    let child = sb.spawn(&["batch", "--customers", file.to_str().unwrap(), "--format", "table"], &base);
    std::thread::sleep(Duration::from_millis(1500));
    Command::new("kill").arg("-INT").arg(child.id().to_string()).status().unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    let out = stdout(&o);
    let last = out.lines().last().unwrap_or_default();
    assert!(last.starts_with("# incomplete: interrupted by SIGINT with "), "a trailing marker: {out}");
    assert!(out.contains("564332013"), "what was answered is kept: {out}");
    assert!(stderr(&o).contains("The output is incomplete"), "{}", stderr(&o));
}
/// A config file in the sandbox: one profile at `base` with this quota.
fn profile_at(sb: &Sandbox, base: &str, requests_per_minute: u32) {
    let dir = sb.dir.join("config/target-events");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!("default_profile = \"t\"\n[profiles.t]\nbase_url = \"{base}\"\nrequests_per_minute = {requests_per_minute}\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[test]
fn batch_verdicts_are_the_verdicts_explain_gives() {
    let sb = Sandbox::new("batch-verdict");
    let file = sb.dir.join("customers.txt");
    std::fs::write(&file, "777000777\n808000808\n# again\n777000777\nnobody@example.com\n").unwrap();
    let o = sb.run(&["--demo", "batch", "--customers", file.to_str().unwrap(), "--verdict", "--format", "csv"], &[]);
    assert_eq!(o.status.code(), Some(1), "one customer is unknown: {}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers[20..].join(","),
        "cause,headline,verdict,shortBy,returnsTotal,eventsCounted,countedElsewhere,wouldHaveReached,\
         uncountedBills,uncountedAmount,billWouldHaveReached,billsNote",
        "{headers:?}"
    );
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    // 777000777's two periods (lines 1 and 4), 808000808's one, the unknown one.
    assert_eq!(rows.len(), 4);
    let sep = &rows[0];
    assert_eq!((sep[0].as_str(), sep[1].as_str(), sep[6].as_str()), ("777000777", "1, 4", "7601"));
    assert_eq!(sep[20], "late", "an event dated in the period counted in the next: {sep:?}");
    assert!(sep[21].starts_with("Missed by 179.50: "), "{sep:?}");
    assert_eq!(
        &sep[22..],
        ["not reached", "179.50", "-380.00", "4", "1", "940000005", "4", "3945.00", "B-88120 (id 994000200)", ""]
    );
    assert_eq!(rows[3][20..].join(""), "", "the unknown customer has no verdict");

    // The same figures as `explain` for each of those periods.
    for (user, rule) in [("777000777", "7610"), ("808000808", "8080")] {
        let o = sb.run(&["--demo", "explain", "--user-id", user, "--rule-id", rule, "--format", "json"], &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
        for period in report["periods"].as_array().unwrap() {
            let id = period["periodId"].to_string();
            let row = rows.iter().find(|r| r[0] == user && r[6] == id).unwrap();
            let standing = match (period["outcome"]["kind"].as_str().unwrap(), period["current"].as_bool()) {
                ("reached" | "reachedByApi", _) => "reached",
                ("notReached", Some(true)) if period["daysLeft"] != 0 => "in progress",
                ("notReached", _) => "not reached",
                _ => "no target",
            };
            assert_eq!(row[22], standing, "{user} {id}");
            assert_eq!(row[23], period["outcome"]["shortBy"].as_str().unwrap_or(""), "{user} {id}");
            // The same money; the batch writes it at the target's scale ("0.00").
            let dec = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
            assert_eq!(dec(&row[24]), dec(period["returnsTotal"].as_str().unwrap()), "{user} {id}");
            assert_eq!(row[26], period["countedElsewhere"].as_array().unwrap().len().to_string());
            if let Some(moved) = period["wouldHaveReached"]["eventLogId"].as_i64() {
                assert!(row[27].split(' ').any(|id| id == moved.to_string()), "{user} {id}: {row:?}");
            }
            // The bills as explain tells them: the uncounted ones dated in
            // the period, their sum, the bill that alone would have reached.
            let bills = &period["bills"];
            let uncounted: Vec<&Value> = bills["lines"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["fate"]["kind"] == "notCounted" && l["inside"] == true)
                .collect();
            assert_eq!(row[28], uncounted.len().to_string(), "{user} {id}");
            let sum: rust_decimal::Decimal = uncounted
                .iter()
                .map(|l| l["bill"]["amount"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
                .sum();
            assert_eq!(row[29].parse::<rust_decimal::Decimal>().unwrap(), sum, "{user} {id}");
            match bills["wouldHaveReached"]["id"].as_i64() {
                Some(bill) => assert!(row[30].ends_with(&format!("(id {bill})")), "{user} {id}: {row:?}"),
                None => assert_eq!(row[30], "", "{user} {id}"),
            }
        }
    }

    // JSON: the verdict as an object, money as exact strings.
    let o = sb.run(&["--demo", "batch", "--customers", file.to_str().unwrap(), "--verdict", "--format", "json"], &[]);
    let answer: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let v = &answer["rows"];
    let verdict = &v[0]["verdict"];
    assert_eq!(verdict["standing"], "notReached");
    assert_eq!((verdict["shortBy"].as_str(), verdict["returnsTotal"].as_str()), (Some("179.50"), Some("-380.00")));
    assert_eq!(verdict["wouldHaveReached"], serde_json::json!([940000005]));
    assert_eq!(v[2]["verdict"]["standing"], "inProgress", "808000808's lifetime target is still open");
    // The cause and the headline in JSON too, money at the target's scale.
    assert_eq!(v[0]["cause"], "late");
    assert!(v[0]["headline"].as_str().is_some_and(|h| h.starts_with("Missed by 179.50: ")), "{}", v[0]);
    for row in v.as_array().unwrap() {
        for money in ["targetValue", "achieved", "missing"] {
            if let Some(m) = row[money].as_str() {
                assert!(m.split_once('.').is_some_and(|(_, d)| d.len() >= 2), "{money} {m}: {row}");
            }
        }
        if let Some(a) = row["verdict"]["bills"]["uncountedAmount"].as_str() {
            assert!(a.contains('.'), "uncountedAmount {a}");
        }
    }
    assert!(v[3].get("verdict").is_none() && v[3]["failure"]["code"] == 8015);
    // Why the missed ones missed, grouped: every missed row in one cause.
    let causes = answer["causes"].as_array().unwrap();
    let missed = v.as_array().unwrap().iter().filter(|r| r["verdict"]["standing"] == "notReached").count();
    assert_eq!(causes.iter().map(|c| c["periods"].as_u64().unwrap() as usize).sum::<usize>(), missed);
    assert!(causes.iter().all(|c| c["customers"].as_u64() >= Some(1) && c["said"].is_string()), "{causes:?}");
}

#[test]
fn without_verdict_a_batch_reads_no_event_and_with_it_each_rule_once() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(None));
    let base = server.base_url().to_string();
    let sb = Sandbox::new("batch-cheap");
    let file = sb.dir.join("customers.txt");
    std::fs::write(&file, "777000777\n808000808\n777000777\n").unwrap();
    let env = [("CAP_BASE_URL", base.as_str())];
    let before = server.api_requests();
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "--format", "csv"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let plain = server.api_requests() - before;
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "--format", "csv", "--verdict"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let with_verdict = server.api_requests() - before - plain;
    // Each customer has one rule of one page and bills of one page: the
    // verdict adds those four pages, nothing else.
    assert_eq!(with_verdict, plain + 4, "plain {plain}, with verdicts {with_verdict}");
}

/// Runs the binary and returns its output with its peak resident memory
/// (KiB), read from /proc while it runs: the kernel's own account of the
/// child would count the memory of this test process it was forked from.
#[cfg(target_os = "linux")]
fn run_measured(sb: &Sandbox, args: &[&str]) -> (String, i32, i64) {
    let mut child = sb
        .command(args)
        .stdout(std::fs::File::create(sb.dir.join("out")).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let code = loop {
        // The high-water mark of the binary's own memory, since its exec.
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(kib) = text.lines().find_map(|l| l.strip_prefix("VmHWM:"))
        {
            peak = peak.max(kib.trim().trim_end_matches("kB").trim().parse().unwrap_or(0));
        }
        if let Some(done) = child.try_wait().unwrap() {
            break done.code().unwrap_or(-1);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (std::fs::read_to_string(sb.dir.join("out")).unwrap(), code, peak)
}

#[cfg(target_os = "linux")]
#[test]
fn a_verdict_over_a_hundred_thousand_events_holds_none_of_them() {
    let mut dataset = target_events::demo::Dataset::embedded();
    dataset.add_generated_customer(900_000_001, 9001, 100_000);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server_with(dataset));
    let sb = Sandbox::new("batch-100k");
    profile_at(&sb, server.base_url().as_str(), 100_000);
    let file = sb.dir.join("customers.txt");
    std::fs::write(&file, "900000001\n777000777\n").unwrap();
    let file = file.to_str().unwrap();
    let (out, code, batch_kib) = run_measured(&sb, &["batch", "--customers", file, "--verdict", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let v = &v["rows"];
    let big = &v[0]["verdict"];
    assert_eq!(big["eventsCounted"], 100_000);
    assert_eq!(big["standing"], "reached", "{big}");
    assert_eq!(v[1]["verdict"]["shortBy"], "179.50", "the small customer alongside");
    // A bill a minute: more than a batch reads for one customer, and said so.
    let note = big["bills"]["note"].as_str().unwrap_or_default();
    assert!(note.contains("stopped after 10 pages of bills"), "{big}");
    // The same events fetched and kept whole, for scale.
    let (_, code, kept_kib) = run_measured(
        &sb,
        &[
            "fetch",
            "--user-id",
            "900000001",
            "--rule-id",
            "9001",
            "--all",
            "--format",
            "csv",
            "-o",
            "/dev/null",
            "--force",
        ],
    );
    assert_eq!(code, 0);
    eprintln!("peak memory: batch --verdict {batch_kib} KiB, fetch --all {kept_kib} KiB");
    assert!(
        batch_kib * 2 < kept_kib && batch_kib < 80 * 1024,
        "batch --verdict {batch_kib} KiB against {kept_kib} KiB for the events kept"
    );
}

#[test]
fn a_refusal_halfway_through_a_verdict_batch_is_waited_out() {
    use target_events::demo::Fault;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(None));
    let base = server.base_url().to_string();
    let sb = Sandbox::new("batch-429");
    let file = sb.dir.join("customers.txt");
    let ids = ["564332013", "712004518", "498221730", "387544807", "610000042", "777000777", "808000808"];
    std::fs::write(&file, ids.join("\n") + "\n").unwrap();
    let env = [("CAP_BASE_URL", base.as_str())];
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "--format", "json", "--verdict"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let calm: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Halfway through the same run (the sixth customer's events), the
    // server refuses twice with a Retry-After.
    server.with_faults(|p| {
        p.only_matching = Some("trackedTargetEvents/7610".into());
        p.queue.push_back(Fault::RateLimit { retry_after_secs: 1 });
        p.queue.push_back(Fault::RateLimit { retry_after_secs: 1 });
    });
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "--format", "json", "--verdict"], &env);
    assert_eq!(o.status.code(), Some(0), "every customer answered after the wait: {}", stderr(&o));
    let refused: Value = serde_json::from_str(&stdout(&o)).unwrap();
    server.with_faults(|p| assert!(p.queue.is_empty(), "both refusals were met"));
    assert_eq!(refused, calm, "the same answer, each customer once");
}

#[test]
fn the_table_fits_the_terminal_and_lists_failures_whole_after_it() {
    use target_events::core::batch::{BatchRow, Failure};
    use unicode_width::UnicodeWidthStr;
    let sb = Sandbox::new("batch-table");
    let file = sb.dir.join("customers.txt");
    std::fs::write(&file, "777000777\n808000808\nnobody@example.com\n").unwrap();
    let o = sb.run(&["--demo", "batch", "--customers", file.to_str().unwrap(), "--verdict", "--format", "json"], &[]);
    let mut rows: Vec<BatchRow> = Vec::new();
    let answer: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for v in answer["rows"].as_array().unwrap().iter().cloned() {
        // Rebuilt from the JSON for the table: the same fields.
        let row: BatchRow = serde_json::from_value(v).unwrap();
        rows.push(row);
    }
    rows.push(BatchRow {
        customer: "card:LOYAL\u{1b}[31mRED".into(),
        error: "503 The server is unavailable (its answer was an HTML page). [request id 7f3a-long-request-id-0001]"
            .into(),
        failure: Some(Failure {
            code: None,
            message: "The server is unavailable (its answer was an HTML page).".into(),
            http_status: Some(503),
            request_id: Some("7f3a-long-request-id-0001".into()),
        }),
        ..BatchRow::default()
    });
    for width in [60u16, 80, 120, 200] {
        let text = target_events::headless::batch::table(&rows, Some(width));
        let (table, failures) = text.split_once("\n\n").unwrap();
        for line in table.lines() {
            assert!(line.width() <= width as usize, "{width}: {line}");
            for cut in ["179.…", "940000…", "-380.…", "4820.…"] {
                assert!(!line.contains(cut), "a figure cut at {width}: {line}");
            }
            assert!(!line.contains('\u{1b}'), "no escape reaches the terminal");
        }
        assert!(table.lines().nth(1).unwrap().contains("777000777"), "{width}: {table}");
        // The failures follow whole, each with its request id.
        assert!(failures.starts_with("2 rows with an error:"), "{failures}");
        assert!(failures.contains("nobody@example.com: 8015 No customer was found"), "{failures}");
        assert!(failures.contains("[request id 7f3a-long-request-id-0001]"), "{failures}");
    }
    let wide = target_events::headless::batch::table(&rows, Some(200));
    assert!(wide.contains("not reached") && wide.contains("940000005"), "{wide}");
    // The error column keeps the code and the reason's start.
    let sep = target_events::headless::batch::table(&rows, Some(120));
    assert!(sep.lines().any(|l| l.contains("8015 No customer")), "{sep}");
}

#[test]
fn a_customer_with_no_target_is_answered_with_a_row_that_says_so() {
    let mut dataset = target_events::demo::Dataset::embedded();
    dataset.customers.push(target_events::demo::data::Customer {
        user_id: 900_000_077,
        first_name: "No".into(),
        last_name: "Targets".into(),
        enrolments: Vec::new(),
        events: Vec::new(),
        live: None,
        mobile: None,
        bills: Vec::new(),
        bill_stores: Default::default(),
    });
    // Adding a generated customer indexes the dataset again, the one above included.
    dataset.add_generated_customer(900_000_078, 9078, 3);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server_with(dataset));
    let base = server.base_url().to_string();
    let sb = Sandbox::new("batch-no-targets");
    let file = sb.dir.join("customers.txt");
    std::fs::write(&file, "900000077\ncard:LOYAL900000077\n").unwrap();
    let env = [("CAP_BASE_URL", base.as_str())];
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "--format", "json", "--verdict"], &env);
    assert_eq!(o.status.code(), Some(0), "an empty list is an answer: {}", stderr(&o));
    let answer: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = answer["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "one row for the customer both lines name");
    assert_eq!(answer["causes"], serde_json::json!([]), "no period, no cause");
    assert_eq!(rows[0]["customer"], "900000077 = card:LOYAL900000077");
    assert_eq!(rows[0]["lines"], "1, 2");
    for row in rows {
        assert_eq!(row["error"], "no targets");
        assert_eq!(row["userId"], 900_000_077);
        assert!(row.get("verdict").is_none() && row.get("failure").is_none());
    }
}

/// A file as a spreadsheet saves it (a byte-order mark, a non-breaking space
/// in a number as spoken) is read; one person given as an id, a phone number
/// and a card is asked about once and answered once, naming every line; an
/// output that cannot be written is refused before the first request.
#[test]
fn a_spreadsheet_s_file_and_one_person_in_three_forms_are_answered_once() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(common::server(None));
    let base = server.base_url().to_string();
    let env = [("CAP_BASE_URL", base.as_str())];
    let sb = Sandbox::new("batch-identity");
    let file = sb.dir.join("customers.csv");
    std::fs::write(&file, "\u{FEFF}777000777\r\n+91\u{00A0}98000 00007\r\ncard:LOYAL777000777\r\n777000777\r\n")
        .unwrap();
    let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "--format", "json", "--rule-id", "7610"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.len(), 2, "777000777's two periods of rule 7610, once: {rows:?}");
    assert_eq!(rows[0]["customer"], "777000777 = +91 98000 00007 = card:LOYAL777000777");
    assert_eq!(rows[0]["lines"], "1, 2, 3, 4");
    // At most: the id checked, the phone and the card looked up, the targets
    // read once (three times, were each form answered apart).
    let requests = server.api_requests();
    assert!(requests <= 4, "one person, one read of their targets: {requests} requests");

    // Outputs that cannot be written: refused before anything is sent.
    let before = server.api_requests();
    let real = sb.dir.join("real.csv");
    std::fs::write(&real, "keep").unwrap();
    let link = sb.dir.join("link.csv");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&real, &link).unwrap();
    for (out, says) in [(sb.dir.clone(), "is a directory"), (link.clone(), "symbolic link")] {
        if !cfg!(unix) && out == link {
            continue;
        }
        let o = sb.run(&["batch", "--customers", file.to_str().unwrap(), "-o", out.to_str().unwrap(), "--force"], &env);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(says) && stderr(&o).contains("Nothing was sent"), "{}", stderr(&o));
    }
    assert_eq!(server.api_requests(), before, "nothing was sent");
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "keep");
}

/// A file of a million lines naming one customer (and as many again of the
/// same person by card) is one customer: asked about once, answered once,
/// one row set naming how many lines, in the memory of one customer.
#[cfg(target_os = "linux")]
#[test]
fn a_million_lines_of_one_customer_are_one_customer_in_bounded_memory() {
    let sb = Sandbox::new("batch-million");
    let file = sb.dir.join("customers.txt");
    let text = "777000777\n".repeat(1_000_000);
    std::fs::write(&file, text).unwrap();
    let path = file.to_str().unwrap();
    let (out, code, peak_kib) =
        run_measured(&sb, &["--demo", "batch", "--customers", path, "--rule-id", "7610", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(rows.len(), 2, "777000777's two periods of rule 7610, once");
    assert_eq!(rows[0]["lines"], "1, 2, 3, 4, 5, 6, 7, 8 and 999,992 more");
    // The file is read whole (10 MB) and held as one entry: far below what a
    // row set per line would need (12 million rows).
    assert!(peak_kib < 120 * 1024, "peak {peak_kib} KiB for one customer");
}

/// An interrupted batch keeps the causes of what was answered: stopped after
/// three of the campaign's customers, its rows give their causes and the
/// rest are counted unanswered, not guessed.
#[tokio::test(flavor = "multi_thread")]
async fn an_interrupted_verdict_batch_keeps_the_causes_of_what_was_answered() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use target_events::api::fetch_all::FetchAllOptions;
    use target_events::core::batch::{Ask, Heard, answer, causes::causes, parse_lines};
    let server = common::server(None).await;
    let client = common::client(&server, common::basic());
    let text: String = (1..=12).map(|n| format!("7760000{n:02}\n")).collect();
    let lines = parse_lines(text.as_bytes(), None).unwrap();
    let answered = AtomicUsize::new(0);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let tx = std::sync::Mutex::new(Some(tx));
    let hear = |heard: Heard| {
        if heard == Heard::Answered && answered.fetch_add(1, Ordering::SeqCst) + 1 == 3 {
            tx.lock().unwrap().take().map(|t| t.send(()));
        }
    };
    let stop = async {
        let _ = rx.await;
    };
    let ask = Ask { rule: Some(7610), verdict: true, country_code: None };
    let opts = FetchAllOptions { concurrency: 1, ..FetchAllOptions::default() };
    let out = answer(&client, &lines, ask, &opts, &hear, stop).await;
    let answered_customers: std::collections::HashSet<_> = out.rows.iter().filter_map(|r| r.user_id).collect();
    assert!((3..12).contains(&answered_customers.len()), "{answered_customers:?}");
    assert_eq!(out.unanswered, 12 - answered_customers.len(), "the rest counted, not guessed");
    let c = causes(&out.rows);
    let missed = out.rows.iter().filter(|r| !r.cause.is_empty()).count();
    assert_eq!(c.iter().map(|c| c.periods).sum::<usize>(), missed, "every missed row answered is in one cause");
    let late = c.iter().find(|c| c.said == "late").expect("the first customers paid late");
    assert_eq!(late.customers, answered_customers.len().min(5));
}
