-- Reports at county scale (issue 17): every figure is a sum of cells (model::report::cells),
-- kept for the whole network in each change's transaction, so the network's report reads a
-- few thousand rows however many referrals there are. A narrower report sums the same cells
-- with a GROUP BY over its referrals.
--
-- The local day a referral was made, in the deployment's time zone: filled by the server
-- (which knows the zone) when it starts, and when the referral is made.
ALTER TABLE referrals ADD COLUMN created_day BIGINT;
DROP INDEX referrals_created;
CREATE INDEX referrals_created_day ON referrals (created_day, id);

-- Referrals made on a day, the same way (self_referral 1 or 0), standing in a status now:
-- the network's (program_id 0) and each program's (its staff's report, a program or a
-- category filter).
CREATE TABLE report_day_cells (
    program_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    self_referral BIGINT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    with_standard BIGINT NOT NULL,
    within_standard BIGINT NOT NULL,
    left_within_7 BIGINT NOT NULL,
    left_within_30 BIGINT NOT NULL,
    PRIMARY KEY (program_id, day, self_referral, status)
);

-- Program answers by the day the referral was made, its status group now (0 in progress,
-- 1 got help, 2 needs further action) and the step of its time to the first answer; the
-- network's (program_id 0) and each program's.
CREATE TABLE report_response_cells (
    program_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    status_group BIGINT NOT NULL,
    step BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (program_id, day, status_group, step)
);

-- Referrals made in a month (its first day) to a program, standing in a status now: the
-- network's top programs and categories.
CREATE TABLE report_program_cells (
    month BIGINT NOT NULL,
    program_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    -- Program first: the top lists add each program's months up in key order.
    PRIMARY KEY (program_id, status, month)
);

-- The time zone the days above were counted in; the server recounts them all when it starts
-- in another (or when this row is missing, as after this migration).
CREATE TABLE report_cells_state (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    zone TEXT NOT NULL
);
