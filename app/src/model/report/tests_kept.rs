//! The kept cells against the cells of the same referrals (`cells_of`), and the rows a
//! report reads (`month_rows`, `surely_by_month`) against figures counted day by day.

use super::*;
use crate::model::Status;
use crate::model::calendar::parse_day;
use crate::model::report::cells::{DAY_MS, cells_of};
use crate::model::report::figures::{figures, sums_of_cells};

const HOUR: i64 = 3_600_000;

fn day(s: &str) -> Day {
    parse_day(s).unwrap()
}

/// A fixed spread of referrals: 2 programs, a group for some, every status, answered or not.
fn referrals(first: Day, days: i64) -> Vec<ReportReferral> {
    let statuses = Status::ALL;
    (0..days * 3)
        .map(|i| {
            let d = first + i / 3;
            let created_at = d * DAY_MS + (i % 7) * HOUR;
            let answered = (i % 4 != 0).then_some(created_at + (i % 50) * HOUR);
            ReportReferral {
                created_at,
                created_day: d,
                program: ProgramId(1 + i % 2),
                referrer_group: (i % 3 != 0).then_some(GroupId(1 + i % 2)),
                self_referral: i % 5 == 0,
                status: statuses[(i as usize * 7) % statuses.len()],
                first_response_at: answered,
                left_not_updated_at: answered.filter(|_| i % 6 != 1),
                overdue_at: (i % 2 == 0).then_some(created_at + 3 * DAY_MS),
            }
        })
        .collect()
}

#[test]
fn owners_never_share_a_key() {
    assert_eq!(CellOwner::Network.key(), 0);
    assert_eq!(CellOwner::Program(ProgramId(3)).key(), 3);
    assert_eq!(CellOwner::Group(GroupId(3)).key(), -3);
}

#[test]
fn a_referral_counts_for_the_network_its_program_and_its_group_by_day_and_month() {
    let r = referrals(day("2026-03-14"), 1)[1];
    assert!(r.referrer_group.is_some() && r.first_response_at.is_some());
    let mut kept = KeptCells::default();
    kept.add(&r);
    let rows = kept.into_rows();
    assert_eq!(rows.days.len(), 6, "3 owners, by day and by month");
    assert_eq!(rows.responses.len(), 6);
    assert_eq!(
        rows.programs.len(),
        2,
        "the network's and the group's top lists"
    );
    for (kept, cell) in &rows.days {
        let expected = if kept.whole_month {
            day("2026-03-01")
        } else {
            day("2026-03-14")
        };
        assert_eq!(cell.day, expected);
        assert_eq!(cell.counts, r.day_cell().counts);
    }
    let owners: Vec<i64> = rows.days.iter().map(|(k, _)| k.owner).collect();
    assert!(owners.contains(&0) && owners.contains(&r.program.0));
    assert!(owners.contains(&-r.referrer_group.unwrap().0));
}

#[test]
fn a_change_writes_only_what_changed_and_a_move_inside_a_month_leaves_the_month_alone() {
    let before = referrals(day("2026-03-14"), 1)[1];
    let after = ReportReferral {
        status: Status::GotHelp,
        ..before
    };
    assert_ne!(before.status, after.status);
    let mut kept = KeptCells::default();
    kept.remove(&before);
    kept.add(&after);
    let rows = kept.into_rows();
    assert_eq!(
        rows.days.len(),
        12,
        "out of one status, into another, 6 rows each"
    );
    assert_eq!(rows.days.iter().map(|(_, c)| c.counts.n).sum::<i64>(), 0);

    // Made a week earlier, the same month: only the day rows move.
    let earlier = ReportReferral {
        created_day: before.created_day - 7,
        created_at: before.created_at - 7 * DAY_MS,
        first_response_at: before.first_response_at.map(|a| a - 7 * DAY_MS),
        left_not_updated_at: before.left_not_updated_at.map(|a| a - 7 * DAY_MS),
        overdue_at: before.overdue_at.map(|a| a - 7 * DAY_MS),
        ..before
    };
    let mut kept = KeptCells::default();
    kept.remove(&before);
    kept.add(&earlier);
    let rows = kept.into_rows();
    assert!(rows.days.iter().all(|(k, _)| !k.whole_month));
    assert_eq!(rows.days.len(), 6);
    assert!(rows.programs.is_empty(), "same month, same status");
    // Nothing changed at all: nothing written.
    let mut kept = KeptCells::default();
    kept.remove(&before);
    kept.add(&before);
    assert_eq!(kept.into_rows(), KeptRows::default());
}

