-- An organisation's logo: the name of a file under DATA_DIR/files/logos/ ('' = none).
ALTER TABLE organisations ADD COLUMN logo_file TEXT NOT NULL DEFAULT '';
