//! A customer's bills: `GET /v2/customers/{id}/transactions`
//! (customer-transactions.md). The documentation contradicts itself on what
//! `offset` means (a record position on this page, a page number on its
//! twin) and is silent on much else, so every reading is tolerated: the
//! reading of `offset` is found from the ids that come back, no bill is taken
//! twice, money stays exact (refused, never rounded), and a time without an
//! offset stays a local string.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::client::Client;
use super::error::ApiError;
use super::fetch_all::{FetchAllOptions, with_retries};
use super::model::Money;
use super::response::{Fetched, ResponseMeta, malformed};

/// The most bills one page asks for (the documented maximum).
pub const BILLS_PAGE: u32 = 1000;
/// The most pages one read makes, whatever the server's count says.
pub const MAX_BILL_PAGES: u32 = 50;

fn describe_pages(n: u32) -> String {
    if n == 1 { "one page".into() } else { format!("{n} pages") }
}

/// One bill (transaction) as the list call gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bill {
    pub id: i64,
    /// The bill number the till printed (made safe); numbers can repeat.
    pub number: String,
    /// `REGULAR`, `RETURN`, `NOT_INTERESTED`, … as sent (made safe).
    pub kind: String,
    /// The net amount, exact; None when the text was no exact decimal.
    pub amount: Option<Money>,
    /// The amount's text as sent (for a sentence when it is not exact).
    pub amount_text: String,
    /// `billingTime` with its offset, when it has one.
    pub billed_at: Option<DateTime<FixedOffset>>,
    /// `billingTime` without an offset (or unreadable): the local text.
    pub billed_local: Option<NaiveDateTime>,
    /// The offset the store sent (`billingTimeInputOffset`, "+05:30" or minutes).
    pub store_offset: Option<FixedOffset>,
    pub outlier_status: Option<String>,
    pub store: Option<String>,
    /// Credit notes against it: (number, amount).
    pub credit_notes: Vec<(String, Option<Money>)>,
    /// The bill as the server sent it, as compact JSON text (a parsed tree
    /// costs many times more to hold; made safe where it is shown).
    pub raw: Box<str>,
}

impl Bill {
    /// The bill's moment in the store's own zone where known: "2025-09-28
    /// 19:40 +05:30"; else the cluster's instant; else the local text.
    pub fn when(&self) -> String {
        match (self.billed_at, self.store_offset) {
            (Some(t), Some(o)) => t.with_timezone(&o).format("%Y-%m-%d %H:%M %:z").to_string(),
            (Some(t), None) => t.format("%Y-%m-%d %H:%M %:z").to_string(),
            // Only a local time: said, so no one reads it in their own zone.
            (None, _) => self
                .billed_local
                .map_or_else(|| "no time".into(), |t| t.format("%Y-%m-%d %H:%M (no offset)").to_string()),
        }
    }

    /// The hour of the day it was made, in the store's zone where known.
    pub fn hour(&self) -> Option<u8> {
        use chrono::Timelike;
        let hour = match (self.billed_at, self.store_offset) {
            (Some(t), Some(o)) => t.with_timezone(&o).hour(),
            (Some(t), None) => t.hour(),
            (None, _) => self.billed_local?.hour(),
        };
        u8::try_from(hour).ok()
    }

    /// The calendar day the customer made it, in the store's zone where known.
    pub fn day(&self) -> Option<NaiveDate> {
        match (self.billed_at, self.store_offset) {
            (Some(t), Some(o)) => Some(t.with_timezone(&o).date_naive()),
            (Some(t), None) => Some(t.date_naive()),
            (None, _) => self.billed_local.map(|t| t.date()),
        }
    }