#[test]
fn each_owners_rows_are_the_cells_of_its_referrals() {
    let all = referrals(day("2025-11-20"), 100);
    let mut kept = KeptCells::default();
    for r in &all {
        kept.add(r);
    }
    let rows = kept.into_rows();
    let owners = [
        CellOwner::Network,
        CellOwner::Program(ProgramId(1)),
        CellOwner::Program(ProgramId(2)),
        CellOwner::Group(GroupId(1)),
        CellOwner::Group(GroupId(2)),
    ];
    for owner in owners {
        let theirs: Vec<ReportReferral> = all
            .iter()
            .filter(|r| CellOwner::of_days(r).contains(&owner))
            .copied()
            .collect();
        let (days, responses, programs) = cells_of(&theirs);
        let kept_days: Vec<DayCell> = rows
            .days
            .iter()
            .filter(|(k, _)| k.owner == owner.key() && !k.whole_month)
            .map(|(_, c)| *c)
            .collect();
        assert_eq!(kept_days, days, "{owner:?} by day");
        let kept_responses: Vec<ResponseCell> = rows
            .responses
            .iter()
            .filter(|(k, _)| k.owner == owner.key() && !k.whole_month)
            .map(|(_, c)| *c)
            .collect();
        assert_eq!(kept_responses, responses, "{owner:?} answers by day");
        // A month row is its days added up.
        let months: i64 = rows
            .days
            .iter()
            .filter(|(k, _)| k.owner == owner.key() && k.whole_month)
            .map(|(_, c)| c.counts.n)
            .sum();
        assert_eq!(months, theirs.len() as i64);
        let program_rows: Vec<ProgramCell> = rows
            .programs
            .iter()
            .filter(|(o, _)| *o == owner.key())
            .map(|(_, c)| *c)
            .collect();
        if matches!(owner, CellOwner::Program(_)) {
            assert!(program_rows.is_empty(), "a program has no top lists");
        } else {
            let mut program_rows = program_rows;
            let mut programs = programs;
            program_rows.sort_by_key(|c| (c.month, c.program, c.status.as_str()));
            programs.sort_by_key(|c| (c.month, c.program, c.status.as_str()));
            assert_eq!(program_rows, programs, "{owner:?} top lists");
        }
    }
}

#[test]
fn the_recent_month_and_partial_months_are_read_by_day() {
    let today = day("2026-06-15");
    // Open range: every month before May (which holds 30 days ago, May 16).
    assert_eq!(
        month_rows(None, None, today),
        Some((None, day("2026-05-01")))
    );
    // Today at the month's end: 30 days ago is still this month.
    assert_eq!(
        month_rows(None, None, day("2026-07-31")),
        Some((None, day("2026-07-01")))
    );
    // A quarter long ago.
    assert_eq!(
        month_rows(Some(day("2025-01-01")), Some(day("2025-03-31")), today),
        Some((Some(day("2025-01-01")), day("2025-04-01")))
    );
    // Partial months at both ends.
    assert_eq!(
        month_rows(Some(day("2025-01-10")), Some(day("2025-04-20")), today),
        Some((Some(day("2025-02-01")), day("2025-04-01")))
    );
    // Nothing whole, or nothing old enough.
    assert_eq!(
        month_rows(Some(day("2025-01-10")), Some(day("2025-02-20")), today),
        None
    );
    assert_eq!(month_rows(Some(day("2026-05-01")), None, today), None);
    assert_eq!(
        month_rows(Some(day("2026-04-01")), None, today),
        Some((Some(day("2026-04-01")), day("2026-05-01")))
    );
}

