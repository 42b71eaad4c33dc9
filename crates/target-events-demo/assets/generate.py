#!/usr/bin/env python3
"""Writes dataset.json, the embedded demo API's data.

Deterministic (fixed seed): run `python3 crates/target-events-demo/assets/generate.py` from the
repository root after changing it, and commit both files. Money is written as
JSON numbers with exact digits (1.000 stays 1.000), as the real API does.
"""
import json
import random
import re
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

rng = random.Random(20250122)
NUM = "__NUM__"


def money(text):
    return NUM + str(text)


def event(log_id, name, customer, unique, date, processed, period, group, rule, value, display=None):
    return {
        "eventLogId": log_id,
        "eventName": name,
        "customerId": customer,
        "eventDisplayName": display,
        "uniqueId": str(unique),
        "eventDate": date,
        "eventProcessedDate": processed,
        "periodId": period,
        "targetGroupId": group,
        "targetRuleId": rule,
        "targetValue": money(value),
    }


def with_offsets(e, offset, shift_minutes=0):
    """The event as a cluster with the ISO fields sends it: the legacy strings
    as they are, and the same moments with the store's offset. `shift_minutes`
    is how far the store's clock is ahead of the cluster's strings (0 when the
    cluster runs in the store's zone)."""
    for legacy, iso in (("eventDate", "eventDateISO"), ("eventProcessedDate", "eventProcessedDateISO")):
        local = datetime.strptime(e[legacy][:19], "%Y-%m-%d %H:%M:%S") + timedelta(minutes=shift_minutes)
        e[iso] = local.strftime("%Y-%m-%dT%H:%M:%S") + offset
    return e


def demo_bill(bill_id, number, kind, time, offset, amount, outlier, store_code, store_name):
    """A bill as the transactions call sends it (customer-transactions.md)."""
    return {
        "id": bill_id, "billNumber": number, "type": kind, "billingTime": time,
        "billingTimeInputOffset": offset, "amount": money(amount), "grossAmount": money(amount),
        "discount": 0, "outlierStatus": outlier,
        "billingStore": {"code": store_code, "name": store_name},
    }


def ts(dt):
    return dt.strftime("%Y-%m-%d %H:%M:%S") + ".0"


def uuid():
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


groups = []
customers = []

# 1. The doc's transactional sample: customer 564332013, rule 1986, periods 9887-9889.
groups.append({
    "id": 1717, "name": "January Spend Sprint", "trackingType": "DEFAULT",
    "targetEvaluationType": "FIXED_CALENDAR_WINDOW",
    "rules": [{"targetRuleId": 1986, "targetId": 880101, "targetName": "Spend 5,000 in a cycle",
               "targetType": "SUM", "targetEntity": "TRANSACTION", "eventName": "TransactionAdd",
               "targetValue": "5000.00"}],
    "periods": [
        {"id": 9887, "refCode": "Cycle_1", "startDate": "2025-01-01", "endDate": "2025-01-12", "periodStatus": "ENDED"},
        {"id": 9888, "refCode": "Cycle_2", "startDate": "2025-01-13", "endDate": "2025-01-21", "periodStatus": "ENDED"},
        {"id": 9889, "refCode": "Cycle_3", "startDate": "2025-01-22", "endDate": "2025-01-31", "periodStatus": "ACTIVE"},
    ],
})
doc_rows = [
    (606066681, "880613909", "2025-01-09 12:00:12.0", 9887, "1000"),
    (606066721, "880613938", "2025-01-09 12:00:12.0", 9887, "2000"),
    (606068043, "880614460", "2025-01-09 12:00:12.0", 9887, "2000"),
    (606072487, "880616667", "2025-01-09 13:00:12.0", 9887, "2000.46"),
    (608082820, "880897427", "2025-01-09 13:00:12.0", 9887, "2000.46"),
    (615116253, "881039056", "2025-01-20 13:00:00.0", 9888, "999.54"),
    (615376598, "881070102", "2025-01-21 09:00:00.0", 9888, "2000"),
    (615376684, "881070130", "2025-01-21 09:00:00.0", 9888, "1000"),
    (615460983, "881101809", "2025-01-22 14:00:00.0", 9889, "1000"),
    (615461137, "881101873", "2025-01-22 14:00:00.0", 9889, "1000"),
]
customers.append({
    "userId": 564332013, "firstName": "Priya", "lastName": "Nair",
    "enrolments": [{"targetRuleId": 1986, "enrolledOn": "2025-01-01T09:00:00.000+0000"}],
    "events": [event(l, "ADD_TRANSACTION", 564332013, u, d, d, p, 1717, 1986, v) for l, u, d, p, v in doc_rows],
})

