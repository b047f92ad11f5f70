//! Which network a request comes from: the peer address, or — only behind a proxy we trust — the
//! address that proxy reports in X-Forwarded-For. Only its prefix (/24 for IPv4, /64 for IPv6)
//! travels on, for rate limits, and its country is counted for statistics; the address itself is
//! neither logged nor stored.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::Request;
use axum::middleware::Next;
use axum::response::Response;

use app::ratelimit::ClientPrefix;

/// What the client middleware needs: whom to believe, where to look countries up, what to count.
#[derive(Clone)]
pub struct ClientContext {
    pub trusted: Arc<Vec<IpAddr>>,
    pub geoip: Arc<crate::geoip::GeoIp>,
    pub metrics: crate::http::metrics::Metrics,
}

/// The client's address: the peer, unless the peer is a trusted proxy; then the right-most
/// X-Forwarded-For entry that is not itself a trusted proxy.
pub fn client_ip(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    forwarded_for
        .into_iter()
        .flat_map(|v| v.rsplit(','))
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

/// Every X-Forwarded-For line of the request joined in order, as one list (RFC 9110 5.3). A
/// proxy may add its own line after the ones the client sent — haproxy's `option forwardfor`
/// does — so reading only the first line would believe whatever the client wrote there.
pub fn forwarded_for(headers: &axum::http::HeaderMap) -> Option<String> {
    let lines: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!lines.is_empty()).then(|| lines.join(","))
}

/// The network prefix rate limits count by: a household or office shares one.
pub fn prefix(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => prefix(IpAddr::V4(v4)),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

pub async fn client_prefix(
    State(ctx): State<ClientContext>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let forwarded = forwarded_for(req.headers());
    let ip = client_ip(peer.ip(), forwarded.as_deref(), &ctx.trusted);
    ctx.metrics.count_country(ctx.geoip.country(ip).as_deref());
    req.extensions_mut().insert(ClientPrefix(prefix(ip)));
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn prefixes_hide_the_host_part() {
        assert_eq!(prefix(ip("192.0.2.77")), "192.0.2.0/24");
        assert_eq!(prefix(ip("2001:db8:1:2:3:4:5:6")), "2001:db8:1:2::/64");
        assert_eq!(prefix(ip("::ffff:192.0.2.77")), "192.0.2.0/24");
    }

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let proxy = ip("10.0.0.1");
        let trusted = [proxy];
        assert_eq!(
            client_ip(ip("198.51.100.9"), Some("203.0.113.5"), &trusted),
            ip("198.51.100.9"),
            "spoofed header from an untrusted peer"
        );
        assert_eq!(
            client_ip(proxy, Some("203.0.113.5"), &trusted),
            ip("203.0.113.5")
        );
        // A client cannot hide behind entries it adds itself: the right-most untrusted one counts.
        assert_eq!(
            client_ip(proxy, Some("1.1.1.1, 203.0.113.5"), &trusted),
            ip("203.0.113.5")
        );
        assert_eq!(client_ip(proxy, Some("garbage"), &trusted), proxy);
        // haproxy adds its own line after the client's: both lines count, the proxy's last.
        let mut headers = axum::http::HeaderMap::new();
        headers.append("x-forwarded-for", "1.1.1.1".parse().unwrap());
        headers.append("x-forwarded-for", "203.0.113.5".parse().unwrap());
        let joined = forwarded_for(&headers);
        assert_eq!(joined.as_deref(), Some("1.1.1.1,203.0.113.5"));
        assert_eq!(
            client_ip(proxy, joined.as_deref(), &trusted),
            ip("203.0.113.5")
        );
        assert_eq!(forwarded_for(&axum::http::HeaderMap::new()), None);
        assert_eq!(client_ip(proxy, None, &trusted), proxy);
    }
}
