//! The demo API's data (assets/dataset.json) and the queries it answers,
//! with the documented error codes.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::error::codes;
use crate::api::model::Money;
use crate::api::paging::OffsetMode;

use super::live::{self, LiveClock, LiveFeed};

pub const EMBEDDED: &str = include_str!("../assets/dataset.json");

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub target_rule_id: i64,
    pub target_id: i64,
    pub target_name: String,
    pub target_type: String,
    pub target_entity: String,
    pub event_name: String,
    pub target_value: String,
    /// Sub-milestones: `{id, triggerName, triggerValue}`.
    #[serde(default)]
    pub milestones: Vec<Value>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub id: i64,
    pub ref_code: String,
    pub start_date: String,
    pub end_date: String,
    pub period_status: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub tracking_type: String,
    pub target_evaluation_type: String,
    pub rules: Vec<Rule>,
    pub periods: Vec<Period>,
    /// The organisation's offset, where this cluster gives the ISO fields
    /// (timezone-fields.md): the periods' bounds and the enrolment as instants.
    #[serde(default)]
    pub utc_offset: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Enrolment {
    pub target_rule_id: i64,
    pub enrolled_on: String,
    /// Added to the API's achieved value of a period (by period id): value
    /// the events endpoint does not list, as a bonus or a cap would.
    #[serde(default)]
    pub achieved_adjustments: HashMap<String, String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub enrolments: Vec<Enrolment>,
    /// Events as the API sends them, in chronological order.
    pub events: Vec<Value>,
    /// Purchases that keep arriving while the demo runs.
    #[serde(default)]
    pub live: Option<LiveFeed>,
    /// A mobile of the customer's own (country code and number), instead of
    /// the one derived from the id.
    #[serde(default)]
    pub mobile: Option<String>,
    /// Bills no event stands for, as the transactions call sends them (the
    /// ones events stand for are made from the events).
    #[serde(default)]
    pub bills: Vec<Value>,
    /// The store a purchase's bill was made at, by the event's uniqueId
    /// (code, name); the others were made at Bandra West.
    #[serde(default)]
    pub bill_stores: std::collections::HashMap<String, (String, String)>,
}

impl Customer {
    /// The demo's identifiers for this customer, derived from the id and the
    /// name so every customer has all four: (mobile, email, external id, card).
    pub fn identifiers(&self) -> (String, String, String, String) {
        // The name's leading letters: a hostile name makes a plain address.
        let clean = |s: &str| s.chars().take_while(char::is_ascii_alphabetic).collect::<String>().to_lowercase();
        let digits = format!("{:010}", self.user_id % 10_000_000_000);
        (
            self.mobile.clone().unwrap_or_else(|| format!("91{digits}")),
            format!("{}.{}@example.com", clean(&self.first_name), clean(&self.last_name)),
            format!("EXT{}", self.user_id),
            format!("LOYAL{}", self.user_id),
        )
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Dataset {
    pub groups: Vec<Group>,
    pub customers: Vec<Customer>,
    #[serde(skip)]
    index: Index,
}

/// Lookups by id, built once.
#[derive(Clone, Debug, Default)]
struct Index {
    customers: HashMap<i64, usize>,
    /// rule id → (group index, rule index)
    rules: HashMap<i64, (usize, usize)>,
    groups: HashMap<i64, usize>,
}

/// A documented API error: HTTP status, code, message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoError {
    pub status: u16,
    pub code: i64,
    pub message: &'static str,
}

const INVALID_USER: DemoError = DemoError { status: 400, code: codes::INVALID_USER, message: "Invalid userId" };
const RULE_NOT_FOUND: DemoError =
    DemoError { status: 400, code: codes::RULE_NOT_FOUND, message: "Target rule not found" };
const PERIOD_NOT_FOUND: DemoError =
    DemoError { status: 400, code: codes::PERIOD_NOT_FOUND, message: "Target period not found" };
const NO_EVENTS: DemoError = DemoError {
    status: 400,
    code: codes::NO_EVENTS,
    message: "No record found in user target for given UserId and TargetId",
};
const CUSTOMER_NOT_FOUND: DemoError =
    DemoError { status: 400, code: codes::CUSTOMER_NOT_FOUND, message: "Customer not found for the given identifiers" };
const GROUP_NOT_FOUND: DemoError = DemoError { status: 400, code: 310017, message: "Target group not found" };

impl Dataset {
    pub fn embedded() -> Dataset {
        Dataset::from_json(EMBEDDED).expect("the embedded demo dataset is valid")
    }

