//! The figures against hand counts, through the cells as the store adds them up.

use super::cells::{DAY_MS, ReportReferral, ResponseStep, cells_of};
use super::figures::*;
use crate::model::calendar::{Day, parse_day};
use crate::model::{ProgramId, Status, StatusGroup};

const HOUR: i64 = 3_600_000;

fn made(day: Day, status: Status) -> ReportReferral {
    ReportReferral {
        created_at: day * DAY_MS,
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

fn figures_of(rows: &[ReportReferral], today: Day) -> Figures {
    let (days, responses, programs) = cells_of(rows);
    figures(&sums_of_cells(&days, &responses, &programs, today))
}

/// Referrals made per day, as the over-time figures read them.
fn made_of(rows: &[ReportReferral]) -> Vec<MadeCount> {
    let (days, responses, programs) = cells_of(rows);
    sums_of_cells(&days, &responses, &programs, 0).made
}

#[test]
fn nearest_rank_is_the_smallest_step_covering_the_share() {
    let s = ResponseStep;
    assert_eq!(nearest_rank_step(&[], 50), None);
    assert_eq!(nearest_rank_step(&[(s(3), 1)], 50), Some(s(3)));
    // Four answers in steps 1, 2, 3, 4: the median is the second.
    let four = [(s(4), 1), (s(2), 1), (s(1), 1), (s(3), 1)];
    assert_eq!(nearest_rank_step(&four, 50), Some(s(2)));
    assert_eq!(nearest_rank_step(&four, 90), Some(s(4)));
    // Ten answers: nine in step 0, one in step 7; the 90th is still step 0.
    let ten = [(s(0), 9), (s(7), 1)];
    assert_eq!(nearest_rank_step(&ten, 90), Some(s(0)));
    assert_eq!(nearest_rank_step(&ten, 100), Some(s(7)));
}

/// Five referrals, worked out by hand: a helper referral answered in 2 hours and closed
/// with Got help; one answered in 4 days (after its standard) then reopened to Pending; a
/// self-referral nobody answered for 40 days; one moved only by its helper (Not eligible on
/// day 1: closed, but no program response); one made yesterday.
#[test]
fn every_figure_matches_a_hand_count() {
    let today = 100;
    let answered = ReportReferral {
        first_response_at: Some(50 * DAY_MS + 2 * HOUR),
        left_not_updated_at: Some(50 * DAY_MS + 2 * HOUR),
        ..made(50, Status::GotHelp)
    };
    let reopened = ReportReferral {
        first_response_at: Some(50 * DAY_MS + 4 * DAY_MS),
        left_not_updated_at: Some(50 * DAY_MS + 4 * DAY_MS),
        ..made(50, Status::Pending)
    };
    let ignored = ReportReferral {
        self_referral: true,
        ..made(60, Status::NotUpdated)
    };
    let helper_only = ReportReferral {
        left_not_updated_at: Some(91 * DAY_MS),
        ..made(90, Status::NotEligible)
    };
    let new = made(99, Status::NotUpdated);
    let f = figures_of(&[answered, reopened, ignored, helper_only, new], today);
    assert_eq!(
        (f.referrals, f.self_referrals, f.helper_referrals),
        (5, 1, 4)
    );
    let status = |s| f.by_status.iter().find(|(x, _)| *x == s).unwrap().1;
    assert_eq!(status(Status::NotUpdated), 2);
    assert_eq!(status(Status::GotHelp), 1);
    assert_eq!(status(Status::Pending), 1);
    assert_eq!(status(Status::NotEligible), 1);
    assert_eq!(
        f.by_group,
        vec![
            (StatusGroup::InProgress, 3),
            (StatusGroup::GotHelp, 1),
            (StatusGroup::NeedsFurtherAction, 1)
        ]
    );
    // Closed now: Got help and Not eligible (the reopened one is open again).
    let share = |part, whole| Some(Share { part, whole });
    assert_eq!(f.closed, share(2, 5));
    assert_eq!(f.got_help_of_closed, share(1, 2));
    // Answered by the program: within 2 hours and within 4 days (both step bounds).
    assert_eq!(f.response_median.and_then(|s| s.bound_ms()), Some(2 * HOUR));
    assert_eq!(f.response_p90.and_then(|s| s.bound_ms()), Some(4 * DAY_MS));
    // Within the 3-day standard: only the 2-hour answer, of all five with a standard.
    assert_eq!(f.answered_within_standard, share(1, 5));
    // Made at least 7 days before today: the first four. Still Not updated at day 7: the
    // ignored one (the helper's move came on day 1, within 7 days).
    assert_eq!(f.not_updated_after_7_days, share(1, 4));
    // At least 30 days before: the first three; the ignored one still.
    assert_eq!(f.not_updated_after_30_days, share(1, 3));
    assert_eq!(f.closed.unwrap().percent(), Some(40.0));
    assert_eq!(share(1, 3).unwrap().percent(), Some(33.3));
    // Days 50 to 99: under four months, so counted by week.
    assert_eq!(f.period, Some(Period::Week));
    let made_total: u64 = f
        .over_time
        .iter()
        .map(|p| p.self_referrals + p.helper_referrals)
        .sum();
    assert_eq!(made_total, 5);
}

#[test]
fn a_referral_made_exactly_seven_days_ago_is_old_enough() {
    let f = figures_of(&[made(93, Status::NotUpdated)], 100);
    assert_eq!(
        f.not_updated_after_7_days,
        Some(Share { part: 1, whole: 1 })
    );
    let f = figures_of(&[made(94, Status::NotUpdated)], 100);
    assert_eq!(
        f.not_updated_after_7_days,
        Some(Share { part: 0, whole: 0 })
    );
    assert_eq!(f.not_updated_after_7_days.unwrap().percent(), None);
}

#[test]
fn nothing_to_count_gives_no_shares_and_no_times() {
    let f = figures(&ReportSums::default());
    assert_eq!(f.referrals, 0);
    assert_eq!(f.closed.unwrap().percent(), None);
    assert_eq!(f.response_median, None);
    assert!(f.over_time.is_empty());
    assert_eq!(f.period, None);
}

#[test]
fn a_referral_moved_between_cells_leaves_the_old_one_empty() {
    // The store takes a referral out of its cells before a change and puts it back after.
    use super::cells::CellSums;
    let before = made(50, Status::Eligible);
    let after = ReportReferral {
        status: Status::GotHelp,
        ..before
    };
    let mut sums = CellSums::default();
    sums.add(&before);
    let mut out = before.day_cell();
    out.counts = out.counts.negated();
    sums.add_day(out);
    sums.add(&after);
    let (days, _, _) = sums.into_cells();
    assert_eq!(days.len(), 1, "the emptied cell is gone: {days:?}");
    assert_eq!(days[0].status, Status::GotHelp);
    // And a kept cell that has come down to nothing counts nothing, nor makes a period.
    let mut empty = before.day_cell();
    empty.counts = Default::default();
    let f = figures(&sums_of_cells(&[empty], &[], &[], 100));
    assert_eq!(f.referrals, 0);
    assert!(f.over_time.is_empty());
    assert_eq!(f.period, None);
}

#[test]
fn referrals_made_per_week_and_month_keep_the_quiet_ones() {
    let day = |s: &str| parse_day(s).unwrap();
    let at = |s: &str, self_referral| ReportReferral {
        self_referral,
        ..made(day(s), Status::NotUpdated)
    };
    // Thursday 3rd, Sunday 6th (same week from Monday 30 Nov), then Tuesday 22nd.
    let rows = [
        at("2026-12-03", true),
        at("2026-12-06", false),
        at("2026-12-22", false),
    ];
    let weeks = made_per_period(&made_of(&rows), Period::Week);
    let firsts: Vec<_> = weeks.iter().map(|w| w.first_day).collect();
    assert_eq!(
        firsts,
        vec![
            day("2026-11-30"),
            day("2026-12-07"),
            day("2026-12-14"),
            day("2026-12-21")
        ]
    );
    assert_eq!((weeks[0].self_referrals, weeks[0].helper_referrals), (1, 1));
    assert_eq!(
        (weeks[1].self_referrals, weeks[1].helper_referrals),
        (0, 0),
        "kept"
    );
    assert_eq!(weeks[3].helper_referrals, 1);
    let rows = [at("2026-11-30", false), at("2027-02-01", true)];
    let months = made_per_period(&made_of(&rows), Period::Month);
    let firsts: Vec<_> = months.iter().map(|m| m.first_day).collect();
    assert_eq!(
        firsts,
        vec![
            day("2026-11-01"),
            day("2026-12-01"),
            day("2027-01-01"),
            day("2027-02-01")
        ]
    );
    assert_eq!(
        figures_of(&rows, day("2027-03-01")).period,
        Some(Period::Week),
        "63 days apart"
    );
    let apart = [at("2026-01-05", false), at("2026-06-01", true)];
    assert_eq!(
        figures_of(&apart, day("2027-03-01")).period,
        Some(Period::Month)
    );
    assert!(made_per_period(&[], Period::Week).is_empty());
    assert_eq!(period_for(0, 120), Period::Week);
    assert_eq!(period_for(0, 121), Period::Month);
}

fn line(name: &str, program: i64, received: u64, closed: u64) -> TopRow {
    TopRow {
        name: name.into(),
        program: Some(ProgramId(program)),
        received,
        closed,
        got_help: closed / 2,
    }
}

#[test]
fn program_totals_add_each_programs_cells() {
    let rows = [
        made(1, Status::GotHelp),
        made(2, Status::NotEligible),
        made(40, Status::Pending),
        ReportReferral {
            program: ProgramId(2),
            ..made(3, Status::NotUpdated)
        },
    ];
    let (days, responses, programs) = cells_of(&rows);
    let summed = sums_of_cells(&days, &responses, &programs, 100).programs;
    assert_eq!(
        program_totals(&summed),
        program_totals(&programs),
        "months summed"
    );
    assert_eq!(
        program_totals(&programs),
        vec![(ProgramId(1), 3, 2, 1), (ProgramId(2), 1, 0, 0)]
    );
}

#[test]
fn top_lists_rank_by_received_and_by_closure_over_enough_referrals() {
    let programs = vec![
        line("Pantry", 1, 40, 10),
        line("Clinic", 2, 12, 9),
        line("Tiny", 3, 2, 2),
        line("Shelter", 4, 40, 30),
    ];
    let categories = vec![
        (ProgramId(1), "food".to_string()),
        (ProgramId(2), "health".to_string()),
        (ProgramId(4), "housing".to_string()),
        (ProgramId(1), "housing".to_string()),
        (ProgramId(9), "legal".to_string()),
    ];
    let top = top_lists(programs, &categories);
    let names = |rows: &[TopRow]| rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
    // Ties on received fall back to the name.
    assert_eq!(
        names(&top.programs_by_received),
        ["Pantry", "Shelter", "Clinic", "Tiny"]
    );
    // 30/40 = 75 % beats 9/12 = 75 % on received; Tiny's 2 of 2 is too few to rank.
    assert_eq!(
        names(&top.programs_by_closure),
        ["Shelter", "Clinic", "Pantry"]
    );
    // Housing holds the pantry's and the shelter's referrals; legal's program got none.
    assert_eq!(
        names(&top.categories_by_received),
        ["housing", "food", "health"]
    );
    let housing = &top.categories_by_received[0];
    assert_eq!((housing.received, housing.closed), (80, 40));
    assert_eq!(housing.program, None);
    assert_eq!(housing.closure().percent(), Some(50.0));
    let many: Vec<TopRow> = (0..30)
        .map(|i| line(&format!("P{i:02}"), i, 20, i as u64))
        .collect();
    let top = top_lists(many, &[]);
    assert_eq!(top.programs_by_received.len(), TOP_LINES);
    assert_eq!(top.programs_by_closure[0].name, "P29");
}

#[test]
fn ages_follow_the_seven_and_thirty_day_lines() {
    assert_eq!(Age::of(93, 100), Age::Week);
    assert_eq!(Age::of(94, 100), Age::Recent);
    assert_eq!(Age::of(70, 100), Age::Month);
    assert_eq!(Age::of(71, 100), Age::Week);
    for age in [Age::Recent, Age::Week, Age::Month] {
        assert_eq!(Age::of_code(age.code()), Some(age));
    }
    assert_eq!(Age::of_code(3), None);
}
