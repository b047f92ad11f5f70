//! Uploaded files on disk under DATA_DIR/files/<kind>/: random names, type from the content (never
//! from the name or the browser's claim), served with nosniff by the server.

use std::path::{Path, PathBuf};

/// What kinds of upload there are (each its own folder and URL prefix `/media/<kind>/`).
pub const KINDS: &[&str] = &["logos", "images", "attachments"];

/// The longest file name kept (characters).
pub const MAX_FILE_NAME_CHARS: usize = 200;

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

/// The document types accepted (PDF and the images), recognised by their first bytes.
pub fn sniff_document(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("pdf", "application/pdf"))
    } else {
        sniff_image(bytes)
    }
}

/// An uploader's file name, checked to be shown and offered on download: no path parts, no
/// control characters, not only dots, not too long. (It is never used as a path.)
pub fn parse_original_name(raw: &str) -> Option<String> {
    let name = raw.trim();
    let bad = name.is_empty()
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
        || name.chars().all(|c| c == '.')
        || name.chars().count() > MAX_FILE_NAME_CHARS;
    (!bad).then(|| name.to_string())
}

/// The name offered on download: the uploader's name, with the extension of the type we found
/// (so `plan.exe` that is a PDF downloads as `plan.exe.pdf`).
pub fn download_name(original: &str, ext: &str) -> String {
    let lower = original.to_lowercase();
    let fits = match ext {
        "jpg" => lower.ends_with(".jpg") || lower.ends_with(".jpeg"),
        _ => lower.ends_with(&format!(".{ext}")),
    };
    if fits {
        original.to_string()
    } else {
        format!("{original}.{ext}")
    }
}

/// A `Content-Disposition: attachment` value with the name as an RFC 6266 / RFC 8187 parameter:
/// an ASCII fallback (quotes and non-ASCII replaced) and the UTF-8 name percent-encoded.
pub fn attachment_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The MIME type of a stored file by its extension (which we chose when storing it).
pub fn mime_of(name: &str) -> Option<&'static str> {
    match name.rsplit_once('.')?.1 {
        "png" => Some("image/png"),
        "jpg" => Some("image/jpeg"),
        "webp" => Some("image/webp"),
        "pdf" => Some("application/pdf"),
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
    fn documents_are_pdfs_or_images() {
        assert_eq!(sniff_document(b"%PDF-1.7\n").unwrap().1, "application/pdf");
        assert_eq!(sniff_document(b"\x89PNG\r\n\x1a\n").unwrap().0, "png");
        assert!(sniff_document(b"MZ\x90\0").is_none());
        assert!(sniff_document(b"<html><script>").is_none());
    }

    #[test]
    fn file_names_with_path_tricks_are_refused() {
        assert_eq!(
            parse_original_name(" Lageplan B 12.pdf ").unwrap(),
            "Lageplan B 12.pdf"
        );
        assert_eq!(parse_original_name("plan..v2.pdf").unwrap(), "plan..v2.pdf");
        for bad in [
            "",
            "..",
            "../../etc/passwd",
            "C:\\Windows\\x.pdf",
            "a/b.pdf",
            "x\u{0}.pdf",
            "line\nbreak.pdf",
        ] {
            assert!(parse_original_name(bad).is_none(), "{bad:?}");
        }
        assert!(parse_original_name(&"a".repeat(201)).is_none());
    }

    #[test]
    fn downloads_carry_the_name_safely() {
        assert_eq!(download_name("Plan.PDF", "pdf"), "Plan.PDF");
        assert_eq!(download_name("foto.jpeg", "jpg"), "foto.jpeg");
        assert_eq!(download_name("plan.exe", "pdf"), "plan.exe.pdf");
        assert_eq!(
            attachment_disposition("Straße \"neu\";.pdf"),
            "attachment; filename=\"Stra_e _neu_;.pdf\"; filename*=UTF-8''Stra%C3%9Fe%20%22neu%22%3B.pdf"
        );
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
