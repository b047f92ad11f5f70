//! Uploaded files on disk under DATA_DIR/files/<kind>/: random names, type from the content (never
//! from the name or the browser's claim), served with nosniff by the server.

use std::path::{Path, PathBuf};

/// What kinds of upload there are (each its own folder and URL prefix `/media/<kind>/`).
pub const KINDS: &[&str] = &["logos"];

/// The image types accepted, recognised by their first bytes: (extension, MIME type).
pub fn sniff_image(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("png", "image/png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("jpg", "image/jpeg"))
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("webp", "image/webp"))
    } else {
        None
    }
}

/// The MIME type of a stored file by its extension (which we chose when storing it).
pub fn mime_of(name: &str) -> Option<&'static str> {
    match name.rsplit_once('.')?.1 {
        "png" => Some("image/png"),
        "jpg" => Some("image/jpeg"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

/// Whether a requested file name can be one we made: 32 hex digits and a known extension. Keeps
/// `..`, slashes and everything else out of file-system paths.
pub fn is_stored_name(name: &str) -> bool {
    match name.split_once('.') {
        Some((stem, _)) => {
            stem.len() == 32
                && stem.bytes().all(|b| b.is_ascii_hexdigit())
                && mime_of(name).is_some()
        }
        None => false,
    }
}

pub fn folder(data_dir: &Path, kind: &str) -> PathBuf {
    data_dir.join("files").join(kind)
}

/// Writes the bytes under a new random name; answers the name.
#[cfg(feature = "ssr")]
pub async fn store(
    data_dir: &Path,
    kind: &str,
    ext: &str,
    bytes: &[u8],
) -> std::io::Result<String> {
    let name = format!("{}.{ext}", &crate::secret::random_token()[..32]);
    let dir = folder(data_dir, kind);
    tokio::fs::create_dir_all(&dir).await?;
    // Written under a temporary name and renamed, so a half-written file is never served.
    let tmp = dir.join(format!(".{name}.part"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, dir.join(&name)).await?;
    Ok(name)
}

/// Removes a stored file (a replaced logo); a missing file is fine.
#[cfg(feature = "ssr")]
pub async fn remove(data_dir: &Path, kind: &str, name: &str) {
    if is_stored_name(name) {
        let _ = tokio::fs::remove_file(folder(data_dir, kind).join(name)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_content() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\nrest").unwrap().0, "png");
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap().0, "jpg");
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 ").unwrap().0, "webp");
        assert!(sniff_image(b"<svg onload=alert(1)>").is_none());
        assert!(sniff_image(b"GIF89a").is_none());
        assert!(sniff_image(b"").is_none());
    }

    #[test]
    fn only_our_own_names_are_served() {
        assert!(is_stored_name("0123456789abcdef0123456789abcdef.png"));
        for bad in [
            "../etc/passwd",
            "0123456789abcdef0123456789abcdef.svg",
            "0123456789abcdef0123456789abcdef.png/..",
            "x.png",
            "0123456789abcdef0123456789abcdeg.png",
        ] {
            assert!(!is_stored_name(bad), "{bad}");
        }
    }
}
