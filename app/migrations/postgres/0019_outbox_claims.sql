-- A lease per message (issue 18, item 7): each claim of a batch writes its own token, and the
-- worker renews a row's lease with that token right before sending it. A batch slow enough
-- for its lease to run out loses the rows another instance has claimed since (their token
-- is no longer its own): it skips them instead of sending them a second time.
ALTER TABLE outbox ADD COLUMN claim TEXT;
