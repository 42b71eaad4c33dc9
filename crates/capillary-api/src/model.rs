//! The data the target-events endpoint returns, kept exactly as sent.
//!
//! `targetValue` is money with significant trailing digits, so it is held as a
//! [`Money`] (a decimal that keeps its scale) and never passes through `f64`.
//! Dates that do not parse are kept raw. Each event remembers the server's own
//! JSON when our canonical form would differ from it (unknown fields, a
//! different layout), so the raw view always shows what the server sent while
//! ordinary events cost no extra memory.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_json::{Number, Value};

/// An exact decimal amount; displays with the digits the server sent
/// (`1.000` stays `1.000`, `1000` stays `1000`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn is_negative(&self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// Parses the text of a JSON number or a numeric string exactly: a
    /// figure with more digits than a Decimal holds (28–29) is None, never
    /// the rounded number the decimal library would make of it.
    pub fn parse(text: &str) -> Option<Money> {
        let text = text.trim();
        if let Some((mantissa, exponent)) = text.split_once(['e', 'E']) {
            return scientific(mantissa, exponent).map(Money);
        }
        Decimal::from_str(text).ok().filter(|d| exactly(text, d)).map(Money)
    }

    /// The exact sum, or `None` when it overflows or would be rounded: a
    /// Decimal holds 28 digits, and a sum needing more is not shown wrong.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        // Both mantissas aligned to the larger scale and added as integers:
        // exact, or None when the sum needs more digits than a Decimal holds
        // (the decimal library's own addition rounds, or drops a scale).
        let scale = self.0.scale().max(other.0.scale());
        let aligned = |d: Decimal| d.mantissa().checked_mul(10i128.checked_pow(scale - d.scale())?);
        let sum = aligned(self.0)?.checked_add(aligned(other.0)?)?;
        Decimal::try_from_i128_with_scale(sum, scale).ok().map(Money)
    }

    pub fn to_json_number(self) -> Number {
        // With arbitrary_precision a Number keeps exactly this text.
        Number::from_str(&self.0.to_string()).unwrap_or_else(|_| Number::from(0))
    }
}

/// `mantissa`×10^`exponent` exactly, or None: a mantissa with more digits
/// than a Decimal holds, or a result past its range, is refused rather than
/// rounded (the decimal library's own reading rounds silently).
fn scientific(mantissa: &str, exponent: &str) -> Option<Decimal> {
    let m = Decimal::from_str(mantissa).ok().filter(|d| exactly(mantissa, d))?;
    let exponent: i64 = exponent.trim_start_matches('+').parse().ok()?;
    let scale = i64::from(m.scale()) - exponent;
    if scale >= 0 {
        let scale = u32::try_from(scale).ok().filter(|s| *s <= 28)?;
        Decimal::try_from_i128_with_scale(m.mantissa(), scale).ok()
    } else {
        let factor = 10i128.checked_pow(u32::try_from(-scale).ok()?)?;
        Decimal::try_from_i128_with_scale(m.mantissa().checked_mul(factor)?, 0).ok()
    }
}

