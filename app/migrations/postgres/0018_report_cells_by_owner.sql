-- Report cells for groups, and by month beside the day (issue 17): a group's report, and
-- the network's over months, read a few hundred cells instead of a day's each. Each cell
-- now has an owner: 0 the network, a program's id, or a group's id negated (the referrals
-- its members made: model::report::cells::CellOwner). A day cell and a response cell are
-- kept twice, for the day and (whole_month 1) for its month, keyed by the month's first day.
-- The cells only ever hold what the referrals say: they are dropped and counted again
-- (the server recounts them when it starts and report_cells_state is empty).
DROP TABLE report_day_cells;
DROP TABLE report_response_cells;
DROP TABLE report_program_cells;
DELETE FROM report_cells_state;

CREATE TABLE report_day_cells (
    owner BIGINT NOT NULL,
    whole_month BIGINT NOT NULL,
    day BIGINT NOT NULL,
    self_referral BIGINT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    with_standard BIGINT NOT NULL,
    within_standard BIGINT NOT NULL,
    left_within_7 BIGINT NOT NULL,
    left_within_30 BIGINT NOT NULL,
    PRIMARY KEY (owner, whole_month, day, self_referral, status)
);

CREATE TABLE report_response_cells (
    owner BIGINT NOT NULL,
    whole_month BIGINT NOT NULL,
    day BIGINT NOT NULL,
    status_group BIGINT NOT NULL,
    step BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (owner, whole_month, day, status_group, step)
);

-- By month only; owned by the network or a group (their top lists), never a program.
CREATE TABLE report_program_cells (
    owner BIGINT NOT NULL,
    program_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    month BIGINT NOT NULL,
    n BIGINT NOT NULL,
    -- Program first: the top lists add each program's months up in key order.
    PRIMARY KEY (owner, program_id, status, month)
);
