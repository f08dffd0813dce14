-- Groups managed by their admins and the site administrator (issue 13): a group can be
-- closed (its members leave it; referrals made through it keep their history), and every
-- management action is recorded with who did it.

ALTER TABLE user_groups ADD COLUMN closed_at INTEGER;

CREATE TABLE admin_actions (
    id INTEGER PRIMARY KEY,
    actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    group_id INTEGER REFERENCES user_groups (id) ON DELETE SET NULL,
    target_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    detail TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX admin_actions_at ON admin_actions (at);
CREATE INDEX admin_actions_group ON admin_actions (group_id, at);