    pub fn from_json(text: &str) -> Result<Dataset, serde_json::Error> {
        let mut d: Dataset = serde_json::from_str(text)?;
        d.reindex();
        Ok(d)
    }

    fn reindex(&mut self) {
        let mut index = Index::default();
        for (i, c) in self.customers.iter().enumerate() {
            index.customers.insert(c.user_id, i);
        }
        for (gi, g) in self.groups.iter().enumerate() {
            index.groups.insert(g.id, gi);
            for (ri, r) in g.rules.iter().enumerate() {
                index.rules.insert(r.target_rule_id, (gi, ri));
            }
        }
        self.index = index;
    }

    /// Adds a customer with `count` generated purchases in one rule and
    /// period, for load tests and benchmarks. Values cycle through cents so
    /// sums exercise exact arithmetic.
    pub fn add_generated_customer(&mut self, user_id: i64, rule_id: i64, count: usize) {
        self.push_generated_customer(user_id, rule_id, count);
        self.reindex();
    }

    /// Many generated customers (user id, rule id, events), indexed once.
    pub fn add_generated_customers(&mut self, customers: impl IntoIterator<Item = (i64, i64, usize)>) {
        for (user_id, rule_id, count) in customers {
            self.push_generated_customer(user_id, rule_id, count);
        }
        self.reindex();
    }

    fn push_generated_customer(&mut self, user_id: i64, rule_id: i64, count: usize) {
        let period = 99_000 + rule_id;
        let group = 98_000 + rule_id;
        self.groups.push(Group {
            id: group,
            name: format!("Generated group {group}"),
            tracking_type: "DEFAULT".into(),
            target_evaluation_type: "FIXED_CALENDAR_WINDOW".into(),
            utc_offset: None,
            rules: vec![Rule {
                milestones: Vec::new(),
                target_rule_id: rule_id,
                target_id: rule_id * 10,
                target_name: format!("Generated target {rule_id}"),
                target_type: "SUM".into(),
                target_entity: "TRANSACTION".into(),
                event_name: "TransactionAdd".into(),
                target_value: "100000.00".into(),
            }],
            periods: vec![Period {
                id: period,
                ref_code: "Generated".into(),
                start_date: "2025-01-01".into(),
                end_date: "2025-12-31".into(),
                period_status: "ACTIVE".into(),
            }],
        });
        let events = (0..count)
            .map(|i| {
                let minute = i as i64;
                let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|t| t + chrono::TimeDelta::minutes(minute))
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S.0").to_string())
                    .unwrap_or_default();
                let value: Value =
                    serde_json::from_str(&format!("{}.{:02}", 10 + i % 990, i % 100)).unwrap_or(Value::Null);
                json!({
                    "eventLogId": 800_000_000 + i as i64,
                    "eventName": "ADD_TRANSACTION",
                    "customerId": user_id,
                    "eventDisplayName": null,
                    "uniqueId": (900_000_000 + i as i64).to_string(),
                    "eventDate": date,
                    "eventProcessedDate": date,
                    "periodId": period,
                    "targetGroupId": group,
                    "targetRuleId": rule_id,
                    "targetValue": value,
                })
            })
            .collect();
        self.customers.push(Customer {
            user_id,
            first_name: "Generated".into(),
            last_name: user_id.to_string(),
            mobile: None,
            bills: Vec::new(),
            bill_stores: HashMap::new(),
            enrolments: vec![Enrolment {
                target_rule_id: rule_id,
                enrolled_on: "2025-01-01T00:00:00.000+0000".into(),
                achieved_adjustments: HashMap::new(),
            }],
            events,
            live: None,
        });
    }

    /// `GET /v2/customers/lookup`: the id of the customer with this identifier.
    pub fn lookup(&self, name: &str, value: &str) -> Result<i64, DemoError> {
        let found = self.customers.iter().find(|c| {
            let (mobile, email, external, card) = c.identifiers();
            match name {
                "mobile" => mobile == value,
                "email" => email.eq_ignore_ascii_case(value),
                "externalId" => external == value,
                "cardnumber" => card == value,
                "id" => c.user_id.to_string() == value,
                _ => false,
            }
        });
        found.map(|c| c.user_id).ok_or(CUSTOMER_NOT_FOUND)
    }