# 2. The doc's behavioural sample: customer 387544807, rule 79192.
groups.append({
    "id": 52065, "name": "Engagement Streak", "trackingType": "STREAKS",
    "targetEvaluationType": "FIXED_CALENDAR_WINDOW",
    "rules": [{"targetRuleId": 79192, "targetId": 2160795, "targetName": "Check in twice",
               "targetType": "COUNT", "targetEntity": "EVENT", "eventName": "testBehavioural",
               "targetValue": "2.000"}],
    "periods": [{"id": 77865, "refCode": "Dec_2024", "startDate": "2024-12-01", "endDate": "2024-12-31", "periodStatus": "ENDED"}],
})
customers.append({
    "userId": 387544807, "firstName": "Tom", "lastName": "Sawyer",
    "enrolments": [{"targetRuleId": 79192, "enrolledOn": "2024-12-01T00:00:00.000+0000"}],
    "events": [
        event(31748158, "GENERIC_EVENT", 387544807, "6621dee9-6c2a-43ad-aa41-be2bf138de04",
              "2024-12-05 00:00:00.0", "2024-12-12 18:42:52.0", 77865, 52065, 79192, "1.000", "testBehavioural"),
        event(31751902, "GENERIC_EVENT", 387544807, "b3f1c2d4-8e7a-4f10-9c2b-5d6e7f8a9b0c",
              "2024-12-14 10:15:00.0", "2024-12-14 10:15:03.0", 77865, 52065, 79192, "1.000", "testBehavioural"),
    ],
})

# 3. A large customer: 1,000+ events over eight monthly periods, with returns
#    and events processed late (a common reason one lands in another period).
big_periods = []
month_starts = [datetime(2025, m, 1) for m in range(1, 10)]
for i in range(8):
    start, end = month_starts[i], month_starts[i + 1] - timedelta(days=1)
    big_periods.append({"id": 12001 + i, "refCode": start.strftime("%b_%Y"),
                        "startDate": start.strftime("%Y-%m-%d"), "endDate": end.strftime("%Y-%m-%d"),
                        "periodStatus": "ACTIVE" if i == 7 else "ENDED"})
groups.append({
    "id": 1901, "name": "Gold Tier Monthly Spend", "trackingType": "DEFAULT",
    "targetEvaluationType": "CYCLIC_WINDOW",
    "rules": [{"targetRuleId": 2410, "targetId": 990412, "targetName": "Spend 25,000 a month",
               "targetType": "SUM", "targetEntity": "TRANSACTION", "eventName": "TransactionAdd",
               "targetValue": "25000.00"}],
    "periods": big_periods,
})
big_events = []
log_id, bill = 700000000, 990000000
for i, period in enumerate(big_periods):
    start = month_starts[i]
    days = (month_starts[i + 1] - start).days
    count = 150 + rng.randrange(30)
    moments = sorted(start + timedelta(seconds=rng.randrange(days * 86400)) for _ in range(count))
    for when in moments:
        log_id += rng.randrange(3, 400)
        bill += rng.randrange(1, 90)
        if rng.random() < 0.06:
            name, value = "RETURN_BILL", "-" + str(Decimal(rng.randrange(500, 90000)) / 100)
        else:
            name, value = "ADD_TRANSACTION", str(Decimal(rng.randrange(500, 600000)) / 100)
        lag = timedelta(seconds=rng.randrange(0, 5))
        if rng.random() < 0.03:
            lag = timedelta(hours=rng.randrange(2, 40), minutes=rng.randrange(60))
        big_events.append(event(log_id, name, 712004518, bill, ts(when), ts(when + lag),
                                period["id"], 1901, 2410, value))