#[test]
fn months_are_read_only_when_the_chart_is_surely_by_month() {
    let (jan, may, jun) = (day("2025-01-01"), day("2025-05-01"), day("2025-06-01"));
    // The first referral is made by Jan 31 at the latest, the last on the last month's
    // first day at the earliest.
    assert!(
        !surely_by_month(jan, may, None, None),
        "Jan 31 to May 1: 90 days"
    );
    assert!(
        surely_by_month(jan, jun, None, None),
        "Jan 31 to Jun 1: 121 days"
    );
    assert!(surely_by_month(
        jan,
        jun,
        Some(day("2025-01-25")),
        Some(day("2025-06-03"))
    ));
    // The range's ends bound them too.
    assert!(
        !surely_by_month(jan, jan, Some(day("2025-01-02")), Some(day("2025-01-30"))),
        "inside January"
    );
    assert!(
        !surely_by_month(may, may, Some(day("2025-05-20")), None),
        "one month"
    );
    assert!(!surely_by_month(jun, jan, None, None), "no span");
}

/// The rows a report reads, as the store selects them: month rows for `month_rows`' months
/// when `surely_by_month`, day rows for every other day of the range.
fn read_as_the_store_does(
    rows: &KeptRows,
    from: Option<Day>,
    to: Option<Day>,
    today: Day,
) -> (Vec<DayCell>, Vec<ResponseCell>) {
    let in_range = |d: Day| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t);
    let network = |k: &Kept| k.owner == CellOwner::Network.key();
    let months = month_rows(from, to, today).filter(|_| {
        let month_days: Vec<Day> = rows
            .days
            .iter()
            .filter(|(k, c)| network(k) && k.whole_month && c.counts.n != 0)
            .map(|(_, c)| c.day)
            .filter(|m| from.is_none_or(|f| *m >= period_start(Period::Month, f)))
            .filter(|m| to.is_none_or(|t| *m <= t))
            .collect();
        match (month_days.iter().min(), month_days.iter().max()) {
            (Some(first), Some(last)) => surely_by_month(*first, *last, from, to),
            _ => false,
        }
    });
    let by_month =
        |d: Day| months.is_some_and(|(first, end)| first.is_none_or(|f| d >= f) && d < end);
    let read = |k: &Kept, d: Day| {
        network(k)
            && if k.whole_month {
                by_month(d)
            } else {
                in_range(d) && !by_month(d)
            }
    };
    (
        rows.days
            .iter()
            .filter(|(k, c)| read(k, c.day))
            .map(|(_, c)| *c)
            .collect(),
        rows.responses
            .iter()
            .filter(|(k, c)| read(k, c.day))
            .map(|(_, c)| *c)
            .collect(),
    )
}

#[test]
fn figures_from_month_rows_are_the_figures_counted_by_day() {
    let first = day("2025-01-20");
    let all = referrals(first, 400);
    let mut kept = KeptCells::default();
    for r in &all {
        kept.add(r);
    }
    let rows = kept.into_rows();
    let mut by_month = 0;
    let ends = [
        None,
        Some(first + 10),
        Some(first + 45),
        Some(first + 130),
        Some(first + 200),
    ];
    for today in [first + 150, first + 399, first + 420] {
        for from in ends {
            for to in ends.iter().map(|t| t.map(|t| t + 100)).chain([None]) {
                let (days, responses) = read_as_the_store_does(&rows, from, to, today);
                let theirs: Vec<ReportReferral> = all
                    .iter()
                    .filter(|r| from.is_none_or(|f| r.created_day >= f))
                    .filter(|r| to.is_none_or(|t| r.created_day <= t))
                    .copied()
                    .collect();
                let (d, rs, _) = cells_of(&theirs);
                let expected = figures(&sums_of_cells(&d, &rs, &[], today));
                let kept_figures = figures(&sums_of_cells(&days, &responses, &[], today));
                assert_eq!(kept_figures, expected, "{from:?}..{to:?} on {today}");
                by_month += usize::from(days.len() < d.len() / 2 && !d.is_empty());
            }
        }
    }
    assert!(by_month > 10, "month rows were read ({by_month} cases)");
}
