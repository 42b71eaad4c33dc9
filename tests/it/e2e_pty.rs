//! The real binary in a pseudo-terminal against its embedded demo API: type a
//! query, page forward and back, open and close help, quit; read the screen
//! through a terminal emulator and check the terminal was restored.

use crate::common::pty::Session;

#[test]
fn query_page_help_quit_in_a_real_terminal() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("Type what the caller gives");
    s.wait_for("DEMO");
    assert!(s.parser.lock().unwrap().screen().alternate_screen(), "the app draws on the alternate screen");

    // The default page fills a normal terminal: 50 events.
    s.send("712004518\t2410\r");
    s.wait_for("Page 1 of 27");
    s.wait_for("events 1–50 of 1317");

    s.send("n");
    s.wait_for("Page 2 of 27");
    s.send("n");
    s.wait_for("Page 3 of 27");
    s.send("p");
    s.wait_for("Page 2 of 27");
    s.wait_for("events 51–100 of 1317");

    s.send("?");
    s.wait_for("Esc/? closes");
    s.send("\x1b");
    s.wait_gone("Esc/? closes");

    s.send("q");
    assert!(s.wait_exit(), "q quits cleanly");
    let parser = s.parser.lock().unwrap();
    assert!(!parser.screen().alternate_screen(), "the terminal left the alternate screen");
    let raw = s.raw.lock().unwrap();
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).into_owned();
    assert!(tail.contains("\x1b[?1049l"), "leave-alternate-screen was sent last: {tail:?}");
    assert!(tail.contains("\x1b[?1000l"), "mouse capture was turned off: {tail:?}");
}

#[test]
fn a_panic_restores_the_terminal_and_says_where_the_log_is() {
    let mut s = Session::start_with_env(&["--demo"], &[("TARGET_EVENTS_DEBUG_PANIC", "1")]);
    s.wait_for("Type what the caller gives");
    s.send("\x1b!");
    assert!(!s.wait_exit(), "the panic ends the process with a failure");
    let parser = s.parser.lock().unwrap();
    assert!(!parser.screen().alternate_screen(), "the panic left the alternate screen");
    let raw = s.raw.lock().unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("debug panic trigger pressed"), "the panic message is shown:\n{text}");
    assert!(text.contains("The log is at"), "and where the log is:\n{text}");
    let restored = text.rfind("\x1b[?1049l").expect("left the alternate screen");
    let message = text.rfind("debug panic trigger pressed").unwrap();
    assert!(restored < message, "the message is printed after the restore");
}

#[test]
fn a_panic_in_a_background_task_ends_the_app_too() {
    let mut s = Session::start_with_env(&["--demo"], &[("TARGET_EVENTS_DEBUG_PANIC", "1")]);
    s.wait_for("Type what the caller gives");
    s.send("\x1b@");
    assert!(!s.wait_exit(), "a task's panic ends the process with a failure, not a half-alive app");
    assert!(!s.parser.lock().unwrap().screen().alternate_screen(), "the terminal was restored");
    let raw = s.raw.lock().unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("debug panic trigger pressed in a task"), "the panic message is shown:\n{text}");
    assert!(text.rfind("\x1b[?25h") > text.rfind("\x1b[?25l"), "the cursor is shown again");
    assert!(text.contains("The log is at"), "and where the log is:\n{text}");
    let restored = text.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(restored < text.rfind("The log is at").unwrap(), "nothing is drawn after the restore");
}

#[cfg(unix)]
#[test]
fn sigterm_sighup_sigint_and_sigquit_restore_the_terminal() {
    for signal in ["TERM", "HUP", "INT", "QUIT"] {
        let s = Session::start(&["--demo"]);
        s.wait_for("Type what the caller gives");
        let pid = s.child.process_id().unwrap();
        let ok = std::process::Command::new("kill").arg(format!("-{signal}")).arg(pid.to_string()).status().unwrap();
        assert!(ok.success());
        let mut s = s;
        s.wait_exit();
        assert!(!s.parser.lock().unwrap().screen().alternate_screen(), "SIG{signal} left the alternate screen");
        let raw = s.raw.lock().unwrap();
        assert!(String::from_utf8_lossy(&raw).contains("\x1b[?1049l"));
    }
}

#[test]
fn an_email_typed_in_a_real_terminal_lands_in_the_target_picker() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("Demo customers to try");
    s.send("arjun.mehta@example.com\r");
    s.wait_for("Targets of customer 712004518");
    s.wait_for("Aug_2025");
    s.send("\x1b");
    s.wait_for("→ 712004518");
    s.send("\x03");
    assert!(s.wait_exit(), "Ctrl-C quits cleanly");
}

#[test]
fn pressing_e_in_a_real_terminal_shows_why_it_did_not_count() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("Demo customers to try");
    s.send("777000777\t7610\t7601\r");
    s.wait_for("Page 1 of 1");
    s.send("e");
    s.wait_for("Verdict · Sep_2025 (7601) · Spend 5,000 in a month · customer 777000777");
    s.wait_for("Not reached: 4820.50 of 5000.00 — 179.50 short");
    s.wait_for("alone it would have reached the target");
    s.send("e");
    s.wait_gone("Verdict · Sep_2025");
    s.send("q");
    assert!(s.wait_exit(), "q quits cleanly");
}
