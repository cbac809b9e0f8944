//! When several people are all free: their busy periods (from Google's free/busy query), and
//! for each the hours outside their working window on their own local days (in their IANA time
//! zone, so a window follows daylight-saving changes), and optionally their weekends, merged;
//! the free time is the range minus that. Pure functions of instants, no I/O.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;

/// A half-open span of time `[start, end)`, never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Interval {
    /// `[start, end)`, unless it is empty.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Option<Self> {
        (start < end).then_some(Interval { start, end })
    }

    /// The part of `self` within `range`, if any.
    fn within(self, range: Interval) -> Option<Interval> {
        Interval::new(self.start.max(range.start), self.end.min(range.end))
    }
}

/// One participant's working day: a window of local time in their zone (either end open).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkingHours {
    pub zone: Tz,
    /// The window's start; the day's start when absent.
    pub start: Option<NaiveTime>,
    /// The window's end; the day's end when absent.
    pub end: Option<NaiveTime>,
}

/// `intervals` sorted, with those that overlap or touch made one.
pub fn merge(mut intervals: Vec<Interval>) -> Vec<Interval> {
    intervals.sort_by_key(|interval| (interval.start, interval.end));
    let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
    for interval in intervals {
        match merged.last_mut() {
            Some(last) if interval.start <= last.end => last.end = last.end.max(interval.end),
            _ => merged.push(interval),
        }
    }
    merged
}

/// The parts of `range` that no interval of `busy` (merged, sorted) covers.
pub fn free(range: Interval, busy: &[Interval]) -> Vec<Interval> {
    let mut slots = Vec::new();
    let mut cursor = range.start;
    for busy in busy.iter().filter_map(|busy| busy.within(range)) {
        slots.extend(Interval::new(cursor, busy.start));
        cursor = cursor.max(busy.end);
    }
    slots.extend(Interval::new(cursor, range.end));
    slots
}

/// The parts of `range` outside `hours` on each of the participant's local days, and their
/// whole Saturdays and Sundays with `exclude_weekends`.
pub fn unavailable(range: Interval, hours: &WorkingHours, exclude_weekends: bool) -> Vec<Interval> {
    if hours.start.is_none() && hours.end.is_none() && !exclude_weekends {
        return Vec::new();
    }
    let zone = hours.zone;
    let mut out = Vec::new();
    let mut date = range.start.with_timezone(&zone).date_naive();
    loop {
        let day_start = local(zone, date, NaiveTime::MIN);
        let Some(next) = date.succ_opt() else { break };
        if day_start >= range.end {
            break;
        }
        // A local day is 23 or 25 hours long on the days clocks change.
        let day_end = local(zone, next, NaiveTime::MIN);
        if exclude_weekends && matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            out.extend(Interval::new(day_start, day_end));
        } else {
            if let Some(start) = hours.start {
                out.extend(Interval::new(day_start, local(zone, date, start)));
            }
            if let Some(end) = hours.end {
                out.extend(Interval::new(local(zone, date, end), day_end));
            }
        }
        date = next;
    }
    out.into_iter()
        .filter_map(|interval| interval.within(range))
        .collect()
}

/// The times within `range` when every participant is free: outside all `busy` periods, inside
/// each participant's working hours, and, with `exclude_weekends`, on no one's weekend.
pub fn shared_free(
    range: Interval,
    busy: impl IntoIterator<Item = Interval>,
    participants: &[WorkingHours],
    exclude_weekends: bool,
) -> Vec<Interval> {
    let mut all: Vec<Interval> = busy.into_iter().collect();
    for hours in participants {
        all.extend(unavailable(range, hours, exclude_weekends));
    }
    free(range, &merge(all))
}

