//! Page arithmetic. The doc calls `offset` a page number and `total` the number
//! of pages, but every sample shows `total` = number of records. We read
//! `offset` as a page index and `total` as a record count by default, with a
//! switch for tenants whose offset counts records, and never trust `total`
//! alone: a page shorter than `limit` is the last one.

use serde::Deserialize;

/// The largest page (`limit`) the API serves.
pub const MAX_PAGE_SIZE: u32 = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OffsetMode {
    /// `offset` is the 0-based page index (the doc's reading).
    #[default]
    Page,
    /// `offset` is the number of records to skip.
    Record,
}

impl OffsetMode {
    /// The `offset` query value for a 0-based page index.
    pub fn offset_for(self, page: u32, limit: u32) -> u64 {
        match self {
            OffsetMode::Page => u64::from(page),
            OffsetMode::Record => u64::from(page) * u64::from(limit),
        }
    }
}

impl std::str::FromStr for OffsetMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "page" => Ok(OffsetMode::Page),
            "record" => Ok(OffsetMode::Record),
            other => Err(format!("offset_mode must be \"page\" or \"record\", not \"{other}\"")),
        }
    }
}

/// Where a loaded page sits in the whole result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageInfo {
    /// 0-based index of this page.
    pub page: u32,
    pub limit: u32,
    /// Events on this page.
    pub count: usize,
    /// Total records, as the server reported it.
    pub total: Option<u64>,
}

impl PageInfo {
    /// Pages in the whole result, when it is known. A short page ends it,
    /// whatever `total` says.
    pub fn page_count(&self) -> Option<u32> {
        if self.is_short() {
            return Some(self.page + 1);
        }
        let limit = u64::from(self.limit.max(1));
        let by_total = self.total.map(|t| t.div_ceil(limit).max(1));
        by_total.map(|n| u32::try_from(n).unwrap_or(u32::MAX).max(self.page + 1))
    }

    fn is_short(&self) -> bool {
        self.count < self.limit as usize
    }

    /// True when no page comes after this one.
    pub fn is_last(&self) -> bool {
        match self.page_count() {
            Some(n) => self.page + 1 >= n,
            None => self.count == 0,
        }
    }

    /// 1-based number of the first event on this page.
    pub fn first_record(&self) -> u64 {
        u64::from(self.page) * u64::from(self.limit) + 1
    }

    /// 1-based number of the last event on this page.
    pub fn last_record(&self) -> u64 {
        u64::from(self.page) * u64::from(self.limit) + self.count as u64
    }

    /// Total records, corrected by what this page proves.
    pub fn total_records(&self) -> Option<u64> {
        if self.is_short() { Some(self.last_record()) } else { self.total.map(|t| t.max(self.last_record())) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(page: u32, limit: u32, count: usize, total: Option<u64>) -> PageInfo {
        PageInfo { page, limit, count, total }
    }

    #[test]
    fn total_is_a_record_count() {
        let p = info(1, 10, 10, Some(74));
        assert_eq!(p.page_count(), Some(8));
        assert_eq!((p.first_record(), p.last_record()), (11, 20));
        assert!(!p.is_last());
        assert!(info(7, 10, 4, Some(74)).is_last());
    }

    #[test]
    fn a_short_page_is_the_last_whatever_total_says() {
        let p = info(2, 10, 3, Some(500));
        assert!(p.is_last());
        assert_eq!(p.page_count(), Some(3));
        assert_eq!(p.total_records(), Some(23));
    }

    #[test]
    fn a_full_page_past_total_still_allows_the_next() {
        let p = info(5, 10, 10, Some(20));
        assert_eq!(p.page_count(), Some(6));
        assert!(p.is_last());
    }

    #[test]
    fn offsets_follow_the_mode() {
        assert_eq!(OffsetMode::Page.offset_for(3, 25), 3);
        assert_eq!(OffsetMode::Record.offset_for(3, 25), 75);
    }
}
