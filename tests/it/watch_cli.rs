//! `fetch --watch` against servers that lie about their pages: a total of a
//! million, every offset answered with the first page, a page that shrinks;
//! and Ctrl-C while a request hangs.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::sandbox::{Sandbox, stderr, stdout};
use crate::common::scripted::{Scripted, events_page, json};

fn watch(sb: &Sandbox, base: &str, interval: &str) -> Child {
    sb.command(&["fetch", "--watch", "--interval", interval, "--user-id", "1", "--rule-id", "2", "--limit", "10"])
        .env("CAP_BASE_URL", base)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn offset(path: &str) -> u64 {
    path.split(['?', '&']).find_map(|p| p.strip_prefix("offset=")).and_then(|o| o.parse().ok()).unwrap_or(0)
}

#[test]
fn a_lying_total_and_a_repeated_page_cost_one_poll_an_interval_and_each_arrival_prints_once() {
    // Every offset gets the first page (ids 1–10), and the total says a
    // million; from the fourth request on, ids 11 and 12 join it (the page
    // then holds 12 of a limit of 10: a server that ignores limits too).
    let api = Scripted::start(|_, n| {
        let count = if n < 3 { 10 } else { 12 };
        json(200, "", &events_page(1, count, Some(1_000_000)))
    });
    let sb = Sandbox::new("watch-lies");
    let child = watch(&sb, &api.base(), "2");
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(9_000));
    Command::new("kill").arg("-INT").arg(child.id().to_string()).status().unwrap();
    let o = child.wait_with_output().unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(o.status.code(), Some(130), "Ctrl-C ends it as an interrupt: {}", stderr(&o));
    let asked = api.recorded();
    // One poll at once, then one an interval: never more.
    let most = 1 + (elapsed / 2.0).floor() as usize;
    assert!(
        asked.len() <= most,
        "{} polls in {elapsed:.1} s: {:?}",
        asked.len(),
        asked.iter().map(|r| r.path().to_string()).collect::<Vec<_>>()
    );
    assert!(asked.len() >= 3, "it went on polling");
    let far: Vec<u64> = asked.iter().map(|r| offset(r.path())).filter(|&o| o > 1000).collect();
    assert!(far.len() <= 1, "the count is tried once at most: {far:?}");
    let ids: Vec<i64> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["eventLogId"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![11, 12], "each arrival once, nothing of what was there: {}", stderr(&o));
}

#[test]
fn ctrl_c_ends_the_watch_at_once_while_a_request_hangs() {
    let api = Scripted::start(|_, n| {
        if n > 0 {
            std::thread::sleep(Duration::from_secs(30));
        }
        json(200, "", &events_page(1, 3, Some(3)))
    });
    let sb = Sandbox::new("watch-hang");
    let child = watch(&sb, &api.base(), "2");
    // The second poll (after 2 s) hangs; Ctrl-C a second into it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while api.recorded().len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(1000));
    let sent = Instant::now();
    Command::new("kill").arg("-INT").arg(child.id().to_string()).status().unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(sent.elapsed() < Duration::from_secs(2), "it ended at once, not when the request did");
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "what was there is not news");
}