/// The instant the clocks of `zone` show `time` on `date`: the earlier one when they show it
/// twice (clocks going back), and the moment they jump past it when they never show it (clocks
/// going forward: a window from 02:30 on such a day starts at 03:00).
pub fn local(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let wanted = date.and_time(time);
    if let Some(instant) = zone.from_local_datetime(&wanted).earliest() {
        return instant.to_utc();
    }
    // In a gap: the first whole local minute after it is the transition itself.
    let mut probe = wanted
        .with_second(0)
        .unwrap_or(wanted)
        .with_nanosecond(0)
        .unwrap_or(wanted);
    for _ in 0..24 * 60 {
        probe += Duration::minutes(1);
        if let Some(instant) = zone.from_local_datetime(&probe).earliest() {
            return instant.to_utc();
        }
    }
    Utc.from_utc_datetime(&wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn span(start: &str, end: &str) -> Interval {
        Interval::new(at(start), at(end)).unwrap()
    }

    fn hm(text: &str) -> NaiveTime {
        NaiveTime::parse_from_str(text, "%H:%M").unwrap()
    }

    fn hours(zone: Tz, start: &str, end: &str) -> WorkingHours {
        WorkingHours {
            zone,
            start: Some(hm(start)),
            end: Some(hm(end)),
        }
    }

    #[test]
    fn empty_intervals_do_not_exist() {
        let t = at("2026-12-01T09:00:00Z");
        assert_eq!(Interval::new(t, t), None);
        assert_eq!(Interval::new(t + Duration::hours(1), t), None);
    }

    #[test]
    fn overlapping_touching_and_nested_intervals_merge() {
        let merged = merge(vec![
            span("2026-12-01T13:00:00Z", "2026-12-01T14:00:00Z"),
            span("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z"),
            span("2026-12-01T09:30:00Z", "2026-12-01T11:00:00Z"),
            span("2026-12-01T11:00:00Z", "2026-12-01T11:30:00Z"),
            span("2026-12-01T09:45:00Z", "2026-12-01T10:15:00Z"),
            span("2026-12-01T16:00:00Z", "2026-12-01T17:00:00Z"),
        ]);
        assert_eq!(
            merged,
            [
                span("2026-12-01T09:00:00Z", "2026-12-01T11:30:00Z"),
                span("2026-12-01T13:00:00Z", "2026-12-01T14:00:00Z"),
                span("2026-12-01T16:00:00Z", "2026-12-01T17:00:00Z"),
            ]
        );
        assert_eq!(merge(Vec::new()), []);
    }

    #[test]
    fn free_time_is_the_range_minus_the_busy_time() {
        let range = span("2026-12-01T08:00:00Z", "2026-12-01T18:00:00Z");
        let busy = merge(vec![
            span("2026-12-01T06:00:00Z", "2026-12-01T09:00:00Z"),
            span("2026-12-01T12:00:00Z", "2026-12-01T13:00:00Z"),
            span("2026-12-01T17:30:00Z", "2026-12-01T20:00:00Z"),
            span("2026-12-02T09:00:00Z", "2026-12-02T10:00:00Z"),
        ]);
        assert_eq!(
            free(range, &busy),
            [
                span("2026-12-01T09:00:00Z", "2026-12-01T12:00:00Z"),
                span("2026-12-01T13:00:00Z", "2026-12-01T17:30:00Z"),
            ]
        );
        assert_eq!(free(range, &[]), [range]);
        assert_eq!(
            free(
                range,
                &[span("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z")]
            ),
            []
        );
    }

    #[test]
    fn a_working_window_follows_the_clock_across_a_daylight_saving_change() {
        // New York springs forward on Sunday 8 March 2026: 09:00 is 14:00 UTC on Saturday and
        // 13:00 UTC from Sunday on.
        let zone: Tz = "America/New_York".parse().unwrap();
        let range = span("2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z");
        let slots = shared_free(range, [], &[hours(zone, "09:00", "17:00")], false);
        assert_eq!(
            slots,
            [
                span("2026-03-07T14:00:00Z", "2026-03-07T22:00:00Z"),
                span("2026-03-08T13:00:00Z", "2026-03-08T21:00:00Z"),
                span("2026-03-09T13:00:00Z", "2026-03-09T21:00:00Z"),
            ]
        );
        // And falls back on Sunday 1 November 2026.
        let range = span("2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z");
        let slots = shared_free(range, [], &[hours(zone, "09:00", "17:00")], false);
        assert_eq!(
            slots,
            [
                span("2026-10-31T13:00:00Z", "2026-10-31T21:00:00Z"),
                span("2026-11-01T14:00:00Z", "2026-11-01T22:00:00Z"),
                span("2026-11-02T14:00:00Z", "2026-11-02T22:00:00Z"),
            ]
        );
    }

    #[test]
    fn days_that_clocks_change_are_23_and_25_hours_long() {
        let zone: Tz = "Europe/Paris".parse().unwrap();
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let autumn = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        let length = |date: NaiveDate| {
            local(zone, date.succ_opt().unwrap(), NaiveTime::MIN)
                - local(zone, date, NaiveTime::MIN)
        };
        assert_eq!(length(spring), Duration::hours(23));
        assert_eq!(length(autumn), Duration::hours(25));
        // The evening after a window ending at 18:00 runs to the true local midnight.
        let range = span("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z");
        let closed = unavailable(range, &hours(zone, "08:00", "18:00"), false);
        assert_eq!(
            closed,
            [
                span("2026-03-28T23:00:00Z", "2026-03-29T06:00:00Z"),
                span("2026-03-29T16:00:00Z", "2026-03-29T22:00:00Z"),
            ]
        );
    }

    #[test]
    fn a_time_the_clock_skips_is_the_moment_it_jumps_and_a_repeated_one_the_first() {
        let zone: Tz = "America/New_York".parse().unwrap();
        let spring = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(local(zone, spring, hm("02:30")), at("2026-03-08T07:00:00Z"));
        assert_eq!(local(zone, spring, hm("03:00")), at("2026-03-08T07:00:00Z"));
        let autumn = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!(local(zone, autumn, hm("01:30")), at("2026-11-01T05:30:00Z"));
    }

    #[test]
    fn weekends_are_each_participants_own() {
        // Friday 4 December 2026 to Tuesday 8 December, UTC. Tokyo's Saturday starts at 15:00
        // UTC on Friday; Los Angeles's Monday starts at 08:00 UTC on Monday.
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let los_angeles: Tz = "America/Los_Angeles".parse().unwrap();
        let range = span("2026-12-04T00:00:00Z", "2026-12-08T00:00:00Z");
        let all_day = |zone| WorkingHours {
            zone,
            start: None,
            end: None,
        };
        assert_eq!(
            shared_free(range, [], &[all_day(tokyo)], true),
            [
                span("2026-12-04T00:00:00Z", "2026-12-04T15:00:00Z"),
                span("2026-12-06T15:00:00Z", "2026-12-08T00:00:00Z"),
            ]
        );
        assert_eq!(
            shared_free(range, [], &[all_day(tokyo), all_day(los_angeles)], true),
            [
                span("2026-12-04T00:00:00Z", "2026-12-04T15:00:00Z"),
                span("2026-12-07T08:00:00Z", "2026-12-08T00:00:00Z"),
            ]
        );
        // Without windows or weekends, nobody is ever unavailable.
        assert_eq!(unavailable(range, &all_day(tokyo), false), []);
    }

    #[test]
    fn ten_participants_in_their_zones_share_what_all_of_them_have() {
        let zones = [
            "Europe/London",
            "Europe/Paris",
            "Europe/Berlin",
            "Europe/Madrid",
            "Europe/Lisbon",
            "Africa/Lagos",
            "Europe/Dublin",
            "Europe/Rome",
            "Europe/Amsterdam",
            "America/New_York",
        ];
        let participants: Vec<WorkingHours> = zones
            .iter()
            .map(|zone| hours(zone.parse().unwrap(), "09:00", "18:00"))
            .collect();
        // Tuesday 1 December 2026: London/Lisbon/Dublin 09-18 UTC, CET 08-17 UTC, Lagos 08-17,
        // New York 14-23 UTC; shared 14:00-17:00 UTC, minus one person's meeting.
        let range = span("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z");
        let busy = [span("2026-12-01T15:00:00Z", "2026-12-01T15:30:00Z")];
        assert_eq!(
            shared_free(range, busy, &participants, false),
            [
                span("2026-12-01T14:00:00Z", "2026-12-01T15:00:00Z"),
                span("2026-12-01T15:30:00Z", "2026-12-01T17:00:00Z"),
            ]
        );
    }

    fn intervals() -> impl Strategy<Value = Vec<Interval>> {
        let base = at("2026-12-01T00:00:00Z");
        proptest::collection::vec((0i64..2000, 1i64..300), 0..12).prop_map(move |spans| {
            spans
                .into_iter()
                .filter_map(|(start, length)| {
                    Interval::new(
                        base + Duration::minutes(start),
                        base + Duration::minutes(start + length),
                    )
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn free_and_busy_time_partition_the_range(busy in intervals(), from in 0i64..1000, length in 1i64..1500) {
            let base = at("2026-12-01T00:00:00Z");
            let range = Interval::new(base + Duration::minutes(from), base + Duration::minutes(from + length)).unwrap();
            let merged = merge(busy.clone());
            for pair in merged.windows(2) {
                prop_assert!(pair[0].end < pair[1].start);
            }
            let slots = free(range, &merged);
            let mut covered = Duration::zero();
            for slot in &slots {
                prop_assert!(range.start <= slot.start && slot.end <= range.end);
                prop_assert!(busy.iter().all(|busy| busy.end <= slot.start || slot.end <= busy.start));
                covered += slot.end - slot.start;
            }
            for pair in slots.windows(2) {
                prop_assert!(pair[0].end < pair[1].start);
            }
            let busy_within: Duration = merged
                .iter()
                .filter_map(|busy| busy.within(range))
                .map(|busy| busy.end - busy.start)
                .sum();
            prop_assert_eq!(covered + busy_within, range.end - range.start);
        }
    }
}
