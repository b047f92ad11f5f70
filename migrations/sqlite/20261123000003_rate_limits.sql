-- Rate limits, shared by all app instances. Keys are hashes (of an account, or of a client's IP
-- prefix with a salt that changes daily): no raw IP address is ever stored.

CREATE TABLE rate_counters (
    key          TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_counters_window ON rate_counters (window_start);

-- Failed logins per account, for progressive delays.
CREATE TABLE login_failures (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL
);

-- One random salt per day for hashing IP prefixes; yesterday's hashes cannot be linked to today's.
CREATE TABLE daily_salts (
    day  INTEGER PRIMARY KEY,
    salt TEXT NOT NULL
);
