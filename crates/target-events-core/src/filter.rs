//! The filter language of every table (the events, the batch's rows, the
//! bills): words narrow the rows, each found in some column; `column:word`
//! looks in that column only; `-word` leaves out the rows that have it;
//! `"two words"` is one phrase. A word is found where a word starts, and
//! not where "not" or "no" stands before it: `reached` finds "reached",
//! never "not reached" (which `"not reached"` or `missed` finds). Digits
//! are found anywhere, so the last digits of an id find it.

use std::borrow::Cow;

/// Words a support lead types for what the tables say.
const SYNONYMS: &[(&str, &str)] = &[("missed", "not reached"), ("open", "in progress"), ("hit", "reached")];

/// One term of a filter.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    /// The column it looks in (lowercase), or every column.
    column: Option<String>,
    /// What it looks for (lowercase), and what it stands for too.
    text: String,
    also: Option<&'static str>,
    /// Leaves out the rows that have it.
    exclude: bool,
}

/// A parsed filter. Empty, it lets every row through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    terms: Vec<Term>,
}

/// A column a row offers to a filter: the names it answers to (up to
/// three; "" for none) and its text.
pub struct Cell<'a> {
    pub names: [&'a str; 3],
    pub text: Cow<'a, str>,
}

impl Filter {
    pub fn parse(text: &str) -> Filter {
        let mut terms = Vec::new();
        for raw in split_terms(text) {
            let (exclude, raw) = match raw.strip_prefix('-') {
                Some(rest) if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) => (true, rest),
                _ => (false, raw.as_str()),
            };
            let (column, value) = match raw.split_once(':') {
                Some((c, v))
                    if !c.is_empty() && !v.is_empty() && c.chars().all(|c| c.is_alphanumeric() || c == '_') =>
                {
                    (Some(c.to_lowercase()), v)
                }
                _ => (None, raw),
            };
            let text = value.trim_matches('"').to_lowercase();
            if text.is_empty() {
                continue;
            }
            let also = SYNONYMS.iter().find(|(k, _)| *k == text).map(|(_, v)| *v);
            terms.push(Term { column, text, also, exclude });
        }
        Filter { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether a row of these cells passes: every term found (in its
    /// column, when it names one), no excluded term found.
    pub fn matches(&self, cells: &[Cell<'_>]) -> bool {
        self.terms.iter().all(|t| {
            let found = cells
                .iter()
                .filter(|c| {
                    t.column.as_deref().is_none_or(|name| c.names.iter().any(|n| !n.is_empty() && names_match(n, name)))
                })
                .any(|c| finds(&c.text, &t.text) || t.also.is_some_and(|a| finds(&c.text, a)));
            found != t.exclude
        })
    }

    /// The column names this filter asks for that no cell answers to, for
    /// a notice ("no column ‘stor’").
    pub fn unknown_columns<'a>(&'a self, names: &[&str]) -> Vec<&'a str> {
        self.terms
            .iter()
            .filter_map(|t| t.column.as_deref())
            .filter(|c| !names.iter().any(|n| names_match(n, c)))
            .collect()
    }
}

/// A column named `name` answers to `asked` when equal, ignoring case and
/// the marks between words ("short by", "shortBy", "short_by").
fn names_match(name: &str, asked: &str) -> bool {
    let plain = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    plain(name) == plain(asked)
}

/// Terms separated by spaces; a quoted phrase is one term.
fn split_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether `cell` has `term` (lowercase): digits anywhere; words where a
/// word starts and not after "not " or "no ".
fn finds(cell: &str, term: &str) -> bool {
    let cell: Cow<'_, str> =
        if cell.chars().any(|c| c.is_uppercase()) { cell.to_lowercase().into() } else { cell.into() };
    let anywhere = !term.starts_with(|c: char| c.is_alphabetic());
    let negatable = !(term.starts_with("not ") || term == "not" || term.starts_with("no ") || term == "no");
    let mut from = 0;
    while let Some(at) = cell[from..].find(term).map(|i| i + from) {
        let before = &cell[..at];
        let word_start = before.chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let negated = negatable && (before.ends_with("not ") || before.ends_with("no "));
        if (anywhere || word_start) && !negated {
            return true;
        }
        from = at + cell[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(cells: &'a [([&'a str; 3], &'a str)]) -> Vec<Cell<'a>> {
        cells.iter().map(|(names, text)| Cell { names: *names, text: Cow::Borrowed(*text) }).collect()
    }

    #[test]
    fn reached_is_not_found_in_not_reached() {
        let reached = row(&[(["verdict", "", ""], "reached")]);
        let missed = row(&[(["verdict", "", ""], "not reached")]);
        let f = Filter::parse("reached");
        assert!(f.matches(&reached) && !f.matches(&missed));
        for typed in ["missed", "\"not reached\"", "verdict:missed", "not"] {
            let f = Filter::parse(typed);
            assert!(f.matches(&missed) && !f.matches(&reached), "{typed}");
        }
        assert!(Filter::parse("-reached").matches(&missed));
    }

    #[test]
    fn a_column_term_looks_in_that_column_only() {
        let r = row(&[(["store", "", ""], "MUM-ANDHERI-02"), (["customer", "", ""], "andheri.fan@example.com")]);
        assert!(Filter::parse("store:mum-andheri-02").matches(&r));
        assert!(Filter::parse("store:andheri").matches(&r), "a word of the store");
        assert!(!Filter::parse("store:example").matches(&r));
        assert!(Filter::parse("example").matches(&r));
        assert!(
            Filter::parse("shortby:1").matches(&row(&[(["short by", "", ""], "179.50")])),
            "names ignore case and spaces"
        );
        assert_eq!(Filter::parse("stor:x").unknown_columns(&["store"]), vec!["stor"]);
    }

    #[test]
    fn digits_are_found_anywhere_and_words_where_a_word_starts() {
        let r = row(&[(["id", "", ""], "940000005"), (["name", "", ""], "ADD_TRANSACTION")]);
        assert!(Filter::parse("0005").matches(&r));
        assert!(Filter::parse("transaction").matches(&r), "after an underscore a word starts");
        assert!(!Filter::parse("ransaction").matches(&r));
        assert!(Filter::parse("").matches(&r) && Filter::parse("  ").is_empty());
    }
}
