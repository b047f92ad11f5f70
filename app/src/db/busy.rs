//! How a SQLite connection waits for the write lock another connection holds. SQLite's own
//! busy timeout sleeps 1, 2, 5, 10 … up to 100 ms between tries: under many concurrent writes a
//! pooled connection sleeps far longer than the lock is held (a write holds it for tens of
//! microseconds), and throughput collapses (about 600 votes/s on two cores). This handler
//! yields, then sleeps 50 µs, then 250 µs between tries, and gives up after about five seconds,
//! like the timeout it replaces.

use std::os::raw::{c_int, c_void};
use std::time::Duration;

/// Tries before giving up: 20 yields + 180 × 50 µs + 19,800 × 250 µs ≈ 5 s.
const GIVE_UP_AFTER: c_int = 20_000;

extern "C" fn wait_briefly(_: *mut c_void, tries: c_int) -> c_int {
    match tries {
        t if t >= GIVE_UP_AFTER => return 0,
        0..=19 => std::thread::yield_now(),
        20..=199 => std::thread::sleep(Duration::from_micros(50)),
        _ => std::thread::sleep(Duration::from_micros(250)),
    }
    1
}

/// Installs the handler on a new connection (replacing the busy timeout of its options).
pub async fn install(conn: &mut sqlx::sqlite::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    // SAFETY: the handle is a live connection, locked for us while we hold `handle`; the handler
    // is a plain function that touches no SQLite state and needs no user data.
    let rc = unsafe {
        libsqlite3_sys::sqlite3_busy_handler(
            handle.as_raw_handle().as_ptr(),
            Some(wait_briefly),
            std::ptr::null_mut(),
        )
    };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "sqlite3_busy_handler failed ({rc})"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_about_five_seconds_in_all_then_gives_up() {
        let total: Duration = (20..GIVE_UP_AFTER)
            .map(|t| Duration::from_micros(if t < 200 { 50 } else { 250 }))
            .sum();
        assert!(total > Duration::from_secs(4) && total < Duration::from_secs(6));
        assert_eq!(wait_briefly(std::ptr::null_mut(), GIVE_UP_AFTER), 0);
        assert_eq!(wait_briefly(std::ptr::null_mut(), 0), 1);
    }
}
