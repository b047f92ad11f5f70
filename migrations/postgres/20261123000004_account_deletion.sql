-- A deleted account's contributions stay, shown as "deleted account"; its personal data goes.
ALTER TABLE comments ADD COLUMN author_deleted BOOLEAN NOT NULL DEFAULT FALSE;
