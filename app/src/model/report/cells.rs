//! The counts the Reports page adds up (`super::figures`). Each referral counts once in a
//! *day cell* (referrals made on the same local day, the same way, standing in the same
//! status now), once the program has answered in a *response cell* (its time to the first
//! answer, as a step), and in a *program cell* (made the same month, to the same program,
//! in the same status). Every figure is a sum of cells, so the store can keep the cells for
//! the whole network up to date in each change's transaction (1,000,000 referrals become a
//! few thousand rows) and compute the same cells with one `GROUP BY` for a narrower report.
//! `ReportReferral`'s methods are the definition both must agree with.

use crate::model::calendar::Day;
use crate::model::{GroupId, ProgramId, Status, StatusGroup};
use std::collections::BTreeMap;

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A time to first response is counted in steps: "answered within 15 minutes, 30 minutes,
/// 1 hour…". A median is the bound of the step that holds the middle answer, so the page
/// says "half were answered within 2 hours", true to the step. In minutes, ascending; a time
/// over the last (a year) is one more step.
pub const RESPONSE_STEPS_MINUTES: [i64; 27] = [
    15,
    30,
    60,
    2 * 60,
    3 * 60,
    4 * 60,
    6 * 60,
    8 * 60,
    12 * 60,
    16 * 60,
    24 * 60,
    36 * 60,
    2 * 1440,
    3 * 1440,
    4 * 1440,
    5 * 1440,
    6 * 1440,
    7 * 1440,
    10 * 1440,
    14 * 1440,
    21 * 1440,
    30 * 1440,
    45 * 1440,
    60 * 1440,
    90 * 1440,
    180 * 1440,
    365 * 1440,
];

/// One step of `RESPONSE_STEPS_MINUTES` (its index), or the one past the last.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ResponseStep(pub u8);

impl ResponseStep {
    /// The step of a time to answer: the first whose bound it does not pass.
    pub fn of(ms: i64) -> ResponseStep {
        let index = RESPONSE_STEPS_MINUTES
            .iter()
            .position(|&bound| ms <= bound * 60_000)
            .unwrap_or(RESPONSE_STEPS_MINUTES.len());
        ResponseStep(index as u8)
    }

    /// "Within" this many milliseconds; `None` for the step past a year.
    pub fn bound_ms(self) -> Option<i64> {
        RESPONSE_STEPS_MINUTES
            .get(usize::from(self.0))
            .map(|m| m * 60_000)
    }

    /// The one past the last bound (over a year).
    pub const OVER: ResponseStep = ResponseStep(RESPONSE_STEPS_MINUTES.len() as u8);
}

/// One referral, as far as the reports need to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportReferral {
    pub created_at: i64,
    /// The local day it was made (the deployment's time zone).
    pub created_day: Day,
    pub program: ProgramId,
    /// The group of the helper who made it, as it was then (`None` for a self-referral or
    /// a helper in no group).
    pub referrer_group: Option<GroupId>,
    /// Made by the seeker for themselves.
    pub self_referral: bool,
    /// Its status now.
    pub status: Status,
    /// The first status change made by the program (staff or its listed email).
    pub first_response_at: Option<i64>,
    /// The first time it left "Not updated", whoever moved it.
    pub left_not_updated_at: Option<i64>,
    /// When it became overdue under the response standard, if it has one.
    pub overdue_at: Option<i64>,
}

/// What a day cell adds up. Every field is a count of referrals, so cells add.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub n: i64,
    /// With a response standard (an overdue time).
    pub with_standard: i64,
    /// Answered by the program before it became overdue.
    pub within_standard: i64,
    /// Moved out of "Not updated" within 7 (30) days of being made.
    pub left_within_7: i64,
    pub left_within_30: i64,
}

impl Counts {
    pub fn add(&mut self, other: Counts) {
        self.n += other.n;
        self.with_standard += other.with_standard;
        self.within_standard += other.within_standard;
        self.left_within_7 += other.left_within_7;
        self.left_within_30 += other.left_within_30;
    }