    pub fn customer(&self, user_id: i64) -> Option<&Customer> {
        self.index.customers.get(&user_id).map(|&i| &self.customers[i])
    }

    fn rule(&self, rule_id: i64) -> Option<(&Group, &Rule)> {
        self.index.rules.get(&rule_id).map(|&(g, r)| (&self.groups[g], &self.groups[g].rules[r]))
    }

    /// The body of `GET /v3/users/{u}/trackedTargetEvents/{r}`, at the start.
    pub fn events_page(
        &self,
        user_id: i64,
        rule_id: i64,
        period_id: Option<i64>,
        limit: u64,
        offset: u64,
        mode: OffsetMode,
    ) -> Result<Value, DemoError> {
        self.events_page_at(user_id, rule_id, period_id, limit, offset, mode, None)
    }

    /// `GET /v2/customers/{id}/transactions`: the customer's bills billed
    /// from `from` to `to` (days, both included), oldest first, `limit` from
    /// record `offset`. A purchase or return event stands for the bill whose
    /// id is its uniqueId; the dataset adds the bills no event stands for.
    pub fn bills_page_at(
        &self,
        user_id: i64,
        (from, to): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
        limit: u64,
        offset: u64,
        clock: Option<LiveClock>,
    ) -> Result<Value, DemoError> {
        let customer = live::as_of(self.customer(user_id).ok_or(INVALID_USER)?, clock);
        let mut bills: Vec<Value> =
            customer.events.iter().filter_map(|e| bill_of_event(user_id, e, &customer.bill_stores)).collect();
        bills.extend(customer.bills.iter().cloned());
        let day = |b: &Value| {
            let t = b["billingTime"].as_str().unwrap_or("");
            chrono::NaiveDate::parse_from_str(t.get(..10).unwrap_or(""), "%Y-%m-%d").ok()
        };
        bills.retain(|b| day(b).is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)));
        bills.sort_by(|a, b| a["billingTime"].as_str().cmp(&b["billingTime"].as_str()));
        let total = bills.len();
        let page: Vec<Value> =
            bills.into_iter().skip(usize::try_from(offset).unwrap_or(usize::MAX)).take(limit as usize).collect();
        Ok(json!({
            "pagination": {"limit": limit, "offset": offset, "sortBy": "BILLING_TIME", "sortOrder": "ASC", "total": total},
            "data": page,
            "warnings": [],
            "errors": [],
        }))
    }

    /// The same, with the live customers' purchases that have arrived by `clock`.
    #[allow(clippy::too_many_arguments)]
    pub fn events_page_at(
        &self,
        user_id: i64,
        rule_id: i64,
        period_id: Option<i64>,
        limit: u64,
        offset: u64,
        mode: OffsetMode,
        clock: Option<LiveClock>,
    ) -> Result<Value, DemoError> {
        let customer = live::as_of(self.customer(user_id).ok_or(INVALID_USER)?, clock);
        let (group, _) = self.rule(rule_id).ok_or(RULE_NOT_FOUND)?;
        if let Some(p) = period_id
            && !group.periods.iter().any(|x| x.id == p)
        {
            return Err(PERIOD_NOT_FOUND);
        }
        if !customer.enrolments.iter().any(|e| e.target_rule_id == rule_id) {
            return Err(NO_EVENTS);
        }
        let matching: Vec<&Value> = customer
            .events
            .iter()
            .filter(|e| e["targetRuleId"].as_i64() == Some(rule_id))
            .filter(|e| period_id.is_none_or(|p| e["periodId"].as_i64() == Some(p)))
            .collect();
        if matching.is_empty() {
            return Err(NO_EVENTS);
        }
        let limit = limit.clamp(1, 1000);
        let skip = match mode {
            OffsetMode::Page => offset.saturating_mul(limit),
            OffsetMode::Record => offset,
        };
        let data: Vec<&Value> =
            matching.iter().skip(skip.min(usize::MAX as u64) as usize).take(limit as usize).copied().collect();
        Ok(json!({
            "pagination": { "limit": limit, "offset": offset, "total": matching.len() },
            "data": data,
            "errors": [],
            "warnings": [],
        }))
    }

    /// The body of `GET /v3/users/{u}/targetGroups`, with achieved values
    /// computed from the same events.
    pub fn target_groups(&self, user_id: i64) -> Result<Value, DemoError> {
        self.target_groups_at(user_id, None)
    }

    /// The same, with the live customers' purchases that have arrived by `clock`.
    pub fn target_groups_at(&self, user_id: i64, clock: Option<LiveClock>) -> Result<Value, DemoError> {
        let customer = live::as_of(self.customer(user_id).ok_or(INVALID_USER)?, clock);
        let customer = &*customer;
        let mut groups = Vec::new();
        for enrolment in &customer.enrolments {
            let Some((group, rule)) = self.rule(enrolment.target_rule_id) else {
                continue;
            };
            let targets: Vec<Value> = group
                .periods
                .iter()
                .map(|p| {
                    let extra = enrolment.achieved_adjustments.get(&p.id.to_string()).and_then(|v| Money::parse(v));
                    let listed = achieved(customer, rule, p.id);
                    let achieved = extra.and_then(|x| listed.checked_add(x)).unwrap_or(listed);
                    let milestones: Vec<Value> = rule
                        .milestones
                        .iter()
                        .map(|m| {
                            let mut m = m.clone();
                            let trigger = m["triggerValue"].as_str().and_then(Money::parse);
                            m["isAchieved"] = Value::Bool(trigger.is_some_and(|t| achieved.0 >= t.0));
                            m
                        })
                        .collect();
                    let mut target = json!({
                        "targetId": rule.target_id,
                        "periodId": p.id,
                        "periodRefCode": p.ref_code,
                        "periodStartDate": p.start_date,
                        "periodEndDate": p.end_date,
                        "targetValue": number(&rule.target_value),
                        "targetAchievedValue": number(&achieved.to_string()),
                        "targetName": rule.target_name,
                        "targetType": rule.target_type,
                        "targetEntity": rule.target_entity,
                        "targetRuleId": rule.target_rule_id,
                        "enrolledOn": enrolment.enrolled_on,
                        "eventName": rule.event_name,
                        "periodStartDateWithTimeStamp": format!("{}T00:00:00.000Z", p.start_date),
                        "periodEndDateWithTimeStamp": format!("{}T23:59:59.000Z", p.end_date),
                        "currentPeriod": p.period_status == "ACTIVE",
                        "milestones": if milestones.is_empty() { Value::Null } else { Value::Array(milestones) },
                    });
                    if let Some(offset) = &group.utc_offset {
                        target["periodStartDateWithTimeStampISO"] = json!(format!("{}T00:00:00{offset}", p.start_date));
                        target["periodEndDateWithTimeStampISO"] = json!(format!("{}T23:59:59{offset}", p.end_date));
                        target["enrolledOnISO"] = json!(enrolment.enrolled_on);
                    }
                    target
                })
                .collect();
            groups.push(json!({
                "id": group.id,
                "name": group.name,
                "trackingType": group.tracking_type,
                "targetEvaluationType": group.target_evaluation_type,
                "targets": targets,
            }));
        }
        Ok(json!({
            "data": {
                "userId": customer.user_id,
                "customer": { "id": customer.user_id, "profiles": [{ "firstName": customer.first_name, "lastName": customer.last_name }] },
                "targetGroups": groups,
            },
            "errors": null,
            "warnings": null,
        }))
    }

    /// The body of `GET /v3/targetGroups/{id}/targetPeriods`.
    pub fn target_periods(&self, group_id: i64) -> Result<Value, DemoError> {
        let group = self.index.groups.get(&group_id).map(|&g| &self.groups[g]).ok_or(GROUP_NOT_FOUND)?;
        let data: Vec<Value> = group
            .periods
            .iter()
            .map(|p| {
                json!({
                    "id": p.id,
                    "startDate": p.start_date,
                    "endDate": p.end_date,
                    "refCode": p.ref_code,
                    "periodStatus": p.period_status,
                    "targetGroupId": group.id,
                    "description": "",
                    "active": true,
                })
            })
            .collect();
        Ok(json!({ "data": data, "errors": null, "warnings": null }))
    }
}