customers.append({
    "userId": 712004518, "firstName": "Arjun", "lastName": "Mehta",
    "enrolments": [{"targetRuleId": 2410, "enrolledOn": "2024-12-28T11:20:00.000+0000"}],
    "events": big_events,
})

# 4. Every kind of event: enrol, purchases, a return, behavioural events, unenrol.
groups.append({
    "id": 2050, "name": "Weekend Explorer", "trackingType": "DEFAULT",
    "targetEvaluationType": "FIXED_CALENDAR_WINDOW",
    "rules": [{"targetRuleId": 3150, "targetId": 550310, "targetName": "Earn 3,000 across store and app",
               "targetType": "SUM", "targetEntity": "TRANSACTION", "eventName": "TransactionAdd",
               "targetValue": "3000.00"}],
    "periods": [
        {"id": 31501, "refCode": "Q1_2025", "startDate": "2025-01-01", "endDate": "2025-03-31", "periodStatus": "ENDED"},
        {"id": 31502, "refCode": "Q2_2025", "startDate": "2025-04-01", "endDate": "2025-06-30", "periodStatus": "ACTIVE"},
    ],
})
mixed = []
plan = [
    ("ENROL", "2025-01-03 10:00:00.0", 31501, "0", None),
    ("ADD_TRANSACTION", "2025-01-11 18:22:41.0", 31501, "1249.99", None),
    ("GENERIC_EVENT", "2025-01-12 09:05:00.0", 31501, "1.000", "AppCheckIn"),
    ("ADD_TRANSACTION", "2025-02-01 12:40:10.0", 31501, "860.50", None),
    ("RETURN_BILL", "2025-02-03 15:10:00.0", 31501, "-860.50", None),
    ("GENERIC_EVENT", "2025-02-14 20:00:00.0", 31501, "1.000", "ReviewPosted"),
    ("ADD_TRANSACTION", "2025-03-08 11:11:11.0", 31501, "1500.00", None),
    ("GENERIC_EVENT", "2025-03-30 23:59:30.0", 31502, "1.000", "AppCheckIn"),
    ("ADD_TRANSACTION", "2025-04-05 16:45:00.0", 31502, "720.25", None),
    ("RETURN_BILL", "2025-04-06 10:00:00.0", 31502, "-120.25", None),
    ("ADD_TRANSACTION", "2025-05-17 13:30:00.0", 31502, "2000.00", None),
    ("UNENROL", "2025-06-02 08:00:00.0", 31502, "0", None),
]
for n, (name, date, period, value, display) in enumerate(plan):
    processed = date
    if date.startswith("2025-03-30"):
        processed = "2025-04-01 02:14:09.0"  # processed late: counted in Q2
    unique = uuid() if name == "GENERIC_EVENT" else 882000100 + n * 7
    mixed.append(event(640100000 + n * 13, name, 498221730, unique, date, processed, period, 2050, 3150, value, display))
customers.append({
    "userId": 498221730, "firstName": "Mei", "lastName": "Lin",
    "enrolments": [{"targetRuleId": 3150, "enrolledOn": "2025-01-03T10:00:00.000+0000"}],
    "events": mixed,
})

# 5. Enrolled, but no events yet: the API answers 310149.
customers.append({
    "userId": 610000042, "firstName": "Sam", "lastName": "Okafor",
    "enrolments": [{"targetRuleId": 1986, "enrolledOn": "2025-01-20T08:00:00.000+0000"}],
    "events": [],
})

