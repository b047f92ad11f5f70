//! Country of an IP address, looked up in memory in a MaxMind-format database: the bundled
//! public-domain one, or MITREDEN_GEOIP_DB. For statistics only — never stored with a person.

use std::net::IpAddr;
use std::path::Path;

use anyhow::Context;
use maxminddb::Reader;
use serde::Deserialize;

const BUNDLED: &[u8] = include_bytes!("../data/iptoasn-country.mmdb");

/// The bundled database is read where it lies in the binary (only the pages a lookup touches
/// become resident); a configured one is read into memory.
pub struct GeoIp(Reader<std::borrow::Cow<'static, [u8]>>);

#[derive(Deserialize)]
struct Record<'a> {
    /// ip-location-db and similar free databases.
    country_code: Option<&'a str>,
    /// MaxMind GeoLite2/GeoIP2 layout.
    #[serde(borrow)]
    country: Option<MaxMindCountry<'a>>,
}

#[derive(Deserialize)]
struct MaxMindCountry<'a> {
    iso_code: Option<&'a str>,
}

impl GeoIp {
    pub fn bundled() -> anyhow::Result<GeoIp> {
        Ok(GeoIp(
            Reader::from_source(std::borrow::Cow::Borrowed(BUNDLED))
                .context("reading the bundled country database")?,
        ))
    }

    pub fn open(path: &Path) -> anyhow::Result<GeoIp> {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        Ok(GeoIp(
            Reader::from_source(std::borrow::Cow::Owned(bytes))
                .with_context(|| format!("{} is not a MaxMind database", path.display()))?,
        ))
    }

    /// The two-letter country code, if the address is in the database.
    pub fn country(&self, ip: IpAddr) -> Option<String> {
        let result = self.0.lookup(ip).ok()?;
        let record: Record = result.decode().ok()??;
        let code = record
            .country_code
            .or(record.country.and_then(|c| c.iso_code))?;
        (code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()))
            .then(|| code.to_ascii_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_database_knows_countries() {
        let geo = GeoIp::bundled().unwrap();
        assert_eq!(
            geo.country("8.8.8.8".parse().unwrap()).as_deref(),
            Some("US")
        );
        assert_eq!(
            geo.country("2001:638::1".parse().unwrap()).as_deref(),
            Some("DE"),
            "DFN (German research network)"
        );
        assert_eq!(geo.country("127.0.0.1".parse().unwrap()), None);
        assert_eq!(geo.country("10.1.2.3".parse().unwrap()), None);
    }

    #[test]
    fn a_file_that_is_no_database_is_refused() {
        let path = std::env::temp_dir().join(format!("not-a-db-{}.mmdb", std::process::id()));
        std::fs::write(&path, b"hello").unwrap();
        assert!(GeoIp::open(&path).is_err());
        let _ = std::fs::remove_file(path);
    }
}
