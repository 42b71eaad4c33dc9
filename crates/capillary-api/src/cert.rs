//! When a server's certificate expires: the `notAfter` of an X.509
//! certificate, read from its DER. Only the path to that one field is
//! walked (certificate → tbsCertificate → validity), so a full X.509 parser
//! is not worth its weight here; anything unexpected is None, never a panic.

use chrono::{NaiveDate, NaiveDateTime};

/// One DER element: its tag and contents, and what follows it.
fn element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The certificate's `notAfter`, in UTC.
pub fn not_after(der: &[u8]) -> Option<NaiveDateTime> {
    const SEQUENCE: u8 = 0x30;
    let (SEQUENCE, certificate, _) = element(der)? else { return None };
    let (SEQUENCE, tbs, _) = element(certificate)? else { return None };
    let mut fields = tbs;
    // [0] version, when present; then serial, signature, issuer.
    let (tag, _, rest) = element(fields)?;
    if tag == 0xa0 {
        fields = rest;
        let (_serial, _, rest) = element(fields)?;
        fields = rest;
    } else {
        fields = rest;
    }
    let (_signature, _, rest) = element(fields)?;
    let (_issuer, _, rest) = element(rest)?;
    let (SEQUENCE, validity, _) = element(rest)? else { return None };
    let (_, _not_before, rest) = element(validity)?;
    let (tag, time, _) = element(rest)?;
    let text = std::str::from_utf8(time).ok()?.strip_suffix('Z')?;
    match (tag, text.len()) {
        // UTCTime: YYMMDDHHMMSS, years 1950–2049.
        (0x17, 12) => {
            let yy: i32 = text[..2].parse().ok()?;
            let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
            let rest = NaiveDateTime::parse_from_str(&format!("2000{}", &text[2..]), "%Y%m%d%H%M%S").ok()?;
            NaiveDate::from_ymd_opt(year, chrono::Datelike::month(&rest), chrono::Datelike::day(&rest))
                .map(|d| d.and_time(rest.time()))
        }
        // GeneralizedTime: YYYYMMDDHHMMSS.
        (0x18, 14) => NaiveDateTime::parse_from_str(text, "%Y%m%d%H%M%S").ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test certificate (tests/fixtures/tls/cert.pem), as DER.
    fn fixture() -> Vec<u8> {
        use base64::Engine;
        let pem = include_str!("../../../tests/fixtures/tls/cert.pem");
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::engine::general_purpose::STANDARD.decode(body).unwrap()
    }

    #[test]
    fn reads_the_expiry_of_a_certificate() {
        let when = not_after(&fixture()).expect("the fixture's notAfter");
        assert_eq!(when.to_string(), "2126-11-06 21:36:10");
    }

    #[test]
    fn anything_else_is_none_not_a_panic() {
        let der = fixture();
        for cut in [0, 1, 2, 10, 100, der.len() / 2, der.len() - 1] {
            let _ = not_after(&der[..cut]);
        }
        assert_eq!(not_after(b"\x30\x84\xff\xff\xff\xff"), None);
        assert_eq!(not_after(b"not a certificate"), None);
    }
}