/// What counts toward a target in one period: the sum of values for SUM
/// targets, the number of counting events otherwise.
fn achieved(customer: &Customer, rule: &Rule, period_id: i64) -> Money {
    let in_period = customer.events.iter().filter(|e| {
        e["targetRuleId"].as_i64() == Some(rule.target_rule_id) && e["periodId"].as_i64() == Some(period_id)
    });
    if rule.target_type == "SUM" {
        in_period
            .filter_map(|e| match &e["targetValue"] {
                Value::Number(n) => Money::parse(&n.to_string()),
                _ => None,
            })
            .fold(Money::ZERO, |acc, v| acc.checked_add(v).unwrap_or(acc))
    } else {
        let n = in_period.filter(|e| !matches!(e["eventName"].as_str(), Some("ENROL" | "UNENROL"))).count();
        Money::parse(&format!("{n}.000")).unwrap_or(Money::ZERO)
    }
}

/// The bill a purchase or return event stands for: its id is the event's
/// uniqueId; its time the event's instant in UTC (as an EU cluster writes
/// it) with the store's offset beside it, else the local string.
fn bill_of_event(
    user_id: i64,
    e: &Value,
    stores: &std::collections::HashMap<String, (String, String)>,
) -> Option<Value> {
    let kind = match e["eventName"].as_str()? {
        "ADD_TRANSACTION" => "REGULAR",
        "RETURN_BILL" => "RETURN",
        _ => return None,
    };
    let id: i64 = e["uniqueId"].as_str()?.trim().parse().ok()?;
    let amount = e["targetValue"].to_string();
    let amount = amount.trim_start_matches('-');
    let (time, offset) = match e["eventDateISO"].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()) {
        Some(t) => {
            (t.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string(), Some(t.offset().to_string()))
        }
        None => (format!("{}Z", e["eventDate"].as_str()?.get(..19)?.replace(' ', "T")), None),
    };
    let (code, name) = stores.get(&id.to_string()).map_or(("MUM-BANDRA-01", "Bandra West"), |(c, n)| (c, n));
    let mut bill = json!({
        "id": id, "customerId": user_id, "billNumber": format!("B-{}", id % 100_000), "type": kind,
        "billingTime": time, "amount": number(amount), "grossAmount": number(amount), "discount": 0,
        "outlierStatus": "NORMAL", "billingStore": {"code": code, "name": name},
    });
    if let Some(offset) = offset {
        bill["billingTimeInputOffset"] = json!(offset);
    }
    Some(bill)
}