# 6. Hostile display names: escape sequences, controls, bidi, wide text, formulas.
groups.append({
    "id": 4000, "name": "Partner Quests \x1b[5mblink\x1b[0m", "trackingType": "DEFAULT",
    "targetEvaluationType": "FIXED_CALENDAR_WINDOW",
    "rules": [{"targetRuleId": 4040, "targetId": 404001, "targetName": "Quest\tlog \u202eredro\u202c",
               "targetType": "COUNT", "targetEntity": "EVENT", "eventName": "Quest",
               "targetValue": "10.000"}],
    "periods": [{"id": 40401, "refCode": "Q\x1b]0;pwned\x07", "startDate": "2025-02-01", "endDate": "2025-02-28", "periodStatus": "ENDED"}],
})
hostile_names = [
    "\x1b[31mRED ALERT\x1b[0m",
    "\x1b]0;owned-title\x07title change",
    "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07clipboard",
    "tab\there\tand\tthere",
    "line one\r\nline two",
    "nul\x00byte",
    "order \u202egnp.exe\u202c done",
    "積分イベント🎉 奖励",
    "x" * 300,
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "\x9b31mC1 CSI",
    "+SUM(A1:A9)",
]
hostile = []
for n, name in enumerate(hostile_names):
    date = ts(datetime(2025, 2, 3 + n, 10, n, 0))
    hostile.append(event(660000000 + n, "GENERIC_EVENT", 666000666, uuid(), date, date, 40401, 4000, 4040, "1.000", name))
customers.append({
    "userId": 666000666, "firstName": "Eve\x1b[2J", "lastName": "Mallory",
    "enrolments": [{"targetRuleId": 4040, "enrolledOn": "2025-02-01T00:00:00.000+0000"}],
    "events": hostile,
})

# 7. Why didn't it count? One customer showing each case the verdict explains:
# a bill dated on the last evening of September but processed after midnight
# (counted in October; alone it would have reached September's target), a
# return, an event before enrolment, and an API achieved value in October that
# counts more than the listed events (a bonus the events endpoint does not list).
groups.append({
    "id": 7600, "name": "Festive Spend Club", "trackingType": "DEFAULT", "utcOffset": "+05:30",
    "targetEvaluationType": "FIXED_CALENDAR_WINDOW",
    "rules": [{"targetRuleId": 7610, "targetId": 761001, "targetName": "Spend 5,000 in a month",
               "targetType": "SUM", "targetEntity": "TRANSACTION", "eventName": "TransactionAdd",
               "targetValue": "5000.00",
               "milestones": [{"id": 76101, "triggerName": "Half way", "triggerValue": "2500.00"},
                              {"id": 76102, "triggerName": "Almost there", "triggerValue": "4500.00"}]}],
    "periods": [
        {"id": 7601, "refCode": "Sep_2025", "startDate": "2025-09-01", "endDate": "2025-09-30", "periodStatus": "ENDED"},
        {"id": 7602, "refCode": "Oct_2025", "startDate": "2025-10-01", "endDate": "2025-10-31", "periodStatus": "ACTIVE"},
    ],
})
why = [
    ("ADD_TRANSACTION", "2025-09-03 18:05:00.0", None, 7601, "350.00"),
    ("ADD_TRANSACTION", "2025-09-10 11:20:00.0", None, 7601, "3000.00"),
    ("ADD_TRANSACTION", "2025-09-20 16:45:00.0", None, 7601, "1850.50"),
    ("RETURN_BILL", "2025-09-25 10:00:00.0", None, 7601, "-380.00"),
    ("ADD_TRANSACTION", "2025-09-30 23:50:00.0", "2025-10-01 00:20:00.0", 7602, "600.00"),
    ("ADD_TRANSACTION", "2025-10-04 12:00:00.0", None, 7602, "1200.00"),
    ("ADD_TRANSACTION", "2025-10-12 19:30:00.0", None, 7602, "2400.00"),
]
customers.append({
    "userId": 777000777, "firstName": "Ravi", "lastName": "Kumar", "mobile": "919800000007",
    "enrolments": [{"targetRuleId": 7610, "enrolledOn": "2025-09-05T00:00:00.000+0000",
                    "achievedAdjustments": {"7602": "150.00"}}],
    "events": [with_offsets(event(940000001 + n, name, 777000777, 994000100 + n, date, processed or date, period,
                                  7600, 7610, value), "+05:30")
               for n, (name, date, processed, period, value) in enumerate(why)],
    # The bills no event stands for: what "I spent enough" is about. One with
    # no signal at all (1,250.00 at another store: alone it would have made
    # September), one the platform marked OUTLIER, one made without the
    # loyalty number, one made four days before he enrolled.
    "bills": [
        demo_bill(994000200, "B-88120", "REGULAR", "2025-09-28T14:10:00Z", "+05:30", "1250.00", "NORMAL",
             "MUM-ANDHERI-02", "Andheri East"),
        demo_bill(994000201, "B-87344", "REGULAR", "2025-09-14T06:45:00Z", "+05:30", "2000.00", "OUTLIER",
             "MUM-BANDRA-01", "Bandra West"),
        demo_bill(994000202, "B-87901", "NOT_INTERESTED", "2025-09-22T12:30:00Z", "+05:30", "420.00", "NORMAL",
             "MUM-BANDRA-01", "Bandra West"),
        demo_bill(994000203, "B-86512", "REGULAR", "2025-09-01T05:15:00Z", "+05:30", "275.00", "NORMAL",
             "MUM-BANDRA-01", "Bandra West"),
    ],
})

