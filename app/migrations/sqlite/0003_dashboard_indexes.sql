-- Indexes shaped like the dashboards' queries (see store/listings.rs):
-- Inbound Referrals filtered by status (and its "Not updated" count);
-- People I'm Helping ordered by last change, for the helper's own and the team's referrals.
CREATE INDEX referrals_program_status ON referrals (program_id, status, created_at, id);
DROP INDEX referrals_referrer;
DROP INDEX referrals_group;
CREATE INDEX referrals_referrer_updated ON referrals (referrer_id, updated_at, id);
CREATE INDEX referrals_group_updated ON referrals (referrer_group_id, updated_at, id);
