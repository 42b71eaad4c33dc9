//! One case per customer in the real binary: a second caller over every
//! panel, by typing, the recent list and a batch row, shows nothing of the
//! first; while watching, the verdict's API value is read again with every
//! arrival and agrees with the sum.

use std::time::{Duration, Instant};

use crate::common::pty::Session;

const FIRST: &str = "777000777";

fn at_the_first(panel: &str) -> Session {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("Type what the caller gives");
    // The second caller was served earlier today: the recent list has them.
    // Each answered (its rows on screen, the table focused) before the next key:
    // a key sent while the query is on its way would go to the fields.
    s.send("564332013\t1986\r");
    s.wait_for_all(&["Events · customer 564332013", "┃▶ "]);
    s.send("u");
    s.send(&format!("{FIRST}\t7610\r"));
    s.wait_for_all(&[&format!("Events · customer {FIRST}"), "┃▶ "]);
    s.send(panel);
    s
}

fn nothing_of_the_first(s: &Session, how: &str) {
    s.wait_for("customer 564332013");
    // The frame after the answers: still nothing of the first caller.
    std::thread::sleep(Duration::from_millis(300));
    let screen = s.screen();
    assert!(!screen.contains(FIRST), "{how}: the first caller is still on screen:\n{screen}");
}

#[test]
fn a_second_caller_typed_over_every_panel_shows_nothing_of_the_first() {
    // The table, the detail pane, the summary, the verdict, a watch, the
    // target picker and help.
    for (panel, open, close) in [
        ("table", "", ""),
        ("detail", "\t", ""),
        ("summary", "s", ""),
        ("verdict", "e", ""),
        ("watch", "w", ""),
        ("picker", "t", "\x1b"),
        ("help", "?", "\x1b"),
    ] {
        let mut s = at_the_first(open);
        std::thread::sleep(Duration::from_millis(400));
        s.send(close);
        // Esc alone: followed at once by a key, it would read as Alt and the key.
        std::thread::sleep(Duration::from_millis(300));
        s.send("u");
        s.send("564332013\t1986\r");
        nothing_of_the_first(&s, panel);
        s.send("\x03");
        assert!(s.wait_exit());
    }
}

#[test]
fn a_second_caller_from_the_recent_list_over_the_verdict_shows_nothing_of_the_first() {
    let mut s = at_the_first("e");
    s.wait_for("Verdict · Sep_2025 (7601)");
    s.send("h");
    s.wait_for("Recent queries");
    s.send("564332013\r");
    nothing_of_the_first(&s, "recent over the verdict");
    s.send("\x03");
    assert!(s.wait_exit());
}

#[test]
fn a_second_caller_from_a_batch_row_over_the_summary_shows_nothing_of_the_first() {
    let mut s = Session::start_in(&["--demo", "batch", "--customers", "customers.txt"], &[], |dir| {
        std::fs::write(dir.join("customers.txt"), "564332013\n").unwrap();
    });
    s.wait_for("Batch ·");
    s.send("\x1b");
    s.wait_gone("Batch ·");
    s.send("u");
    s.send(&format!("{FIRST}\t7610\r"));
    s.wait_for(&format!("Events · customer {FIRST}"));
    s.send("s");
    s.wait_for("Summary ·");
    s.send("b");
    s.wait_for("Batch ·");
    s.send("\r");
    nothing_of_the_first(&s, "batch row over the summary");
    s.send("\x03");
    assert!(s.wait_exit());
}

#[cfg(unix)]
#[test]
fn while_watching_the_verdicts_api_value_is_read_again_and_equals_the_sum() {
    use std::sync::Arc;
    use target_events::demo::{Dataset, DemoOptions, DemoServer};
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Customer 808000808 buys every 2.5 s, and the API's achieved value moves with each.
    let mut dataset = Dataset::embedded();
    let live = dataset.customers.iter_mut().find(|c| c.user_id == 808000808).unwrap().live.as_mut().unwrap();
    live.every_millis = Some(2500);
    live.max = 20;
    let server = rt
        .block_on(DemoServer::start(DemoOptions { dataset: Arc::new(dataset), live: true, ..DemoOptions::default() }))
        .unwrap();
    let base = server.base_url().to_string();
    let mut s = Session::start_with_env(&[], &[("CAP_BASE_URL", base.as_str())]);
    s.wait_for("Customer");
    s.send("808000808\t8080\r");
    s.wait_for("Events · customer 808000808");
    s.send("w");
    s.wait_for("watching");
    s.send("e");
    s.wait_for("Verdict · Lifetime (8001)");
    s.wait_for("✚");
    // After an arrival, the targets are read again: both figures agree, both
    // read after it.
    let figure = |screen: &str, label: &str| -> Option<(String, String)> {
        let line = screen.lines().find(|l| l.contains(label))?;
        let rest = line.split(label).nth(1)?;
        let at = rest.split("(as of ").nth(1)?.split(')').next()?.to_string();
        let value = rest.split(')').nth(1)?.split_whitespace().next()?.to_string();
        Some((at, value))
    };
    let start = Instant::now();
    let mut agreed = None;
    while start.elapsed() < Duration::from_secs(15) {
        let screen = s.screen();
        let api = figure(&screen, "API's achieved value");
        let sum = figure(&screen, "counted here");
        if let (Some(api), Some(sum)) = (api, sum)
            && screen.contains("✚")
            && api.1 == sum.1
            && !screen.contains("count more than")
        {
            agreed = Some((api, sum));
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let Some(((api_at, api), (_, sum))) = agreed else { panic!("never agreed:\n{}", s.screen()) };
    assert_eq!(api, sum);
    // "07:12:47 +00:00": the time it was read, with this machine's offset.
    assert!(api_at.len() == 15 && api_at.as_bytes()[9] == b'+' || api_at.as_bytes().get(9) == Some(&b'-'), "{api_at}");
    assert!(!s.screen().contains("before an event arrived"), "{}", s.screen());
    s.send("\x03");
    assert!(s.wait_exit());
}