fn number(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dataset_covers_what_the_demo_promises() {
        let d = Dataset::embedded();
        let big = d.customer(712004518).unwrap();
        assert!(big.events.len() >= 1000);
        let periods: std::collections::BTreeSet<_> = big.events.iter().map(|e| e["periodId"].as_i64()).collect();
        assert!(periods.len() >= 6);
        let mixed = d.customer(498221730).unwrap();
        for name in ["ADD_TRANSACTION", "RETURN_BILL", "GENERIC_EVENT", "ENROL", "UNENROL"] {
            assert!(mixed.events.iter().any(|e| e["eventName"] == name), "{name}");
        }
    }

    #[test]
    fn documented_errors() {
        let d = Dataset::embedded();
        let page = |u, r, p| d.events_page(u, r, p, 10, 0, OffsetMode::Page).map(|_| ()).map_err(|e| e.code);
        assert_eq!(page(1, 1986, None), Err(310011));
        assert_eq!(page(564332013, 1, None), Err(310018));
        assert_eq!(page(564332013, 1986, Some(1)), Err(310019));
        assert_eq!(page(610000042, 1986, None), Err(310149));
        assert_eq!(page(564332013, 79192, None), Err(310149));
        assert_eq!(page(564332013, 1986, Some(9889)), Ok(()));
    }

    #[test]
    fn achieved_values_are_exact() {
        let d = Dataset::embedded();
        let body = d.target_groups(564332013).unwrap();
        let targets = &body["data"]["targetGroups"][0]["targets"];
        assert_eq!(targets[0]["targetAchievedValue"].to_string(), "9000.92");
        assert_eq!(targets[1]["targetAchievedValue"].to_string(), "3999.54");
    }
}