    /// The same counts taken away (a referral leaving its cell).
    pub fn negated(self) -> Counts {
        Counts {
            n: -self.n,
            with_standard: -self.with_standard,
            within_standard: -self.within_standard,
            left_within_7: -self.left_within_7,
            left_within_30: -self.left_within_30,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayCell {
    pub day: Day,
    pub self_referral: bool,
    pub status: Status,
    pub counts: Counts,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseCell {
    pub day: Day,
    /// The referral's status group now: the page may be narrowed to one.
    pub group: StatusGroup,
    pub step: ResponseStep,
    pub n: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramCell {
    /// The first day of the month it was made.
    pub month: Day,
    pub program: ProgramId,
    pub status: Status,
    pub n: i64,
}

impl ReportReferral {
    pub fn day_cell(&self) -> DayCell {
        let left_within = |days: i64| {
            self.left_not_updated_at
                .is_some_and(|left| left <= self.created_at + days * DAY_MS) as i64
        };
        DayCell {
            day: self.created_day,
            self_referral: self.self_referral,
            status: self.status,
            counts: Counts {
                n: 1,
                with_standard: self.overdue_at.is_some() as i64,
                within_standard: match (self.first_response_at, self.overdue_at) {
                    (Some(answered), Some(overdue)) => (answered < overdue) as i64,
                    _ => 0,
                },
                left_within_7: left_within(7),
                left_within_30: left_within(30),
            },
        }
    }

    /// Its time to the program's first answer, once there is one.
    pub fn response_cell(&self) -> Option<ResponseCell> {
        self.first_response_at.map(|at| ResponseCell {
            day: self.created_day,
            group: self.status.group(),
            step: ResponseStep::of(at - self.created_at),
            n: 1,
        })
    }

    pub fn program_cell(&self) -> ProgramCell {
        ProgramCell {
            month: super::period_start(super::Period::Month, self.created_day),
            program: self.program,
            status: self.status,
            n: 1,
        }
    }
}

/// Cells being added up, each key once (what the store's `GROUP BY` answers): referrals
/// counted in with `add`, or whole cells with `add_*` (the store's rebuild and its tests).
#[derive(Default)]
pub struct CellSums {
    days: BTreeMap<(Day, bool, &'static str), DayCell>,
    responses: BTreeMap<(Day, u8, ResponseStep), ResponseCell>,
    programs: BTreeMap<(Day, ProgramId, &'static str), ProgramCell>,
}

impl CellSums {
    pub fn add(&mut self, r: &ReportReferral) {
        self.add_day(r.day_cell());
        if let Some(c) = r.response_cell() {
            self.add_response(c);
        }
        self.add_program(r.program_cell());
    }

    /// Takes a referral out again: after `remove(a)` and `add(b)`, the cells hold what
    /// changed from `a` to `b` (and nothing where it did not).
    pub fn remove(&mut self, r: &ReportReferral) {
        let mut d = r.day_cell();
        d.counts = d.counts.negated();
        self.add_day(d);
        if let Some(mut c) = r.response_cell() {
            c.n = -c.n;
            self.add_response(c);
        }
        let mut p = r.program_cell();
        p.n = -p.n;
        self.add_program(p);
    }

    pub fn add_day(&mut self, d: DayCell) {
        self.days
            .entry((d.day, d.self_referral, d.status.as_str()))
            .and_modify(|c| c.counts.add(d.counts))
            .or_insert(d);
    }

    pub fn add_response(&mut self, c: ResponseCell) {
        self.responses
            .entry((c.day, group_code(c.group) as u8, c.step))
            .and_modify(|x| x.n += c.n)
            .or_insert(c);
    }

    pub fn add_program(&mut self, p: ProgramCell) {
        self.programs
            .entry((p.month, p.program, p.status.as_str()))
            .and_modify(|x| x.n += p.n)
            .or_insert(p);
    }

    /// The cells in key order, leaving out any that add up to nothing (a cell of nothing
    /// changes nothing in the store either).
    pub fn into_cells(self) -> (Vec<DayCell>, Vec<ResponseCell>, Vec<ProgramCell>) {
        (
            self.days
                .into_values()
                .filter(|c| c.counts != Counts::default())
                .collect(),
            self.responses.into_values().filter(|c| c.n != 0).collect(),
            self.programs.into_values().filter(|c| c.n != 0).collect(),
        )
    }
}

/// The cells of these referrals.
pub fn cells_of(rows: &[ReportReferral]) -> (Vec<DayCell>, Vec<ResponseCell>, Vec<ProgramCell>) {
    let mut sums = CellSums::default();
    for r in rows {
        sums.add(r);
    }
    sums.into_cells()
}

/// The small number a status group is stored as in response cells.
pub fn group_code(group: StatusGroup) -> i64 {
    match group {
        StatusGroup::InProgress => 0,
        StatusGroup::GotHelp => 1,
        StatusGroup::NeedsFurtherAction => 2,
    }
}

pub fn group_of_code(code: i64) -> Option<StatusGroup> {
    [
        StatusGroup::InProgress,
        StatusGroup::GotHelp,
        StatusGroup::NeedsFurtherAction,
    ]
    .into_iter()
    .find(|g| group_code(*g) == code)
}

/// A range of days split for the kept month cells: the whole months it covers (first and
/// last month's first day; `None` at an open end), and the days before and after them it
/// also covers, each as an inclusive range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthSplit {
    pub months: Option<(Option<Day>, Option<Day>)>,
    pub edges: Vec<(Day, Day)>,
}

/// Splits the days `from..=to` (either end open) into whole months and the days beside them.
pub fn whole_months(from: Option<Day>, to: Option<Day>) -> MonthSplit {
    use super::{Period, period_start};
    let month = |d: Day| period_start(Period::Month, d);
    let next_month = |d: Day| month(month(d) + 31);
    // The first whole month starts on `from`, or at the month after it.
    let first = from.map(|f| if month(f) == f { f } else { next_month(f) });
    // The last whole month ends on `to`, or is the month before `to`'s.
    let last = to.map(|t| {
        if next_month(t) == t + 1 {
            month(t)
        } else {
            month(month(t) - 1)
        }
    });
    if let (Some(f), Some(l), Some(from), Some(to)) = (first, last, from, to)
        && f > l
    {
        return MonthSplit {
            months: None,
            edges: if from <= to { vec![(from, to)] } else { vec![] },
        };
    }
    let mut edges = Vec::new();
    if let (Some(from), Some(first)) = (from, first)
        && from < first
    {
        edges.push((from, first - 1));
    }
    if let (Some(to), Some(last)) = (to, last)
        && next_month(last) <= to
    {
        edges.push((next_month(last), to));
    }
    MonthSplit {
        months: Some((first, last)),
        edges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_to_answer_falls_in_the_first_step_it_does_not_pass() {
        assert_eq!(ResponseStep::of(0), ResponseStep(0));
        assert_eq!(
            ResponseStep::of(15 * 60_000),
            ResponseStep(0),
            "on the bound"
        );
        assert_eq!(ResponseStep::of(15 * 60_000 + 1), ResponseStep(1));
        assert_eq!(
            ResponseStep::of(2 * 3_600_000).bound_ms(),
            Some(2 * 3_600_000)
        );
        assert_eq!(
            ResponseStep::of(4 * DAY_MS).bound_ms(),
            Some(4 * DAY_MS),
            "four days is a step"
        );
        assert_eq!(ResponseStep::of(366 * DAY_MS), ResponseStep::OVER);
        assert_eq!(ResponseStep::OVER.bound_ms(), None);
        assert!(
            RESPONSE_STEPS_MINUTES.windows(2).all(|w| w[0] < w[1]),
            "ascending"
        );
    }

    fn referral(day: Day, status: Status) -> ReportReferral {
        ReportReferral {
            created_at: day * DAY_MS + 9 * 3_600_000,
            created_day: day,
            program: ProgramId(1),
            referrer_group: None,
            self_referral: false,
            status,
            first_response_at: None,
            left_not_updated_at: None,
            overdue_at: Some(day * DAY_MS + 3 * DAY_MS),
        }
    }

    #[test]
    fn a_referral_counts_what_it_has_done() {
        let r = ReportReferral {
            first_response_at: Some(10 * DAY_MS + 9 * 3_600_000 + 3_600_000),
            left_not_updated_at: Some(10 * DAY_MS + 9 * 3_600_000 + 3_600_000),
            ..referral(10, Status::GotHelp)
        };
        let c = r.day_cell();
        assert_eq!(
            c.counts,
            Counts {
                n: 1,
                with_standard: 1,
                within_standard: 1,
                left_within_7: 1,
                left_within_30: 1
            }
        );
        let late = ReportReferral {
            first_response_at: Some(10 * DAY_MS + 9 * 3_600_000 + 8 * DAY_MS),
            left_not_updated_at: Some(10 * DAY_MS + 9 * 3_600_000 + 8 * DAY_MS),
            ..referral(10, Status::Pending)
        };
        assert_eq!(
            late.day_cell().counts,
            Counts {
                n: 1,
                with_standard: 1,
                within_standard: 0,
                left_within_7: 0,
                left_within_30: 1
            }
        );
        // Exactly seven days still counts as within seven days.
        let edge = ReportReferral {
            left_not_updated_at: Some(10 * DAY_MS + 9 * 3_600_000 + 7 * DAY_MS),
            ..referral(10, Status::Pending)
        };
        assert_eq!(edge.day_cell().counts.left_within_7, 1);
        let unanswered = referral(10, Status::NotUpdated);
        assert_eq!(unanswered.response_cell(), None);
        assert_eq!(unanswered.day_cell().counts.within_standard, 0);
        let no_standard = ReportReferral {
            overdue_at: None,
            first_response_at: Some(11 * DAY_MS),
            ..referral(10, Status::Eligible)
        };
        assert_eq!(no_standard.day_cell().counts.with_standard, 0);
        assert_eq!(no_standard.day_cell().counts.within_standard, 0);
        let mut sum = c.counts;
        sum.add(c.counts.negated());
        assert_eq!(sum, Counts::default(), "taking a referral out undoes it");
    }

    #[test]
    fn cells_add_up_the_referrals_sharing_a_key() {
        let day = crate::model::calendar::parse_day("2026-12-09").unwrap();
        let answered = |h: i64| ReportReferral {
            first_response_at: Some(day * DAY_MS + 9 * 3_600_000 + h * 3_600_000),
            ..referral(day, Status::Eligible)
        };
        let rows = [
            answered(1),
            answered(1),
            referral(day, Status::Eligible),
            ReportReferral {
                self_referral: true,
                ..referral(day, Status::Eligible)
            },
            ReportReferral {
                program: ProgramId(2),
                ..referral(day + 1, Status::GotHelp)
            },
        ];
        let (days, responses, programs) = cells_of(&rows);
        assert_eq!(days.len(), 3, "{days:?}");
        assert_eq!(days[0].counts.n, 3, "three helper referrals that day");
        assert_eq!(days[0].counts.within_standard, 2);
        assert_eq!(responses.len(), 1);
        assert_eq!(
            (responses[0].n, responses[0].step),
            (2, ResponseStep::of(3_600_000))
        );
        let first_of_month = crate::model::calendar::parse_day("2026-12-01").unwrap();
        assert_eq!(
            programs
                .iter()
                .map(|p| (p.month, p.program.0, p.n))
                .collect::<Vec<_>>(),
            vec![(first_of_month, 1, 4), (first_of_month, 2, 1)]
        );
    }

    #[test]
    fn a_range_splits_into_whole_months_and_the_days_beside_them() {
        let d = |s: &str| crate::model::calendar::parse_day(s).unwrap();
        assert_eq!(
            whole_months(None, None),
            MonthSplit {
                months: Some((None, None)),
                edges: vec![]
            }
        );
        assert_eq!(
            whole_months(Some(d("2026-01-01")), Some(d("2026-03-31"))),
            MonthSplit {
                months: Some((Some(d("2026-01-01")), Some(d("2026-03-01")))),
                edges: vec![]
            },
            "a quarter"
        );
        assert_eq!(
            whole_months(Some(d("2026-01-15")), Some(d("2026-04-10"))),
            MonthSplit {
                months: Some((Some(d("2026-02-01")), Some(d("2026-03-01")))),
                edges: vec![
                    (d("2026-01-15"), d("2026-01-31")),
                    (d("2026-04-01"), d("2026-04-10"))
                ]
            }
        );
        assert_eq!(
            whole_months(Some(d("2026-02-03")), Some(d("2026-02-20"))),
            MonthSplit {
                months: None,
                edges: vec![(d("2026-02-03"), d("2026-02-20"))]
            },
            "inside one month"
        );
        assert_eq!(
            whole_months(Some(d("2026-01-20")), Some(d("2026-02-10"))),
            MonthSplit {
                months: None,
                edges: vec![(d("2026-01-20"), d("2026-02-10"))]
            },
            "across two, covering neither"
        );
        assert_eq!(
            whole_months(None, Some(d("2024-02-28"))),
            MonthSplit {
                months: Some((None, Some(d("2024-01-01")))),
                edges: vec![(d("2024-02-01"), d("2024-02-28"))]
            },
            "a leap year's February has 29 days"
        );
        assert_eq!(
            whole_months(Some(d("2026-12-02")), None),
            MonthSplit {
                months: Some((Some(d("2027-01-01")), None)),
                edges: vec![(d("2026-12-02"), d("2026-12-31"))]
            }
        );
        assert_eq!(
            whole_months(Some(d("2026-03-10")), Some(d("2026-03-01"))).edges,
            vec![],
            "backwards: nothing"
        );
        // Every day of a year is covered exactly once, whatever the range.
        let (start, end) = (d("2026-01-01"), d("2026-12-31"));
        for (from, to) in [
            (start + 17, end - 40),
            (start + 31, end),
            (start + 59, start + 90),
        ] {
            let split = whole_months(Some(from), Some(to));
            let mut covered = 0;
            for (a, b) in &split.edges {
                covered += b - a + 1;
            }
            if let Some((Some(f), Some(l))) = split.months {
                let mut m = f;
                while m <= l {
                    let next = super::super::period_start(super::super::Period::Month, m + 31);
                    covered += next - m;
                    m = next;
                }
            }
            assert_eq!(covered, to - from + 1, "{from}..{to}");
        }
    }

    #[test]
    fn a_change_moves_only_the_cells_it_touches() {
        let before = referral(10, Status::NotUpdated);
        let after = ReportReferral {
            status: Status::Pending,
            first_response_at: Some(10 * DAY_MS + 10 * 3_600_000),
            left_not_updated_at: Some(10 * DAY_MS + 10 * 3_600_000),
            ..before
        };
        let mut sums = CellSums::default();
        sums.remove(&before);
        sums.add(&after);
        let (days, responses, programs) = sums.into_cells();
        // Out of Not updated, into Pending with its counts; a first answer; the program's
        // cell moves from one status to the other.
        assert_eq!(
            days.iter()
                .map(|d| (d.status, d.counts.n, d.counts.within_standard))
                .collect::<Vec<_>>(),
            vec![(Status::NotUpdated, -1, 0), (Status::Pending, 1, 1)]
        );
        assert_eq!(responses.len(), 1);
        assert_eq!(responses[0].n, 1);
        assert_eq!(
            programs.iter().map(|p| (p.status, p.n)).collect::<Vec<_>>(),
            vec![(Status::NotUpdated, -1), (Status::Pending, 1)]
        );
        // Nothing that counts changed: nothing to write.
        let mut sums = CellSums::default();
        sums.remove(&after);
        sums.add(&after);
        assert_eq!(sums.into_cells(), (vec![], vec![], vec![]));
    }
}
