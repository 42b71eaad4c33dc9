//! What a failed request means, in a support agent's words. The API client
//! reports failures as data; this is where they become sentences, and where
//! the remedy is chosen. How a remedy is said (a key in the explorer, a
//! command on the command line) is up to the front end.

use crate::api::bills::BillsRead;
use crate::api::error::{ApiError, ErrorKind, Failure, NetCause, Param, SentCredentials, codes};

/// What the agent can do about a failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// Ask again once the server's wait is over.
    RetryAfterWait,
    /// Ask again; if it keeps failing, escalate with the request id.
    RetryThenEscalate,
    /// Check the network, then ask again.
    CheckConnection,
    /// The base URL or cluster is probably wrong.
    CheckBaseUrl,
    /// The server moved: the profile's base_url may need the new address.
    SetBaseUrl,
    /// The value given for this parameter was refused.
    Correct(Param),
    /// The credentials were refused: these are what to check.
    CheckCredentials(SentCredentials),
    /// No profile owns the address: one must be chosen (or added).
    ChooseProfile,
}

impl Remedy {
    /// The remedy in words that name no key and no flag, for reports both
    /// front ends print the same way (doctor).
    pub fn plain(&self) -> String {
        match self {
            Remedy::RetryAfterWait => "Try again once the wait is over.".into(),
            Remedy::RetryThenEscalate => "Try again; if it persists, escalate with the request id.".into(),
            Remedy::CheckConnection => "Check the connection (VPN?), then try again.".into(),
            Remedy::CheckBaseUrl => "Check the profile's base_url or cluster.".into(),
            Remedy::SetBaseUrl => "If the new address is right, set it as the profile's base_url.".into(),
            Remedy::Correct(param) => format!("Correct the {} and try again.", param.label()),
            Remedy::CheckCredentials(sent) => credentials_advice(sent),
            Remedy::ChooseProfile => {
                "Choose a profile with --profile, or add one for this address to the config.".into()
            }
        }
    }
}

fn credentials_advice(sent: &SentCredentials) -> String {
    match sent {
        SentCredentials::None => "No credentials are configured: set CAP_USERNAME and CAP_PASSWORD, or CAP_OAUTH_KEY and CAP_OAUTH_SECRET, or a profile.".into(),
        SentCredentials::Basic { username } => format!(
            "Check the till username ({username}) and its password (CAP_PASSWORD or the profile's password), and that the till's access group allows this API."
        ),
        SentCredentials::OAuth { key } => format!(
            "Check the OAuth key ({key}) and secret (CAP_OAUTH_SECRET or the profile's oauth_secret), and the client's access group."
        ),
    }
}

/// A failure told: one sentence, the facts support staff quote, a remedy.
pub trait Told {
    /// What went wrong, in a support agent's words.
    fn sentence(&self) -> String;
    /// What the agent can do about it, when anything.
    fn remedy(&self) -> Option<Remedy>;
    /// The failure field by field, with its sentence, for programs.
    fn failure(&self) -> Failure;
}