    /// Reads one element of the list; None when it has no id.
    pub fn from_value(v: &Value) -> Option<Bill> {
        let text = |key: &str| v.get(key).and_then(Value::as_str).map(|s| crate::sanitize::line(s).into_owned());
        let id = v.get("id").and_then(|i| i.as_i64().or_else(|| i.as_str()?.trim().parse().ok()))?;
        let amount_value = v.get("amount").cloned().unwrap_or(Value::Null);
        let amount_text = match &amount_value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        let time_text = v.get("billingTime").and_then(Value::as_str).unwrap_or("");
        let (billed_at, billed_local) = read_time(time_text);
        let store = v.get("billingStore").and_then(|s| {
            let code = s.get("code").and_then(Value::as_str);
            let name = s.get("name").and_then(Value::as_str);
            let both = match (code, name) {
                (Some(c), Some(n)) if !n.is_empty() => format!("{c} ({n})"),
                (Some(c), _) => c.to_string(),
                (None, Some(n)) => n.to_string(),
                (None, None) => return None,
            };
            Some(crate::sanitize::line(&both).into_owned())
        });
        let credit_notes = v
            .get("creditNotes")
            .and_then(Value::as_array)
            .map(|notes| {
                notes
                    .iter()
                    .map(|n| {
                        let number = n.get("number").and_then(Value::as_str).unwrap_or("?");
                        let amount = n.get("amount").and_then(|a| Money::parse(&money_text(a)));
                        (crate::sanitize::line(number).into_owned(), amount)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Bill {
            id,
            number: text("billNumber").unwrap_or_default(),
            // A missing type is not guessed.
            kind: text("type").unwrap_or_default(),
            amount: Money::parse(&amount_text),
            amount_text: crate::sanitize::truncate_chars(&crate::sanitize::line(&amount_text), 40).into_owned(),
            billed_at,
            billed_local,
            store_offset: v.get("billingTimeInputOffset").and_then(read_offset),
            outlier_status: text("outlierStatus"),
            store,
            credit_notes,
            raw: v.to_string().into_boxed_str(),
        })
    }
}

fn money_text(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// `billingTime`: an instant with its offset, or a local time without one.
fn read_time(text: &str) -> (Option<DateTime<FixedOffset>>, Option<NaiveDateTime>) {
    let t = text.trim();
    let instant = DateTime::parse_from_rfc3339(t)
        .ok()
        .or_else(|| DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f%z").ok())
        .or_else(|| DateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f%z").ok());
    if instant.is_some() {
        return (instant, None);
    }
    let local = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok());
    (None, local)
}

/// `billingTimeInputOffset`: "+05:30" (every sample) or minutes (one page).
fn read_offset(v: &Value) -> Option<FixedOffset> {
    match v {
        Value::String(s) => {
            let s = s.trim();
            let (sign, rest) = match s.as_bytes().first()? {
                b'+' => (1, &s[1..]),
                b'-' => (-1, &s[1..]),
                _ => (1, s),
            };
            let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
            let minutes = h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?;
            FixedOffset::east_opt(sign * minutes * 60)
        }
        Value::Number(n) => FixedOffset::east_opt(i32::try_from(n.as_i64()?).ok()?.checked_mul(60)?),
        _ => None,
    }
}

/// One page of bills.
#[derive(Clone, Debug, Default)]
pub struct BillsPage {
    pub bills: Vec<Bill>,
    /// Elements with no id, which cannot be told apart.
    pub unreadable: usize,
    /// The server's count of matching bills (said, never trusted to stop).
    pub total: Option<u64>,
}

/// How the server read `offset`, found from what it sent back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetReading {
    Records,
    Pages,
}

/// Every bill of a customer in a window, read as far as the server allows.
#[derive(Clone, Debug, Default)]
pub struct BillsRead {
    pub bills: Vec<Bill>,
    pub requests: Vec<ResponseMeta>,
    pub total: Option<u64>,
    pub reading: Option<OffsetReading>,
    /// Elements with no id, left out.
    pub unreadable: usize,
    /// Why the bills may not all be here, when they may not.
    pub incomplete: Option<String>,
    /// The refusal of a later page, when that is why.
    pub failed_page: Option<ApiError>,
}

impl Client {
    /// `GET /v2/customers/{id}/transactions` for the days `from`..=`to`,
    /// with store details, extended fields and credit notes.
    pub async fn bills_page(
        &self,
        user_id: i64,
        from: NaiveDate,
        to: NaiveDate,
        offset: u64,
    ) -> Result<Fetched<BillsPage>, ApiError> {
        let mut url = self.endpoint(&["v2", "customers", &user_id.to_string(), "transactions"]);
        url.query_pairs_mut()
            .append_pair("startDate", &from.to_string())
            .append_pair("endDate", &to.to_string())
            .append_pair("limit", &BILLS_PAGE.to_string())
            .append_pair("offset", &offset.to_string())
            .append_pair("sortBy", "BILLING_TIME")
            .append_pair("sortOrder", "ASC")
            .append_pair("embed", "BILL_STORE_DETAILS,BILL_EF,CREDIT_NOTES");
        let answer = self.get(url).await.map_err(|(e, _)| e)?;
        let value: Value = serde_json::from_slice(&answer.body).map_err(|e| malformed(&answer, e.to_string()))?;
        let Some(list) = value.get("data").and_then(Value::as_array) else {
            return Err(malformed(&answer, "the answer has no list of transactions".into()));
        };
        let bills: Vec<Bill> = list.iter().filter_map(Bill::from_value).collect();
        let unreadable = list.len() - bills.len();
        let total = value.pointer("/pagination/total").and_then(Value::as_u64);
        Ok(Fetched { value: BillsPage { bills, unreadable, total }, meta: answer.meta })
    }
}

/// Every bill of `user_id` from `from` to `to`: a page of up to 1,000, and
/// more only while pages come full and short of the server's count. The reading of `offset` is tried as the
/// record position the page documents, and as a page number when that brings
/// nothing new; a page that brings nothing new ends the read.
/// Each page refused (429, Retry-After) is waited out and asked again under
/// the client's one rate limit, by `opts`' retry policy, as for the events.
pub async fn read_bills(
    client: &Client,
    user_id: i64,
    (from, to): (NaiveDate, NaiveDate),
    opts: &FetchAllOptions,
) -> Result<BillsRead, ApiError> {
    read_bills_up_to(client, user_id, (from, to), opts, MAX_BILL_PAGES, &|_, _| {}).await
}

/// [`read_bills`], stopping after `max_pages` pages (said in `incomplete`);
/// `on_retry` is told of each refusal waited out.
pub async fn read_bills_up_to(
    client: &Client,
    user_id: i64,
    (from, to): (NaiveDate, NaiveDate),
    opts: &FetchAllOptions,
    max_pages: u32,
    on_retry: &(dyn Fn(u32, Duration) + Sync),
) -> Result<BillsRead, ApiError> {
    let page = |offset: u64| {
        let ask = move || client.bills_page(user_id, from, to, offset);
        with_retries(Some(client.limiter()), opts, ask, on_retry)
    };
    let mut read = BillsRead::default();
    // A bill seen again (a page repeated) is the same id with the same
    // content; two different bills that share an id are both kept.
    // (A hash of the content, not a copy of it: a read holds each bill once.)
    let mut seen: HashSet<(i64, u64)> = HashSet::new();
    let content = |b: &Bill| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        b.raw.hash(&mut h);
        h.finish()
    };
    let mut take = |read: &mut BillsRead, page: BillsPage, meta: ResponseMeta| -> (usize, usize) {
        read.requests.push(meta);
        read.total = page.total.or(read.total);
        read.unreadable += page.unreadable;
        let count = page.bills.len() + page.unreadable;
        let mut new = 0;
        for b in page.bills {
            if seen.insert((b.id, content(&b))) {
                read.bills.push(b);
                new += 1;
            }
        }
        (count, new)
    };
    let first = page(0).await?;
    let (count, _) = take(&mut read, first.value, first.meta);
    // More pages while they come full, until the count is reached (a count
    // that says more than ever comes is walked until a page brings nothing).
    let short_of_total =
        |read: &BillsRead| read.total.is_none_or(|t| ((read.bills.len() + read.unreadable) as u64) < t);
    let mut full = count >= BILLS_PAGE as usize && short_of_total(&read);
    let mut pages = 1;
    let mut offset_records = u64::from(BILLS_PAGE);
    let mut page_number = 1u64;
    while full {
        if pages >= max_pages {
            read.incomplete = Some(format!("the read stopped after {} of bills", describe_pages(max_pages)));
            break;
        }
        let (offset, reading) = match read.reading {
            Some(OffsetReading::Pages) => (page_number, OffsetReading::Pages),
            _ => (offset_records, OffsetReading::Records),
        };
        let next = page(offset).await;
        pages += 1;
        let next = match next {
            Ok(n) => n,
            Err(e) => {
                read.incomplete = Some("a later page of bills could not be read".into());
                read.failed_page = Some(e);
                break;
            }
        };
        let (count, new) = take(&mut read, next.value, next.meta);
        match (new, read.reading) {
            (0, None) => {
                // Nothing new at the record position: perhaps a page number.
                read.reading = Some(OffsetReading::Pages);
                if read.total.is_none_or(|t| (read.bills.len() as u64) < t) {
                    page_number = 1;
                    continue;
                }
                break;
            }
            (0, Some(_)) => break,
            _ => read.reading = Some(reading),
        }
        full = count >= BILLS_PAGE as usize && short_of_total(&read);
        offset_records += u64::from(BILLS_PAGE);
        page_number += 1;
    }
    // The server's count says more than ever came: said, not guessed at.
    if read.incomplete.is_none()
        && let Some(total) = read.total.filter(|t| *t > (read.bills.len() + read.unreadable) as u64)
    {
        read.incomplete = Some(format!("the server counts {total} bills, {} came", read.bills.len() + read.unreadable));
    }
    // Elements with no id cannot be told apart or matched: said, never dropped in silence.
    if read.unreadable > 0 {
        let why = match read.unreadable {
            1 => "one element of the list has no id and could not be read".to_string(),
            n => format!("{n} elements of the list have no id and could not be read"),
        };
        read.incomplete = Some(match read.incomplete.take() {
            Some(before) => format!("{before}; {why}"),
            None => why,
        });
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bill(extra: Value) -> Bill {
        let mut v = json!({"id": 7, "billNumber": "B-1", "type": "REGULAR", "billingTime": "2025-09-30T18:50:00Z",
                           "amount": 10, "outlierStatus": "NORMAL"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        Bill::from_value(&v).unwrap()
    }

    fn number(text: &str) -> Value {
        Value::Number(serde_json::Number::from_string_unchecked(text.into()))
    }

    #[test]
    fn money_is_exact_or_refused_in_every_form() {
        assert_eq!(bill(json!({"amount": number("1250.00")})).amount.unwrap().to_string(), "1250.00");
        assert_eq!(bill(json!({"amount": number("1.25e3")})).amount.unwrap().to_string(), "1250");
        assert_eq!(bill(json!({"amount": number("125000E-2")})).amount.unwrap().to_string(), "1250.00");
        assert_eq!(bill(json!({"amount": "38.97"})).amount.unwrap().to_string(), "38.97");
        // More digits than an exact decimal holds: refused, never rounded.
        assert_eq!(bill(json!({"amount": number("9.99999999999999999999999999999e0")})).amount, None);
        assert_eq!(bill(json!({"amount": number("123456789012345678901234567890")})).amount, None);
        assert_eq!(bill(json!({"amount": number("1e400")})).amount, None);
        assert_eq!(bill(json!({"amount": null})).amount, None);
    }

    #[test]
    fn billing_time_and_the_stores_offset_in_every_documented_form() {
        let b = bill(json!({"billingTimeInputOffset": "+05:30"}));
        assert_eq!(b.when(), "2025-10-01 00:20 +05:30", "the store's own clock");
        assert_eq!(b.day().unwrap().to_string(), "2025-10-01");
        assert_eq!(bill(json!({"billingTimeInputOffset": 330})).when(), "2025-10-01 00:20 +05:30", "minutes");
        assert_eq!(bill(json!({"billingTimeInputOffset": "-03:00"})).when(), "2025-09-30 15:50 -03:00");
        assert_eq!(bill(json!({})).when(), "2025-09-30 18:50 +00:00", "no offset sent: the cluster's");
        // Without an offset: a local time, said without one.
        let local = bill(json!({"billingTime": "2025-09-30 18:20:00"}));
        assert!(local.billed_at.is_none() && local.billed_local.is_some());
        assert_eq!(local.when(), "2025-09-30 18:20 (no offset)");
        let missing = bill(json!({"billingTime": null}));
        assert!(missing.billed_at.is_none() && missing.billed_local.is_none() && missing.day().is_none());
        assert_eq!(missing.when(), "no time");
    }

    #[test]
    fn unknown_words_and_hostile_text_are_kept_and_made_safe() {
        let b = bill(json!({"type": "MYSTERY\u{1b}[31m", "outlierStatus": "SOMETHING_NEW", "billNumber": "B\u{7}-9",
                           "billingStore": {"code": "S\u{1b}]0;x\u{7}", "name": "Store"}}));
        assert!(!b.kind.contains('\u{1b}') && !b.number.contains('\u{7}'));
        assert!(b.store.as_deref().is_some_and(|s| !s.contains('\u{1b}')));
        assert_eq!(b.outlier_status.as_deref(), Some("SOMETHING_NEW"));
        assert!(Bill::from_value(&json!({"billNumber": "no id"})).is_none());
        assert_eq!(bill(json!({"id": "42"})).id, 42, "an id sent as text");
    }
}
