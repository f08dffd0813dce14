//! Every figure of the Reports page, from the cells of `super::cells` summed as each figure
//! needs them (`ReportSums`), each with the definition the page prints beside it (`i18n`:
//! `report_*_def`).

use super::cells::{Counts, DayCell, ProgramCell, ResponseCell, ResponseStep};
use crate::model::calendar::Day;
use crate::model::{ProgramId, Status, StatusGroup};
use serde::{Deserialize, Serialize};

/// A share: `part` of `whole`, kept as counts so a page and a CSV print the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub part: u64,
    pub whole: u64,
}

impl Share {
    /// Percent with one decimal, or `None` of nothing.
    pub fn percent(self) -> Option<f64> {
        (self.whole > 0).then(|| (self.part as f64 * 1000.0 / self.whole as f64).round() / 10.0)
    }
}

fn share(part: i64, whole: i64) -> Option<Share> {
    Some(Share {
        part: part.max(0) as u64,
        whole: whole.max(0) as u64,
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub referrals: u64,
    pub self_referrals: u64,
    pub helper_referrals: u64,
    /// How many are in each status now, in `Status::ALL` order.
    pub by_status: Vec<(Status, u64)>,
    pub by_group: Vec<(StatusGroup, u64)>,
    /// With a final status now (Got help or any Needs further action status), of all.
    pub closed: Option<Share>,
    /// Got help, of those closed.
    pub got_help_of_closed: Option<Share>,
    /// The step within which half (90 %) of the program's first answers came (nearest rank).
    pub response_median: Option<ResponseStep>,
    pub response_p90: Option<ResponseStep>,
    /// Answered by the program before it became overdue, of those with a standard.
    pub answered_within_standard: Option<Share>,
    /// Still "Not updated" 7 (30) days after it was made, of those made at least 7 (30)
    /// days before today.
    pub not_updated_after_7_days: Option<Share>,
    pub not_updated_after_30_days: Option<Share>,
    /// Referrals made per week or month, oldest first.
    pub over_time: Vec<PeriodCount>,
    pub period: Option<Period>,
    /// The programs and categories that received the most referrals, and those that closed
    /// the most of theirs (network and group reports only; `top`).
    #[serde(default)]
    pub top: Option<TopLists>,
}

/// How referrals made over time are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    /// Weeks from Monday.
    Week,
    Month,
}

/// Referrals made in one week or month (its first local day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodCount {
    pub first_day: Day,
    pub self_referrals: u64,
    pub helper_referrals: u64,
}

/// Weeks for up to four months of referrals, months beyond.
pub fn period_for(first_day: Day, last_day: Day) -> Period {
    if last_day - first_day <= 120 {
        Period::Week
    } else {
        Period::Month
    }
}

/// The first day of the week (Monday) or month holding `day`.
pub fn period_start(period: Period, day: Day) -> Day {
    match period {
        Period::Week => day - crate::model::calendar::weekday(day),
        Period::Month => {
            let (y, m, _) = crate::model::time::civil_from_day(day);
            crate::model::time::days_from_civil_date(y, m, 1)
        }
    }
}

/// How long before today a referral was made, as far as the "still Not updated after 7
/// (30) days" figures ask: they count only referrals at least that old.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Age {
    /// Made less than 7 days before today.
    Recent,
    /// 7 to 29 days before.
    Week,
    /// 30 or more.
    Month,
}

impl Age {
    pub fn of(day: Day, today: Day) -> Age {
        if day + 30 <= today {
            Age::Month
        } else if day + 7 <= today {
            Age::Week
        } else {
            Age::Recent
        }
    }

    /// How the store writes it (`CASE` in `server::store::reports`).
    pub fn code(self) -> i64 {
        self as i64
    }

    pub fn of_code(code: i64) -> Option<Age> {
        [Age::Recent, Age::Week, Age::Month]
            .into_iter()
            .find(|a| a.code() == code)
    }
}

/// Referrals in one status now, made one way, of one age, with their counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandingCount {
    pub status: Status,
    pub self_referral: bool,
    pub age: Age,
    pub counts: Counts,
}

/// Referrals made on one local day, one way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MadeCount {
    pub day: Day,
    pub self_referral: bool,
    pub n: i64,
}

/// What the figures are computed from: the cells of a report summed as each figure needs
/// them (the store's `GROUP BY`s answer these, a few hundred rows whatever the size).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportSums {
    pub standing: Vec<StandingCount>,
    pub made: Vec<MadeCount>,
    /// The program's first answers by step of their time.
    pub steps: Vec<(ResponseStep, i64)>,
    /// By program and status (`month` 0): the top lists; empty where there are none.
    pub programs: Vec<ProgramCell>,
}

