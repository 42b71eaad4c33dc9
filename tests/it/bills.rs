//! A customer's bills over real HTTP, from servers that read `offset` either
//! way, lie about their totals, repeat pages or refuse; and `explain` with
//! bills that could not be read: the events' verdict stays whole and one
//! sentence says what could not be read, with its request id.

use chrono::NaiveDate;
use target_events::api::bills::{OffsetReading, read_bills};
use target_events::api::{Client, ClientConfig};
use target_events::core::told::Told;

use crate::common::sandbox::{Sandbox, stderr, stdout};
use crate::common::scripted::{Scripted, json};

fn offset_and_limit(path: &str) -> (u64, u64) {
    let get =
        |key: &str| path.split(['?', '&']).find_map(|p| p.strip_prefix(key)).and_then(|v| v.parse().ok()).unwrap_or(0);
    (get("offset="), get("limit="))
}

fn bills_body(ids: impl Iterator<Item = u64>, total: u64) -> String {
    let data: Vec<String> = ids
        .map(|id| {
            format!(
                r#"{{"id":{id},"billNumber":"B-{id}","type":"REGULAR","billingTime":"2025-09-10T05:00:00Z","billingTimeInputOffset":"+05:30","amount":10.00,"outlierStatus":"NORMAL"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"pagination":{{"limit":1000,"offset":0,"total":{total}}},"data":[{}],"warnings":[],"errors":[]}}"#,
        data.join(",")
    )
}

fn client(api: &Scripted) -> Client {
    Client::new(ClientConfig::new(url::Url::parse(&api.base()).unwrap())).unwrap()
}

fn read(api: &Scripted) -> Result<target_events::api::bills::BillsRead, target_events::api::ApiError> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let opts = target_events::api::fetch_all::FetchAllOptions::default();
    rt.block_on(read_bills(&client(api), 1, (day("2025-08-31"), day("2025-10-01")), &opts))
}

#[test]
fn offset_read_as_a_page_number_or_a_record_position_gives_every_bill_once() {
    const ALL: u64 = 1500;
    // Pages: offset 1000 is page 1000 (nothing), offset 1 the second page.
    let pages = Scripted::start(|r, _| {
        let (offset, limit) = offset_and_limit(r.path());
        let start = offset * limit;
        json(200, "", &bills_body(start.min(ALL)..(start + limit).min(ALL), ALL))
    });
    let got = read(&pages).unwrap();
    assert_eq!(got.bills.len(), ALL as usize);
    assert_eq!(got.reading, Some(OffsetReading::Pages));
    assert_eq!(got.requests.len(), 3);
    // Records: offset 1000 is the 1001st bill.
    let records = Scripted::start(|r, _| {
        let (offset, limit) = offset_and_limit(r.path());
        json(200, "", &bills_body(offset.min(ALL)..(offset + limit).min(ALL), ALL))
    });
    let got = read(&records).unwrap();
    assert_eq!((got.bills.len(), got.reading, got.requests.len()), (ALL as usize, Some(OffsetReading::Records), 2));
}

#[test]
fn a_lying_total_or_a_repeated_page_never_leads_the_read_on() {
    let lying = Scripted::start(|_, _| json(200, "", &bills_body(1..4, 1_000_000)));
    let got = read(&lying).unwrap();
    assert_eq!((got.bills.len(), got.requests.len()), (3, 1), "a short page is the last, whatever the count");
    // Every offset answers the same full page: both readings tried, then it stops.
    let repeating = Scripted::start(|_, _| json(200, "", &bills_body(1..1001, 5000)));
    let got = read(&repeating).unwrap();
    assert_eq!(got.bills.len(), 1000, "no bill taken twice");
    assert!(got.requests.len() <= 3, "{} requests", got.requests.len());
    assert_eq!(repeating.recorded().len(), got.requests.len());
}

#[test]
fn a_refusal_is_an_error_with_its_status_and_request_id() {
    for (status, body) in [
        (400, "{}"),
        (401, "{}"),
        (403, r#"{"errors":[{"code":401,"message":"no access"}]}"#),
        (503, "<html>down</html>"),
    ] {
        let api = Scripted::start(move |_, _| json(status, "X-Cap-Requestid: bills-req-1\r\n", body));
        let e = read(&api).unwrap_err();
        assert_eq!(e.status, Some(status));
        assert_eq!(e.request_id.as_deref(), Some("bills-req-1"), "{status}");
        assert!(!e.sentence().is_empty());
    }
}

/// A server with the targets and the events of one customer, whose bills
/// call answers `bills`.
fn tenant(bills: &'static str, status: u16) -> Scripted {
    Scripted::start(move |r, _| {
        let path = r.path();
        if path.contains("/targetGroups") {
            json(
                200,
                "",
                r#"{"data":{"targetGroups":[{"id":9,"name":"G","targets":[{"periodId":7601,"periodRefCode":"Sep_2025","periodStartDate":"2025-09-01","periodEndDate":"2025-09-30","targetValue":5000.00,"targetAchievedValue":4820.50,"targetRuleId":3,"currentPeriod":false,"periodStartDateWithTimeStampISO":"2025-09-01T00:00:00+05:30","periodEndDateWithTimeStampISO":"2025-09-30T23:59:59+05:30"}]}]},"errors":[]}"#,
            )
        } else if path.contains("/trackedTargetEvents/") {
            json(
                200,
                "",
                r#"{"pagination":{"limit":1000,"offset":0,"total":1},"data":[{"eventLogId":1,"eventName":"ADD_TRANSACTION","customerId":1,"uniqueId":"501","eventDate":"2025-09-10 11:20:00.0","eventProcessedDate":"2025-09-10 11:20:00.0","eventDateISO":"2025-09-10T11:20:00+05:30","periodId":7601,"targetGroupId":9,"targetRuleId":3,"targetValue":4820.50}],"errors":[]}"#,
            )
        } else if path.contains("/transactions") {
            json(status, "X-Cap-Requestid: bills-req-9\r\n", bills)
        } else {
            json(404, "", "{}")
        }
    })
}

#[test]
fn explain_says_when_the_bills_could_not_be_read_and_keeps_the_verdict_whole() {
    let api = tenant(r#"{"errors":[{"code":401,"message":"till has no access to transactions"}]}"#, 403);
    let sb = Sandbox::new("bills-403");
    let o = sb.run(&["explain", "--user-id", "1", "--rule-id", "3"], &[("CAP_BASE_URL", api.base().as_str())]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("Not reached: 4820.50 of 5000.00 — 179.50 short"), "{text}");
    assert!(
        text.contains(
            "The bills could not be read: the credentials are valid but not allowed to read the customer's bills"
        ),
        "{text}"
    );
    assert!(text.contains("bills-req-9"), "{text}");
    assert!(!text.contains("did not count"), "nothing claimed about bills not read: {text}");
}

#[test]
fn explain_names_the_uncounted_bill_that_alone_would_have_reached() {
    let api = tenant(
        r#"{"pagination":{"total":2},"data":[{"id":501,"billNumber":"B-501","type":"REGULAR","billingTime":"2025-09-10T05:50:00Z","billingTimeInputOffset":"+05:30","amount":4820.50,"outlierStatus":"NORMAL"},{"id":504,"billNumber":"B-504","type":"MYSTERY","billingTime":"2025-09-28T14:10:00Z","billingTimeInputOffset":330,"amount":1.25e3,"outlierStatus":"SOMETHING_NEW"},{"id":505,"billNumber":"B-504","type":"REGULAR","billingTime":"2025-09-29 10:00:00","amount":123456789012345678901234567890,"outlierStatus":"NORMAL"}],"errors":[]}"#,
        200,
    );
    let sb = Sandbox::new("bills-story");
    let o = sb.run(&["explain", "--user-id", "1", "--rule-id", "3"], &[("CAP_BASE_URL", api.base().as_str())]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    // An unknown outlier status is a signal all the same; the bill number repeats; a 30-digit amount is refused.
    assert!(text.contains("bill B-504 (id 504) MYSTERY 1250.00 2025-09-28 19:40 +05:30: not counted: marked SOMETHING_NEW by the platform"), "{text}");
    assert!(text.contains("bill B-504 (id 505) REGULAR an amount that cannot be read exactly (\"123456789012345678901234567890\" as sent) 2025-09-29 10:00 (no offset): not counted: its amount could not be read exactly"), "{text}");
    assert!(text.contains("(1250.00 and 1 amount that cannot be read exactly)"), "{text}");
    assert!(
        text.contains("bill B-501 (id 501) REGULAR 4820.50 2025-09-10 11:20 +05:30: counted here: event 1"),
        "{text}"
    );
    assert!(text.contains("alone it would have reached the target"), "{text}");
    // JSON carries the story too.
    let o = sb.run(
        &["explain", "--user-id", "1", "--rule-id", "3", "--format", "json"],
        &[("CAP_BASE_URL", api.base().as_str())],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let lines = v["periods"][0]["bills"]["lines"].as_array().expect("bills in the JSON");
    assert_eq!(lines.len(), 3);
    assert_eq!(v["periods"][0]["bills"]["wouldHaveReached"]["id"], 504);
}

#[test]
fn a_bill_without_an_id_is_said_and_two_bills_sharing_an_id_are_both_kept() {
    let api = tenant(
        r#"{"pagination":{"total":4},"data":[{"id":501,"billNumber":"B-501","type":"REGULAR","billingTime":"2025-09-10T05:50:00Z","amount":4820.50,"outlierStatus":"NORMAL"},{"billNumber":"B-NOID","type":"REGULAR","billingTime":"2025-09-28T14:10:00Z","amount":1250.00,"outlierStatus":"NORMAL"},{"id":777,"billNumber":"B-1","type":"REGULAR","billingTime":"2025-09-12T05:50:00Z","amount":10.00,"outlierStatus":"NORMAL"},{"id":777,"billNumber":"B-2","type":"REGULAR","billingTime":"2025-09-13T05:50:00Z","amount":20.00,"outlierStatus":"NORMAL"}],"errors":[]}"#,
        200,
    );
    let sb = Sandbox::new("bills-noid");
    let base = api.base();
    let env = [("CAP_BASE_URL", base.as_str())];
    let o = sb.run(&["explain", "--user-id", "1", "--rule-id", "3", "--format", "json"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let bills = &v["periods"][0]["bills"];
    let incomplete = bills["incomplete"].as_str().unwrap_or_default();
    assert!(incomplete.contains("one element of the list has no id"), "never dropped in silence: {bills}");
    assert!(!incomplete.contains("counts 4"), "all four came: {incomplete}");
    let numbers: Vec<&str> =
        bills["lines"].as_array().unwrap().iter().filter_map(|l| l["bill"]["number"].as_str()).collect();
    assert!(numbers.contains(&"B-1") && numbers.contains(&"B-2"), "two bills sharing an id are two bills: {numbers:?}");
    let o = sb.run(&["explain", "--user-id", "1", "--rule-id", "3"], &env);
    assert!(stdout(&o).contains("Not every bill could be read (one element of the list has no id"), "{}", stdout(&o));
}

#[test]
fn an_unreadable_bills_answer_is_one_whole_sentence_and_its_request_is_in_the_note() {
    let api = tenant(r#"{"data":[{"id":1,"#, 200);
    let sb = Sandbox::new("bills-cut");
    let base = api.base();
    let env = [("CAP_BASE_URL", base.as_str())];
    let o = sb.run(&["explain", "--user-id", "1", "--rule-id", "3", "--format", "markdown"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("The bills could not be read:") && text.contains("(request id bills-req-9)"), "{text}");
    assert!(!text.contains("It began"), "no sentence cut in its middle: {text}");
    // The failed request is listed with the others, with its id.
    assert!(text.lines().any(|l| l.contains("/transactions") && l.contains("bills-req-9")), "{text}");
}

#[test]
fn a_later_page_refused_is_waited_out_and_the_read_is_whole() {
    const ALL: u64 = 1500;
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let api = Scripted::start(move |r, _| {
        let (offset, limit) = offset_and_limit(r.path());
        // The second page is refused once, with a short wait.
        if offset > 0 && asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            return json(429, "Retry-After: 1\r\n", r#"{"errors":[{"code":429,"message":"slow down"}]}"#);
        }
        json(200, "", &bills_body(offset.min(ALL)..(offset + limit).min(ALL), ALL))
    });
    let got = read(&api).unwrap();
    assert_eq!(got.bills.len(), ALL as usize, "{:?}", got.incomplete);
    assert_eq!(got.incomplete, None);
}