# 7b. The same complaint on a cluster that writes its dates in UTC, for a store
# at +05:30: a 500.00 bill made at 03:00 on 1 October at the store reads
# "2025-09-30 21:30:00.0" in the legacy string. Compared as strings it would
# look like September's; its instant says October, where it rightly counted.
groups.append({
    "id": 7800, "name": "Monsoon Spend Club", "trackingType": "DEFAULT", "utcOffset": "+05:30",
    "rules": [{"targetRuleId": 7810, "targetId": 781001, "targetName": "Spend 5,000 in a month",
               "targetType": "SUM", "targetEntity": "TRANSACTION", "eventName": "TransactionAdd",
               "targetValue": "5000.00"}],
    "targetEvaluationType": "FIXED_CALENDAR_WINDOW",
    "periods": [
        {"id": 7801, "refCode": "Sep_2025", "startDate": "2025-09-01", "endDate": "2025-09-30", "periodStatus": "ENDED"},
        {"id": 7802, "refCode": "Oct_2025", "startDate": "2025-10-01", "endDate": "2025-10-31", "periodStatus": "ACTIVE"},
    ],
})
utc = [
    ("2025-09-08 04:30:00.0", 7801, "3000.00"),
    ("2025-09-19 09:15:00.0", 7801, "1820.50"),
    ("2025-09-30 21:30:00.0", 7802, "500.00"),
    ("2025-10-09 06:00:00.0", 7802, "900.00"),
]
customers.append({
    "userId": 780000780, "firstName": "Kavya", "lastName": "Menon",
    "enrolments": [{"targetRuleId": 7810, "enrolledOn": "2025-08-20T00:00:00.000+0000"}],
    "events": [with_offsets(event(960000001 + n, "ADD_TRANSACTION", 780000780, 996000100 + n, date, date, period,
                                  7800, 7810, value), "+05:30", 330)
               for n, (date, period, value) in enumerate(utc)],
})

# 8. "I just paid at the till — does it count?" A lifetime target 1,000 short,
# and a purchase that arrives every 15 seconds while the demo runs (the server
# adds them, dated when they arrive; see src/demo/live.rs): watch it with `w`.
groups.append({
    "id": 8000, "name": "Everyday Rewards", "trackingType": "DEFAULT",
    "targetEvaluationType": "FIXED_CALENDAR_WINDOW",
    "rules": [{"targetRuleId": 8080, "targetId": 808001, "targetName": "Spend 10,000 to unlock Gold",
               "targetType": "SUM", "targetEntity": "TRANSACTION", "eventName": "TransactionAdd",
               "targetValue": "10000.00"}],
    "periods": [
        {"id": 8001, "refCode": "Lifetime", "startDate": "2025-01-01", "endDate": "2099-12-31", "periodStatus": "ACTIVE"},
    ],
})
till = [
    ("2025-03-14 18:20:00.0", "2150.00"),
    ("2025-06-02 12:05:00.0", "3480.25"),
    ("2025-09-21 10:40:00.0", "1999.75"),
    ("2026-01-09 17:15:00.0", "1370.00"),
]
customers.append({
    "userId": 808000808, "firstName": "Anita", "lastName": "Desai",
    "enrolments": [{"targetRuleId": 8080, "enrolledOn": "2025-01-01T00:00:00.000+0000"}],
    "events": [event(950000001 + n, "ADD_TRANSACTION", 808000808, 995000100 + n, date, date, 8001, 8000, 8080, value)
               for n, (date, value) in enumerate(till)],
    "live": {"everySeconds": 15, "max": 40, "groupId": 8000, "ruleId": 8080, "periodId": 8001,
             "values": ["333.33", "120.00", "649.90", "75.50"]},
})

