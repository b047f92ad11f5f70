-- The salt of a consultation's pseudonymous participant ids in exports: random, set at the first
-- export, never shown. The same person has the same id in every export of one consultation and
-- unrelated ids across consultations.
ALTER TABLE consultations ADD COLUMN pseudonym_salt TEXT NOT NULL DEFAULT '';