/// Whether `d` holds every digit of the plain decimal `text` it was read from.
fn exactly(text: &str, d: &Decimal) -> bool {
    let unsigned = text.trim_start_matches(['+', '-']);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = format!("{int}{frac}");
    let significant = digits.trim_start_matches('0');
    let significant = if significant.is_empty() { "0" } else { significant };
    d.scale() as usize == frac.len() && d.mantissa().unsigned_abs().to_string() == significant
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Money {
    /// As money: at least two decimals ("2500.0" → "2500.00", "2000" →
    /// "2000.00"), and every significant digit the API sent ("1.000" stays).
    pub fn as_money(&self) -> String {
        let mut d = self.0;
        if d.scale() < 2 {
            d.rescale(2);
        }
        d.to_string()
    }
}

/// Money is written as its exact text, so JSON readers never see a float.
impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = match Value::deserialize(d)? {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s,
            other => {
                return Err(serde::de::Error::custom(format!("expected a number, found {}", kind_of(&other))));
            }
        };
        Money::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{}` is not an exact decimal",
                crate::sanitize::truncate_chars(&text, 40)
            ))
        })
    }
}

/// A date-time from the API: the raw text and, when it parses, its value.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct EventTime {
    pub raw: String,
    pub parsed: Option<NaiveDateTime>,
}

impl EventTime {
    pub fn parse(raw: String) -> Self {
        let parsed = parse_api_time(&raw).or_else(|| {
            ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M"]
                .iter()
                .find_map(|fmt| NaiveDateTime::parse_from_str(raw.trim(), fmt).ok())
        });
        EventTime { raw, parsed }
    }

    /// The compact form shown in tables: `2025-01-09 12:00:12`, or the raw text.
    pub fn short(&self) -> std::borrow::Cow<'_, str> {
        match self.parsed {
            // The API's own form already starts with it: no formatting needed.
            Some(_) if self.raw.len() >= 19 && parse_api_time(&self.raw).is_some() => self.raw[..19].into(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string().into(),
            None => crate::sanitize::line_prefix(&self.raw, 64),
        }
    }
}

/// The API's own form, `YYYY-MM-DD HH:MM:SS.s`, read without a format
/// interpreter (it is on the path of every event parsed).
fn parse_api_time(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let nanos = match &b[19..] {
        [] => 0,
        [b'.', frac @ ..] if !frac.is_empty() && frac.len() <= 9 && frac.iter().all(u8::is_ascii_digit) => {
            let digits = frac.iter().fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'));
            digits * 10u32.pow(9 - frac.len() as u32)
        }
        _ => return None,
    };
    chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?.and_hms_nano_opt(
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
        nanos,
    )
}

impl<'de> Deserialize<'de> for EventTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = match Value::deserialize(d)? {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        };
        Ok(EventTime::parse(raw))
    }
}

/// The JSON text of a value, borrowed from the event's text: numbers keep
/// their digits and nothing is built on the way (the fast path of parsing).
fn raw_text<'de, D: Deserializer<'de>>(d: D) -> Result<&'de str, D::Error> {
    <&'de serde_json::value::RawValue>::deserialize(d).map(|r| r.get())
}

/// A JSON string's content, or a number's or literal's text.
fn unquote(raw: &str) -> Result<std::borrow::Cow<'_, str>, serde_json::Error> {
    if raw.starts_with('"') {
        if !raw.contains('\\') {
            return Ok(std::borrow::Cow::Borrowed(&raw[1..raw.len() - 1]));
        }
        return serde_json::from_str::<String>(raw).map(std::borrow::Cow::Owned);
    }
    Ok(std::borrow::Cow::Borrowed(if raw == "null" { "" } else { raw }))
}

fn money_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
    let raw = raw_text(d)?;
    let text = unquote(raw).map_err(serde::de::Error::custom)?;
    Money::parse(&text).ok_or_else(|| {
        serde::de::Error::custom(format!("`{}` is not an exact decimal", crate::sanitize::truncate_chars(&text, 40)))
    })
}

fn time_fast<'de, D: Deserializer<'de>>(d: D) -> Result<EventTime, D::Error> {
    let raw = raw_text(d)?;
    let text = unquote(raw).map_err(serde::de::Error::custom)?;
    Ok(EventTime::parse(text.into_owned()))
}

fn id_fast<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = raw_text(d)?;
    unquote(raw).map(|t| t.into_owned()).map_err(serde::de::Error::custom)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What kind of event counted, from `eventName`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Transaction,
    Return,
    Behavioural,
    Enrol,
    Unenrol,
    Other,
}

impl EventKind {
    pub fn of(name: &str) -> Self {
        match name {
            "ADD_TRANSACTION" => EventKind::Transaction,
            "RETURN_BILL" => EventKind::Return,
            "GENERIC_EVENT" => EventKind::Behavioural,
            "ENROL" => EventKind::Enrol,
            "UNENROL" => EventKind::Unenrol,
            _ => EventKind::Other,
        }
    }

    /// A one-character marker so meaning never rests on colour alone.
    pub fn marker(self) -> &'static str {
        match self {
            EventKind::Transaction => "$",
            EventKind::Return => "↩",
            EventKind::Behavioural => "●",
            EventKind::Enrol => "+",
            EventKind::Unenrol => "−",
            EventKind::Other => "?",
        }
    }
}

/// One event that counted toward a target, with every field of the doc.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetEvent {
    pub event_log_id: i64,
    pub event_name: String,
    pub customer_id: i64,
    #[serde(default)]
    pub event_display_name: Option<String>,
    #[serde(deserialize_with = "id_fast")]
    pub unique_id: String,
    #[serde(deserialize_with = "time_fast")]
    pub event_date: EventTime,
    #[serde(deserialize_with = "time_fast")]
    pub event_processed_date: EventTime,
    pub period_id: i64,
    pub target_group_id: i64,
    pub target_rule_id: i64,
    #[serde(deserialize_with = "money_fast")]
    pub target_value: Money,
    #[serde(default, rename = "eventDateISO")]
    pub event_date_iso: Option<String>,
    #[serde(default, rename = "eventProcessedDateISO")]
    pub event_processed_date_iso: Option<String>,
    /// The server's JSON for this event, kept only when [`Self::canonical_json`]
    /// would not reproduce it.
    #[serde(skip)]
    raw: Option<Box<str>>,
}

impl TargetEvent {
    /// Parses one event from its JSON text and decides whether the text must be kept.
    pub fn from_raw(raw: &str) -> Result<Self, serde_json::Error> {
        let mut event: TargetEvent = serde_json::from_str(raw)?;
        // Fast path: the server's compact text is exactly our canonical form
        // (the usual case). Otherwise compare as values, and keep the text if
        // the canonical form would lose anything.
        if event.canonical_text() != raw {
            let as_sent: Value = serde_json::from_str(raw)?;
            if as_sent != event.canonical_json() {
                event.raw = Some(as_sent.to_string().into_boxed_str());
            }
        }
        Ok(event)
    }

    pub fn kind(&self) -> EventKind {
        EventKind::of(&self.event_name)
    }

    /// eventProcessedDate − eventDate, when both parse.
    pub fn processing_lag(&self) -> Option<chrono::TimeDelta> {
        Some(self.event_processed_date.parsed? - self.event_date.parsed?)
    }

    /// The event in the doc's field order with exact numbers.
    pub fn canonical_json(&self) -> Value {
        serde_json::to_value(self.canonical()).unwrap_or(Value::Null)
    }

    /// The canonical form as compact JSON text, written without building a value.
    pub fn canonical_text(&self) -> String {
        serde_json::to_string(&self.canonical()).unwrap_or_default()
    }

    fn canonical(&self) -> Canonical<'_> {
        Canonical {
            event_log_id: self.event_log_id,
            event_name: &self.event_name,
            customer_id: self.customer_id,
            event_display_name: self.event_display_name.as_deref(),
            unique_id: &self.unique_id,
            event_date: &self.event_date.raw,
            event_processed_date: &self.event_processed_date.raw,
            period_id: self.period_id,
            target_group_id: self.target_group_id,
            target_rule_id: self.target_rule_id,
            target_value: self.target_value.to_json_number(),
            event_date_iso: self.event_date_iso.as_deref(),
            event_processed_date_iso: self.event_processed_date_iso.as_deref(),
        }
    }

    /// The event as the server sent it (numbers keep their digits).
    pub fn as_sent(&self) -> Value {
        match &self.raw {
            Some(raw) => serde_json::from_str(raw).unwrap_or_else(|_| self.canonical_json()),
            None => self.canonical_json(),
        }
    }
}

/// A borrowed view of an event in the doc's field order, for writing its
/// canonical JSON.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Canonical<'a> {
    event_log_id: i64,
    event_name: &'a str,
    customer_id: i64,
    event_display_name: Option<&'a str>,
    unique_id: &'a str,
    event_date: &'a str,
    event_processed_date: &'a str,
    period_id: i64,
    target_group_id: i64,
    target_rule_id: i64,
    target_value: Number,
    #[serde(rename = "eventDateISO", skip_serializing_if = "Option::is_none")]
    event_date_iso: Option<&'a str>,
    #[serde(rename = "eventProcessedDateISO", skip_serializing_if = "Option::is_none")]
    event_processed_date_iso: Option<&'a str>,
}

/// `pagination` as sent. Missing or null members read as absent, and so
/// does a member that is no count (negative, fractional, past 2^64, text):
/// an absurd total is ignored as a total, the page is still read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize)]
pub struct Pagination {
    #[serde(default, deserialize_with = "count")]
    pub limit: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub offset: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub total: Option<u64>,
}

/// A count when the value is one, else absent.
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Number(n) => n.as_u64(),
        _ => None,
    })
}

/// A code and message from the `errors` or `warnings` array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiMessage {
    pub code: Option<i64>,
    pub message: String,
}

impl ApiMessage {
    /// Reads one entry leniently: codes may be numbers or strings, messages may be missing.
    pub fn from_value(v: &Value) -> ApiMessage {
        let code = v.get("code").and_then(|c| match c {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        });
        let message = match v.get("message") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => match v {
                Value::String(s) => s.clone(),
                _ => String::new(),
            },
            Some(other) => other.to_string(),
        };
        ApiMessage { code, message: crate::sanitize::line(&message).into_owned() }
    }

    pub fn list(v: Option<&Value>) -> Vec<ApiMessage> {
        match v {
            Some(Value::Array(items)) => items.iter().map(ApiMessage::from_value).collect(),
            Some(Value::Object(_)) => vec![ApiMessage::from_value(v.unwrap_or(&Value::Null))],
            _ => Vec::new(),
        }
    }
}

/// One page of events.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct EventsPage {
    pub pagination: Pagination,
    pub events: Vec<TargetEvent>,
    pub warnings: Vec<ApiMessage>,
}

/// A target period from `/v3/targetGroups/{id}/targetPeriods`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetPeriod {
    pub id: i64,
    #[serde(default)]
    pub ref_code: Option<String>,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub period_status: Option<String>,
    #[serde(default)]
    pub target_group_id: Option<i64>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// One target of a customer's target group, for one period.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserTarget {
    #[serde(default)]
    pub target_id: Option<i64>,
    #[serde(default)]
    pub period_id: Option<i64>,
    #[serde(default)]
    pub period_ref_code: Option<String>,
    #[serde(default)]
    pub period_start_date: Option<String>,
    #[serde(default)]
    pub period_end_date: Option<String>,
    #[serde(default)]
    pub target_value: Option<Money>,
    #[serde(default)]
    pub target_achieved_value: Option<Money>,
    #[serde(default)]
    pub target_name: Option<String>,
    #[serde(default)]
    pub target_type: Option<String>,
    #[serde(default)]
    pub target_entity: Option<String>,
    pub target_rule_id: i64,
    #[serde(default)]
    pub current_period: Option<bool>,
    /// When the customer was enrolled in the target, where the tenant tracks it.
    #[serde(default)]
    pub enrolled_on: Option<String>,
    /// The same moments as instants with their offsets, where the cluster
    /// gives them (timezone-fields.md): compared instead of the local strings.
    #[serde(default, rename = "enrolledOnISO")]
    pub enrolled_on_iso: Option<String>,
    #[serde(default, rename = "periodStartDateWithTimeStampISO")]
    pub period_start_iso: Option<String>,
    #[serde(default, rename = "periodEndDateWithTimeStampISO")]
    pub period_end_iso: Option<String>,
    #[serde(default, rename = "targetAchievedDateTimeISO")]
    pub target_achieved_iso: Option<String>,
    /// Sub-milestones on the way to the target (`null` reads as none).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub milestones: Vec<Milestone>,
}

/// A list the API may send as `null`.
fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A sub-milestone of a target.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Milestone {
    #[serde(default)]
    pub id: Option<i64>,
    #[serde(default)]
    pub trigger_name: Option<String>,
    #[serde(default)]
    pub trigger_value: Option<Money>,
    #[serde(default)]
    pub is_achieved: Option<bool>,
}

/// A customer's target group with its targets.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserTargetGroup {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub tracking_type: Option<String>,
    #[serde(default)]
    pub target_evaluation_type: Option<String>,
    #[serde(default)]
    pub targets: Vec<UserTarget>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sum_is_exact_or_absent() {
        let m = |s: &str| Money::parse(s).unwrap();
        assert_eq!(m("1.000").checked_add(m("2.5")).map(|s| s.to_string()).as_deref(), Some("3.500"));
        assert_eq!(m("123456789012.345").checked_add(m("-99999999.999")).unwrap().to_string(), "123356789012.346");
        // 40 significant digits do not fit: no rounded figure is offered.
        assert_eq!(m("123356789012.347").checked_add(m("0.0000000000000000000000000001")), None);
        assert_eq!(Money(Decimal::MAX).checked_add(m("1")), None);
    }

    const SAMPLE: &str = r#"{"eventLogId":31748158,"eventName":"GENERIC_EVENT","customerId":387544807,
        "eventDisplayName":"testBehavioural","uniqueId":"6621dee9-6c2a-43ad-aa41-be2bf138de04",
        "eventDate":"2024-12-05 00:00:00.0","eventProcessedDate":"2024-12-12 18:42:52.0",
        "periodId":77865,"targetGroupId":52065,"targetRuleId":79192,"targetValue":1.000}"#;

    #[test]
    fn money_keeps_its_digits_and_sums_exactly() {
        for text in ["1.000", "2000.46", "1000", "-250.50", "0.10"] {
            assert_eq!(Money::parse(text).unwrap().to_string(), text);
        }
        let sum = Money::parse("2000.46").unwrap().checked_add(Money::parse("999.54").unwrap()).unwrap();
        assert_eq!(sum.to_string(), "3000.00");
        for text in ["79228162514264337593543950335", "-0.00", "0.0000000000000000000000000001", "007.50", "1e3"] {
            assert!(Money::parse(text).is_some(), "{text}");
        }
        // More digits than a Decimal holds: no rounded stand-in.
        for text in
            ["79228162514264337593543950334.9", "1.00000000000000000000000000001", "0.00000000000000000000000000000001"]
        {
            assert_eq!(Money::parse(text), None, "{text}");
        }
    }

    #[test]
    fn behavioural_sample_parses_exactly() {
        let e = TargetEvent::from_raw(SAMPLE).unwrap();
        assert_eq!(e.target_value.to_string(), "1.000");
        assert_eq!(e.kind(), EventKind::Behavioural);
        assert_eq!(e.event_date.short(), "2024-12-05 00:00:00");
        assert_eq!(e.processing_lag().unwrap().num_hours(), 7 * 24 + 18);
        // Canonical form reproduces the sample, so no copy is kept.
        assert!(e.raw.is_none());
        assert_eq!(e.as_sent()["targetValue"].to_string(), "1.000");
    }

    #[test]
    fn unknown_fields_are_kept_for_the_raw_view() {
        let raw = SAMPLE.replace("\"periodId\"", "\"storeCode\":\"s1\",\"periodId\"");
        let e = TargetEvent::from_raw(&raw).unwrap();
        assert_eq!(e.as_sent()["storeCode"], "s1");
    }

    #[test]
    fn api_times_parse_like_chrono_does() {
        for t in
            ["2025-01-09 12:00:12.0", "2025-01-09 12:00:12", "2024-02-29 23:59:59.999", "2025-12-31 00:00:00.123456789"]
        {
            let slow = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f").unwrap();
            assert_eq!(parse_api_time(t), Some(slow), "{t}");
        }
        for bad in ["2025-02-30 10:00:00.0", "2025-01-09T12:00:12", "2025-01-09 12:00:12.", "x"] {
            assert_eq!(parse_api_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn unparsable_dates_are_kept_raw() {
        let raw = SAMPLE.replace("2024-12-05 00:00:00.0", "yesterday-ish");
        let e = TargetEvent::from_raw(&raw).unwrap();
        assert_eq!(e.event_date.parsed, None);
        assert_eq!(e.event_date.short(), "yesterday-ish");
        assert_eq!(e.processing_lag(), None);
    }

    #[test]
    fn missing_display_name_and_numeric_unique_id_are_accepted() {
        let raw = SAMPLE
            .replace("\"eventDisplayName\":\"testBehavioural\",", "")
            .replace("\"6621dee9-6c2a-43ad-aa41-be2bf138de04\"", "881101809");
        let e = TargetEvent::from_raw(&raw).unwrap();
        assert_eq!(e.event_display_name, None);
        assert_eq!(e.unique_id, "881101809");
    }
}

#[cfg(test)]
mod sums {
    use super::*;

    #[test]
    fn sums_keep_every_digit_whatever_the_scales() {
        let m = |s: &str| Money::parse(s).unwrap();
        let zero = Money(Decimal::new(0, 2));
        assert_eq!(zero.checked_add(m("350.0")).map(|s| s.to_string()), Some("350.00".into()));
        assert_eq!(m("350.0").checked_add(m("-380.00")).map(|s| s.to_string()), Some("-30.00".into()));
        assert_eq!(m("1.000").checked_add(m("2")).map(|s| s.to_string()), Some("3.000".into()));
        // More digits than a Decimal holds: refused, never rounded.
        let big = m("7922816251426433759354395033.5");
        assert_eq!(big.checked_add(m("0.05")), None);
        assert_eq!(m("79228162514264337593543950335").checked_add(m("1")), None);
    }
}
