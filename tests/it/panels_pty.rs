//! The three cases where panels met badly, in the real binary: the panel
//! drawn is the one the keys reach, and Esc uncovers the one below.

use crate::common::pty::Session;

fn at_verdict() -> Session {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("Type what the caller gives");
    s.send("777000777\t7610\r");
    s.wait_for("Page 1 of");
    s.send("e");
    s.wait_for("Verdict · Sep_2025 (7601) · Spend 5,000 in a month · customer 777000777 · rule 7610");
    s
}

#[test]
fn summary_over_the_verdict_takes_j_and_esc_uncovers_the_verdict() {
    let mut s = at_verdict();
    s.send("s");
    s.wait_for("Summary ·");
    s.wait_for("Sep_2025 (7601) by event");
    s.send("j");
    s.wait_for("Oct_2025 (7602) by event");
    s.send("\x1b");
    s.wait_gone("Summary ·");
    s.wait_for("Verdict · Sep_2025 (7601) · Spend 5,000 in a month · customer 777000777 · rule 7610");
    s.send("\x1b");
    s.wait_gone("Verdict ·");
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn summary_over_the_detail_pane_takes_j_and_esc_returns_to_it() {
    let mut s = at_verdict();
    s.send("\x1b");
    s.wait_gone("Verdict ·");
    s.send("\t");
    s.send("s");
    s.wait_for("Sep_2025 (7601) by event");
    s.send("j");
    s.wait_for("Oct_2025 (7602) by event");
    s.send("\x1b");
    s.wait_gone("Summary ·");
    s.wait_for("eventLogId");
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn the_verdict_over_the_batch_takes_esc_and_enter() {
    let mut s = Session::start_in(&["--demo", "batch", "--customers", "customers.txt"], &[], |dir| {
        std::fs::write(dir.join("customers.txt"), "777000777\n564332013\n").unwrap();
    });
    s.wait_for("Batch ·");
    // The batch's first row: customer 777000777's target 7610.
    s.send("\r");
    s.wait_gone("Batch ·");
    s.wait_for("Page 1 of");
    s.send("b");
    s.wait_for("Batch ·");
    s.send("e");
    s.wait_for("Verdict · Sep_2025 (7601) · Spend 5,000 in a month · customer 777000777 · rule 7610");
    s.send("\x1b");
    s.wait_gone("Verdict ·");
    s.wait_for("Batch ·");
    s.send("e");
    s.wait_for("Verdict · Sep_2025 (7601) · Spend 5,000 in a month · customer 777000777 · rule 7610");
    // September's return: its row and detail over the verdict; Esc comes back.
    s.send("\tj\r");
    s.wait_gone("Verdict ·");
    s.wait_for("Events · customer 777000777 · rule 7610");
    s.wait_for("Event 940000004");
    s.send("\x1b");
    s.wait_for("Verdict · Sep_2025 (7601)");
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn a_verdict_batch_shows_why_and_e_opens_the_rows_period() {
    let mut s = Session::start_in(&["--demo", "batch", "--customers", "customers.txt", "--verdict"], &[], |dir| {
        std::fs::write(dir.join("customers.txt"), "777000777\nnobody@example.com\n").unwrap();
    });
    s.wait_for("Batch · 3 rows · 1 not found or failed");
    s.wait_for("not reached");
    // The selected row's whole story on the last line.
    s.wait_for("event 940000005 counted elsewhere would have reached it");
    // October's row: its own period's verdict, over the batch.
    s.send("j");
    s.send("e");
    s.wait_for("▶ Oct_2025 (7602)");
    s.send("\x1b");
    s.wait_gone("Verdict ·");
    // The failed customer: code and reason in the row, the request id beneath.
    s.send("j");
    s.wait_for("8015 No cust");
    s.wait_for("[request id ");
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn from_a_number_as_spoken_to_the_september_verdict_in_three_keys() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("Type what the caller gives");
    s.send("98000 00007");
    // 1: Enter looks the number up and opens the customer's targets, on the
    // latest period that ended short (✗): September.
    s.send("\r");
    s.wait_for("Targets of customer 777000777");
    s.wait_for("✗");
    // 2: Enter opens its events.
    s.send("\r");
    s.wait_for("period 7601");
    // 3: the verdict, on September.
    s.send("e");
    s.wait_for("Verdict · Sep_2025 (7601) · Spend 5,000 in a month");
    s.wait_for("▶ Sep_2025 (7601) Not reached");
    s.wait_for("Enrolled 5 Sep 2025: 26 of the period's 30 days.");
    s.send("q");
    assert!(s.wait_exit());
}

#[test]
fn digits_that_are_no_id_are_found_as_the_mobile_in_a_real_terminal() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("Type what the caller gives");
    s.send("919800000007\t7610\r");
    s.wait_for("No customer 919800000007; found by mobile +91 98000 00007 → 777000777");
    s.wait_for("customer 919800000007 → 777000777");
    // A new caller: u selects the field, typing replaces it and the rule goes.
    s.send("u");
    s.send("564332013\r");
    s.wait_for("Targets of customer 564332013");
    s.send("\x03");
    assert!(s.wait_exit());
}
