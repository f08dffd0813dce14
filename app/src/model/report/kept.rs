//! How the store keeps the cells (`super::cells`) so that any common report reads a few
//! hundred rows: each owner (the network, a program, a group) has its own cells, and a day
//! or response cell is kept twice, for its day and for its month. Which rows a report adds
//! up is decided here too (`month_rows`, `surely_by_month`): months where no day's detail
//! can change a figure, days everywhere else.

use super::cells::{Counts, DayCell, ProgramCell, ReportReferral, ResponseCell, group_code};
use super::figures::period_for;
use super::{Period, period_start};
use crate::model::calendar::Day;
use crate::model::{GroupId, ProgramId};
use std::collections::BTreeMap;

/// Whose cells: the whole network's, one program's (the referrals it received), or one
/// group's (the referrals its members made).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellOwner {
    Network,
    Program(ProgramId),
    Group(GroupId),
}

impl CellOwner {
    /// How the store writes it: 0, the program's id, the group's id negated (ids are
    /// positive, so no two owners share a key).
    pub fn key(self) -> i64 {
        match self {
            CellOwner::Network => 0,
            CellOwner::Program(p) => p.0,
            CellOwner::Group(g) => -g.0,
        }
    }

    /// Every owner whose day and response cells count this referral.
    pub fn of_days(r: &ReportReferral) -> Vec<CellOwner> {
        let mut owners = vec![CellOwner::Network, CellOwner::Program(r.program)];
        owners.extend(r.referrer_group.map(CellOwner::Group));
        owners
    }

    /// The owners whose program cells count it: those with top lists (the network, a group).
    pub fn of_programs(r: &ReportReferral) -> Vec<CellOwner> {
        let mut owners = vec![CellOwner::Network];
        owners.extend(r.referrer_group.map(CellOwner::Group));
        owners
    }
}

/// A kept day or response cell's key beside the cell's own: whose, and whether it counts
/// a whole month (its `day` is then the month's first day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kept {
    pub owner: i64,
    pub whole_month: bool,
}

/// The rows a change (or a recount) adds to the kept cells, each key once (one statement
/// may not touch a row twice): referrals counted in with `add`, out with `remove`.
#[derive(Default)]
pub struct KeptCells {
    days: BTreeMap<(Kept, Day, bool, &'static str), DayCell>,
    responses: BTreeMap<(Kept, Day, i64, u8), ResponseCell>,
    programs: BTreeMap<(i64, ProgramId, &'static str, Day), ProgramCell>,
}

impl KeptCells {
    pub fn add(&mut self, r: &ReportReferral) {
        self.count(r, 1);
    }

    /// After `remove(a)` and `add(b)`, the rows hold what changed from `a` to `b`.
    pub fn remove(&mut self, r: &ReportReferral) {
        self.count(r, -1);
    }

    fn count(&mut self, r: &ReportReferral, sign: i64) {
        let month = period_start(Period::Month, r.created_day);
        let mut day = r.day_cell();
        if sign < 0 {
            day.counts = day.counts.negated();
        }
        let response = r.response_cell().map(|mut c| {
            c.n *= sign;
            c
        });
        let mut program = r.program_cell();
        program.n *= sign;
        for owner in CellOwner::of_days(r) {
            for (whole_month, at) in [(false, r.created_day), (true, month)] {
                let kept = Kept {
                    owner: owner.key(),
                    whole_month,
                };
                let d = DayCell { day: at, ..day };
                self.days
                    .entry((kept, at, d.self_referral, d.status.as_str()))
                    .and_modify(|c| c.counts.add(d.counts))
                    .or_insert(d);
                if let Some(c) = response {
                    let c = ResponseCell { day: at, ..c };
                    self.responses
                        .entry((kept, at, group_code(c.group), c.step.0))
                        .and_modify(|x| x.n += c.n)
                        .or_insert(c);
                }
            }
        }
        for owner in CellOwner::of_programs(r) {
            self.programs
                .entry((owner.key(), program.program, program.status.as_str(), month))
                .and_modify(|x| x.n += program.n)
                .or_insert(program);
        }
    }

    /// The rows in key order, leaving out any that add up to nothing (they would change
    /// nothing in the store either).
    pub fn into_rows(self) -> KeptRows {
        KeptRows {
            days: self
                .days
                .into_iter()
                .filter(|(_, c)| c.counts != Counts::default())
                .map(|((kept, ..), c)| (kept, c))
                .collect(),
            responses: self
                .responses
                .into_iter()
                .filter(|(_, c)| c.n != 0)
                .map(|((kept, ..), c)| (kept, c))
                .collect(),
            programs: self
                .programs
                .into_iter()
                .filter(|(_, c)| c.n != 0)
                .map(|((owner, ..), c)| (owner, c))
                .collect(),
        }
    }
}

/// What `KeptCells` adds to the store: day and response rows by `Kept`, program rows
/// (by month) by owner key.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct KeptRows {
    pub days: Vec<(Kept, DayCell)>,
    pub responses: Vec<(Kept, ResponseCell)>,
    pub programs: Vec<(i64, ProgramCell)>,
}

/// The months of a report's days (`from..=to`, either end open) that it may add up from
/// month rows, as `first..end` (first days of months; `first` `None` when `from` is open):
/// the whole months of the range that end 30 days or more before `today`, where every
/// referral is old enough for every "still Not updated" figure. The range's other days
/// are read from day rows. `None`: no such month.
pub fn month_rows(from: Option<Day>, to: Option<Day>, today: Day) -> Option<(Option<Day>, Day)> {
    let (first, last) = super::cells::whole_months(from, to).months?;
    // The month holding the day 30 days ago, and every later one, are read by day.
    let recent = period_start(Period::Month, today - 30);
    let end = match last {
        Some(last) => recent.min(period_start(Period::Month, last + 31)),
        None => recent,
    };
    match first {
        Some(first) if first >= end => None,
        _ => Some((first, end)),
    }
}

/// Whether a report's referrals certainly span more than the four months that are charted
/// by week (`period_for`), knowing only the first and last months holding any (month rows)
/// and the range: only then may its made-per-period counts come from month rows.
pub fn surely_by_month(
    first_month: Day,
    last_month: Day,
    from: Option<Day>,
    to: Option<Day>,
) -> bool {
    // The earliest the last referral can be made, and the latest the first can.
    let last_at_least = from.map_or(last_month, |f| f.max(last_month));
    let first_month_end = period_start(Period::Month, first_month + 31) - 1;
    let first_at_most = to.map_or(first_month_end, |t| t.min(first_month_end));
    period_for(first_at_most, last_at_least) == Period::Month
}

#[cfg(test)]
#[path = "tests_kept.rs"]
mod tests;