/// The sums of these cells as of `today`: what the store's queries answer, in Rust.
pub fn sums_of_cells(
    days: &[DayCell],
    responses: &[ResponseCell],
    programs: &[ProgramCell],
    today: Day,
) -> ReportSums {
    use std::collections::BTreeMap;
    let mut standing: BTreeMap<(&str, bool, Age), StandingCount> = BTreeMap::new();
    let mut made: BTreeMap<(Day, bool), i64> = BTreeMap::new();
    for c in days {
        let age = Age::of(c.day, today);
        standing
            .entry((c.status.as_str(), c.self_referral, age))
            .or_insert(StandingCount {
                status: c.status,
                self_referral: c.self_referral,
                age,
                counts: Counts::default(),
            })
            .counts
            .add(c.counts);
        *made.entry((c.day, c.self_referral)).or_default() += c.counts.n;
    }
    let mut steps: BTreeMap<ResponseStep, i64> = BTreeMap::new();
    for r in responses {
        *steps.entry(r.step).or_default() += r.n;
    }
    let mut by_program: BTreeMap<(ProgramId, &str), ProgramCell> = BTreeMap::new();
    for p in programs {
        by_program
            .entry((p.program, p.status.as_str()))
            .or_insert(ProgramCell {
                month: 0,
                n: 0,
                ..*p
            })
            .n += p.n;
    }
    ReportSums {
        standing: standing.into_values().collect(),
        made: made
            .into_iter()
            .map(|((day, self_referral), n)| MadeCount {
                day,
                self_referral,
                n,
            })
            .collect(),
        steps: steps.into_iter().collect(),
        programs: by_program.into_values().collect(),
    }
}

/// Referrals made per week or month, self and helper apart, oldest first, with the empty
/// periods between kept (a chart must not hide a quiet month).
pub fn made_per_period(made: &[MadeCount], period: Period) -> Vec<PeriodCount> {
    let mut counts: std::collections::BTreeMap<Day, (u64, u64)> = Default::default();
    for c in made.iter().filter(|c| c.n > 0) {
        let entry = counts.entry(period_start(period, c.day)).or_default();
        let n = c.n as u64;
        if c.self_referral {
            entry.0 += n;
        } else {
            entry.1 += n;
        }
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = first;
    while at <= last {
        let (s, h) = counts.get(&at).copied().unwrap_or_default();
        out.push(PeriodCount {
            first_day: at,
            self_referrals: s,
            helper_referrals: h,
        });
        // The next period's first day: a week on, or past the month's end.
        at = match period {
            Period::Week => at + 7,
            Period::Month => period_start(Period::Month, at + 31),
        };
    }
    out
}

/// The step holding the nearest-rank percentile `p` (0 < p ≤ 100) of these answers: the
/// smallest step within which at least `p` % of them came.
pub fn nearest_rank_step(counts: &[(ResponseStep, i64)], p: i64) -> Option<ResponseStep> {
    let total: i64 = counts.iter().map(|c| c.1).sum();
    if total <= 0 {
        return None;
    }
    let mut steps = counts.to_vec();
    steps.sort_unstable();
    let rank = (p * total).div_euclid(100) + i64::from((p * total).rem_euclid(100) != 0);
    let mut seen = 0;
    for (step, n) in steps {
        seen += n;
        if seen >= rank.max(1) {
            return Some(step);
        }
    }
    None
}

/// Every figure of these sums (the top lists are the caller's: they need names).
pub fn figures(sums: &ReportSums) -> Figures {
    let standing = &sums.standing;
    let sum = |f: &dyn Fn(&StandingCount) -> bool| -> i64 {
        standing.iter().filter(|c| f(c)).map(|c| c.counts.n).sum()
    };
    let counted =
        |f: &dyn Fn(&Counts) -> i64| -> i64 { standing.iter().map(|c| f(&c.counts)).sum() };
    let total = sum(&|_| true);
    let by_status = Status::ALL
        .into_iter()
        .map(|s| (s, sum(&|c| c.status == s).max(0) as u64))
        .collect();
    let by_group = [
        StatusGroup::InProgress,
        StatusGroup::GotHelp,
        StatusGroup::NeedsFurtherAction,
    ]
    .into_iter()
    .map(|g| (g, sum(&|c| c.status.group() == g).max(0) as u64))
    .collect();
    let closed = sum(&|c| c.status.group() != StatusGroup::InProgress);
    let got_help = sum(&|c| c.status == Status::GotHelp);
    let still_not_updated = |oldest: &[Age], left: &dyn Fn(&Counts) -> i64| {
        let old = standing.iter().filter(|c| oldest.contains(&c.age));
        let old_enough: i64 = old.clone().map(|c| c.counts.n).sum();
        let moved: i64 = old.map(|c| left(&c.counts)).sum();
        share(old_enough - moved, old_enough)
    };
    let made_days = sums.made.iter().filter(|c| c.n > 0).map(|c| c.day);
    let period = made_days
        .clone()
        .min()
        .zip(made_days.max())
        .map(|(f, l)| period_for(f, l));
    Figures {
        referrals: total.max(0) as u64,
        self_referrals: sum(&|c| c.self_referral).max(0) as u64,
        helper_referrals: sum(&|c| !c.self_referral).max(0) as u64,
        by_status,
        by_group,
        closed: share(closed, total),
        got_help_of_closed: share(got_help, closed),
        response_median: nearest_rank_step(&sums.steps, 50),
        response_p90: nearest_rank_step(&sums.steps, 90),
        answered_within_standard: share(
            counted(&|c| c.within_standard),
            counted(&|c| c.with_standard),
        ),
        not_updated_after_7_days: still_not_updated(&[Age::Week, Age::Month], &|c| c.left_within_7),
        not_updated_after_30_days: still_not_updated(&[Age::Month], &|c| c.left_within_30),
        over_time: period.map_or_else(Vec::new, |p| made_per_period(&sums.made, p)),
        period,
        top: None,
    }
}

/// One program's or category's line in the top lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopRow {
    pub name: String,
    /// The program's id, for a link to its own figures; none for a category.
    pub program: Option<ProgramId>,
    pub received: u64,
    /// With a final status now, of those received.
    pub closed: u64,
    pub got_help: u64,
}

