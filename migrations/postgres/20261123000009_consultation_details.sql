-- What the editor adds to a consultation: a plain-language summary (Leichte Sprache), a topic,
-- the responsible office and how to reach it.
ALTER TABLE consultations ADD COLUMN plain_summary TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN office TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN contact TEXT NOT NULL DEFAULT '';