# 9. After a campaign: twelve customers of the Festive Spend Club who say "I
# spent enough in September". Run `batch --verdict` over
# assets/campaign.txt: five paid late on 30 September at Andheri (their bills
# counted in October), four shopped at Saket where bills were made without the
# loyalty number, two returned enough to fall short, one reached it.
def cohort_customer(n, september, extra_events=(), bills=(), stores=None):
    user = 776000001 + n
    events = [with_offsets(event(970000000 + n * 100 + i, name, user, 997000000 + n * 100 + i, date,
                                 processed or date, period, 7600, 7610, value), "+05:30")
              for i, (name, date, processed, period, value) in enumerate(list(september) + list(extra_events))]
    customers.append({
        "userId": user, "firstName": "Campaign", "lastName": f"Customer {n + 1}",
        "mobile": f"91980010{n + 1:04d}",
        "enrolments": [{"targetRuleId": 7610, "enrolledOn": "2025-08-25T00:00:00.000+0000"}],
        "events": events,
        "bills": list(bills),
        "billStores": stores or {},
    })
    return user


def spent(total):
    """September's purchases adding up to `total`, on ordinary days."""
    return [("ADD_TRANSACTION", "2025-09-06 12:00:00.0", None, 7601, "2000.00"),
            ("ADD_TRANSACTION", "2025-09-18 17:30:00.0", None, 7601, f"{total - 2000:.2f}")]


for n in range(5):
    # The last purchase, 23:20 to 23:55 on 30 September at Andheri, processed
    # after midnight: counted in October.
    minute = 20 + n * 8
    late_id = 997000000 + n * 100 + 2
    cohort_customer(n, spent(4600), [("ADD_TRANSACTION", f"2025-09-30 23:{minute:02d}:00.0",
                                       f"2025-10-01 00:{minute + 2:02d}:00.0", 7602, "700.00")],
                    stores={str(late_id): ["MUM-ANDHERI-02", "Andheri East"]})
for n in range(5, 9):
    # Two bills at Saket made without the loyalty number: no event stands for them.
    cohort_customer(n, spent(4300), (), [
        demo_bill(998000000 + n * 10, f"S-{5200 + n}", "NOT_INTERESTED", "2025-09-12T08:30:00Z", "+05:30", "450.00",
                  "NORMAL", "DEL-SAKET-01", "Saket"),
        demo_bill(998000001 + n * 10, f"S-{5300 + n}", "NOT_INTERESTED", "2025-09-27T13:10:00Z", "+05:30", "380.00",
                  "NORMAL", "DEL-SAKET-01", "Saket"),
    ])
for n in range(9, 11):
    # Enough spent, then a return that takes it below the target.
    cohort_customer(n, spent(5400), [("RETURN_BILL", "2025-09-24 11:00:00.0", None, 7601, "-600.00")])
# Reached.
cohort_customer(11, spent(5200))
campaign = [str(776000001 + n) for n in range(12)]
Path(__file__).with_name("campaign.txt").write_text(
    "# Complaints after the September campaign (Festive Spend Club, rule 7610)\n" + "\n".join(campaign) + "\n")

dataset = {"groups": groups, "customers": customers}
text = json.dumps(dataset, indent=1, ensure_ascii=True)
# Money as exact JSON numbers.
text = re.sub(r'"__NUM__(-?[0-9.]+)"', r"\1", text)
out = Path(__file__).with_name("dataset.json")
out.write_text(text + "\n")
print(f"wrote {out}: {sum(len(c['events']) for c in customers)} events")
