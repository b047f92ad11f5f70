-- What an organisation's page shows about the organisation itself.
ALTER TABLE organisations ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN website_url TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN imprint_url TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN privacy_url TEXT NOT NULL DEFAULT '';