impl Told for ApiError {
    fn sentence(&self) -> String {
        let status = self.status_text();
        match &self.kind {
            ErrorKind::Api { code: Some(codes::CUSTOMER_NOT_FOUND), message, .. } => {
                format!("No customer was found with that identifier ({message}).")
            }
            ErrorKind::Api { code, message, .. } => match code.and_then(Param::blamed_by) {
                Some(param) => format!("The API rejected the {}: {message}.", param.label()),
                None => format!("The API reported an error: {message}."),
            },
            ErrorKind::Auth { message, .. } => {
                let what = match self.status {
                    Some(403) if self.url.contains("/transactions") => {
                        "The credentials are valid but not allowed to read the customer's bills"
                    }
                    Some(403) => "The credentials are valid but not allowed to read target events",
                    Some(498) => "The OAuth token has expired and could not be renewed",
                    _ => "The API did not accept the credentials",
                };
                match message {
                    Some(m) if !m.is_empty() => format!("{what} ({m})."),
                    _ => format!("{what}."),
                }
            }
            ErrorKind::NotFound => "The server has no such endpoint: the base URL or cluster is probably wrong.".into(),
            ErrorKind::RateLimited { retry_after, .. } => match retry_after {
                Some(d) => {
                    format!("Too many requests: the API asks to wait {} s before trying again.", d.as_secs().max(1))
                }
                None => {
                    "Too many requests: the API is rate limiting this key; wait a moment before trying again.".into()
                }
            },
            ErrorKind::Server { snippet } if snippet.is_empty() => {
                format!("The server failed ({status}) and sent an empty answer.")
            }
            ErrorKind::Server { snippet } => format!("The server failed ({status}): \"{snippet}\"."),
            ErrorKind::Malformed { detail, snippet } => {
                format!("The server's answer ({status}) could not be read: {detail}. It began: \"{snippet}\".")
            }
            ErrorKind::TooLarge { limit } => {
                format!("The server's answer was larger than the {} MiB limit.", limit / (1024 * 1024))
            }
            ErrorKind::Network { host, cause, detail } => match cause {
                NetCause::Refused => format!("Could not connect to {host}: the connection was refused."),
                NetCause::Dns => format!("Could not find the host {host}: check the base URL or cluster."),
                NetCause::Tls => format!("Could not establish a secure connection to {host} ({detail})."),
                NetCause::Timeout => format!("{host} did not answer in time."),
                NetCause::Interrupted => format!("The connection to {host} broke off before the answer was complete."),
                NetCause::Other => format!("Could not reach {host} ({detail})."),
            },
            ErrorKind::InsecureTransport { host } => format!(
                "Refusing to send credentials over plain http to {host}; use https or pass --allow-insecure-http."
            ),
            ErrorKind::Rejected { snippet } if snippet.is_empty() => {
                format!("The server refused the request ({status}) without saying why.")
            }
            ErrorKind::Rejected { snippet } => format!("The server refused the request ({status}): \"{snippet}\"."),
            ErrorKind::Redirected { location } => format!(
                "The server redirected the request ({status}) to {location}; redirects to another host or to plain http are not followed, so nothing was sent there."
            ),
            ErrorKind::ForeignOrigin { origin, owner } => {
                format!("Refusing to send credentials to {origin}: they belong to {owner}.")
            }
            ErrorKind::NoProfile { origin } => format!("No profile is set up for {origin}: nothing was sent there."),
        }
    }

    fn remedy(&self) -> Option<Remedy> {
        match &self.kind {
            ErrorKind::Auth { sent, .. } => Some(Remedy::CheckCredentials(sent.clone())),
            ErrorKind::RateLimited { .. } => Some(Remedy::RetryAfterWait),
            ErrorKind::Server { .. } | ErrorKind::Malformed { .. } | ErrorKind::TooLarge { .. } => {
                Some(Remedy::RetryThenEscalate)
            }
            ErrorKind::Redirected { .. } => Some(Remedy::SetBaseUrl),
            ErrorKind::NoProfile { .. } => Some(Remedy::ChooseProfile),
            ErrorKind::Network { cause: NetCause::Dns | NetCause::Refused, .. } | ErrorKind::NotFound => {
                Some(Remedy::CheckBaseUrl)
            }
            ErrorKind::Network { .. } => Some(Remedy::CheckConnection),
            ErrorKind::Api { .. } => self.param().map(Remedy::Correct),
            _ => None,
        }
    }

    fn failure(&self) -> Failure {
        Failure {
            code: self.code(),
            message: self.sentence(),
            http_status: self.status,
            request_id: self.request_id.clone(),
        }
    }
}

/// Why a read of bills may have left some out, in words, with the refusal
/// of a later page told when that is why.
pub fn bills_incomplete(read: &BillsRead) -> Option<String> {
    let why = read.incomplete.as_deref()?;
    Some(match &read.failed_page {
        Some(e) => format!("{why}: {} ({})", e.sentence(), e.facts()),
        None => why.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_parameter_is_named_and_its_remedy_is_to_correct_it() {
        let e = ApiError::new(
            ErrorKind::Api { code: Some(310011), message: "Invalid userId".into(), more: vec![] },
            Some(400),
            Some("req-1".into()),
            "http://x/v3/users/1/trackedTargetEvents/2",
        );
        assert_eq!(e.sentence(), "The API rejected the userId: Invalid userId.");
        assert_eq!(e.remedy(), Some(Remedy::Correct(Param::UserId)));
        assert_eq!(e.failure().message, e.sentence());
        assert_eq!(e.failure().request_id.as_deref(), Some("req-1"));
    }

    #[test]
    fn a_refusal_names_the_credentials_but_never_a_secret() {
        let e = ApiError::new(
            ErrorKind::Auth { code: None, message: None, sent: SentCredentials::Basic { username: "till".into() } },
            Some(401),
            None,
            "http://x/",
        );
        let advice = e.remedy().unwrap().plain();
        assert!(advice.contains("till"), "{advice}");
    }
}