impl TopRow {
    pub fn closure(&self) -> Share {
        Share {
            part: self.closed,
            whole: self.received,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopLists {
    pub programs_by_received: Vec<TopRow>,
    pub programs_by_closure: Vec<TopRow>,
    pub categories_by_received: Vec<TopRow>,
    pub categories_by_closure: Vec<TopRow>,
}

/// How many lines each top list holds.
pub const TOP_LINES: usize = 10;
/// A closure rate is ranked only over at least this many referrals: one referral closed
/// of one is not the network's best program.
pub const MIN_FOR_CLOSURE_RANK: u64 = 10;

/// What each program received in these cells, closed and got help, by program.
pub fn program_totals(cells: &[ProgramCell]) -> Vec<(ProgramId, u64, u64, u64)> {
    let mut totals: std::collections::BTreeMap<ProgramId, (u64, u64, u64)> = Default::default();
    for c in cells.iter().filter(|c| c.n > 0) {
        let t = totals.entry(c.program).or_default();
        let n = c.n as u64;
        t.0 += n;
        if c.status.group() != StatusGroup::InProgress {
            t.1 += n;
        }
        if c.status == Status::GotHelp {
            t.2 += n;
        }
    }
    totals
        .into_iter()
        .map(|(p, (r, c, g))| (p, r, c, g))
        .collect()
}

/// The four top lists, from every program's line (named) and each program's categories. A
/// referral counts in every category of the program it went to.
pub fn top_lists(programs: Vec<TopRow>, categories_of: &[(ProgramId, String)]) -> TopLists {
    let mut by_category: std::collections::BTreeMap<&str, TopRow> = Default::default();
    for (program, category) in categories_of {
        let Some(p) = programs.iter().find(|p| p.program == Some(*program)) else {
            continue;
        };
        let row = by_category.entry(category).or_insert_with(|| TopRow {
            name: category.clone(),
            program: None,
            received: 0,
            closed: 0,
            got_help: 0,
        });
        row.received += p.received;
        row.closed += p.closed;
        row.got_help += p.got_help;
    }
    let categories: Vec<TopRow> = by_category.into_values().collect();
    TopLists {
        programs_by_received: by_received(&programs),
        programs_by_closure: by_closure(&programs),
        categories_by_received: by_received(&categories),
        categories_by_closure: by_closure(&categories),
    }
}

/// Most received first; ties by name.
fn by_received(rows: &[TopRow]) -> Vec<TopRow> {
    let mut v = rows.to_vec();
    v.sort_by(|a, b| {
        b.received
            .cmp(&a.received)
            .then_with(|| a.name.cmp(&b.name))
    });
    v.truncate(TOP_LINES);
    v
}

/// Highest closure rate first among those with enough referrals; ties by more received,
/// then name. Rates compare exactly (cross-multiplied), never as rounded floats.
fn by_closure(rows: &[TopRow]) -> Vec<TopRow> {
    let mut v: Vec<TopRow> = rows
        .iter()
        .filter(|r| r.received >= MIN_FOR_CLOSURE_RANK)
        .cloned()
        .collect();
    v.sort_by(|a, b| {
        (u128::from(b.closed) * u128::from(a.received))
            .cmp(&(u128::from(a.closed) * u128::from(b.received)))
            .then_with(|| b.received.cmp(&a.received))
            .then_with(|| a.name.cmp(&b.name))
    });
    v.truncate(TOP_LINES);
    v
}
