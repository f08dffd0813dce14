-- Reports (issue 17) count from the referrals and their history. Two instants the history
-- holds, kept on the referral in the change's transaction so a report reads one row each:
-- the program's first status change, and the first move out of "Not updated" by anyone.
ALTER TABLE referrals ADD COLUMN first_response_at INTEGER;
ALTER TABLE referrals ADD COLUMN left_not_updated_at INTEGER;
UPDATE referrals SET
    first_response_at = (SELECT MIN(h.at) FROM referral_history h
        WHERE h.referral_id = referrals.id AND h.kind = 'status' AND h.actor_role = 'program'),
    left_not_updated_at = (SELECT MIN(h.at) FROM referral_history h
        WHERE h.referral_id = referrals.id AND h.kind = 'status' AND h.from_status = 'not_updated');
CREATE INDEX referrals_created ON referrals (created_at, id);
