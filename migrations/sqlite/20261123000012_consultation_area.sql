-- Where a consultation is: a place described in words (address, district) and an area on the map
-- as a GeoJSON geometry (Point or Polygon, validated by app/src/geo.rs; '' = none). A comment may
-- be pinned to a point inside that area.
ALTER TABLE consultations ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE consultations ADD COLUMN area TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN pin_lat REAL;
ALTER TABLE comments ADD COLUMN pin_lon REAL;
