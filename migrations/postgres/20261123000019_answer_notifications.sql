-- Official answers: whether an account is mailed when its contributions get an official answer.
-- On unless the person turns it off (no notification_settings row: on as well); the unsubscribe
-- link of every notification mail turns it off together with reply notifications.
ALTER TABLE notification_settings ADD COLUMN answers BIGINT NOT NULL DEFAULT 1 CHECK (answers IN (0, 1));
