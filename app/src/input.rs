//! Plain text from forms: trimmed, bounded, with the field named in every error.

use crate::error::{AppError, Field, Problem};

/// At most `max` characters, or `TooLong` for `field`.
fn within(field: Field, text: String, max: usize) -> Result<String, AppError> {
    let count = text.chars().count();
    if count > max {
        return Err(AppError::invalid(
            field,
            Problem::TooLong { max, actual: count },
        ));
    }
    Ok(text)
}

/// A line of text (a name, a title): whitespace collapsed, not empty, at most `max` characters.
pub fn line(field: Field, raw: &str, max: usize) -> Result<String, AppError> {
    let line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return Err(AppError::invalid(field, Problem::Empty));
    }
    within(field, line, max)
}

/// An optional text of at most `max` characters (trimmed; line breaks kept, as `\n`).
pub fn text(field: Field, raw: &str, max: usize) -> Result<String, AppError> {
    within(field, raw.replace("\r\n", "\n").trim().to_string(), max)
}

/// Like [`text`], but not empty.
pub fn required_text(field: Field, raw: &str, max: usize) -> Result<String, AppError> {
    let text = text(field, raw, max)?;
    if text.is_empty() {
        return Err(AppError::invalid(field, Problem::Empty));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_texts_are_trimmed_and_bounded() {
        assert_eq!(
            line(Field::Name, "  Stadt \n Musterstadt ", 50).unwrap(),
            "Stadt Musterstadt"
        );
        assert!(line(Field::Name, "   ", 50).is_err());
        assert!(line(Field::Name, &"x".repeat(51), 50).is_err());
        assert_eq!(text(Field::Body, " a\r\nb ", 10).unwrap(), "a\nb");
        assert_eq!(text(Field::Body, "  ", 10).unwrap(), "");
        assert!(required_text(Field::Body, "  ", 10).is_err());
        assert!(text(Field::Body, "ü".repeat(11).as_str(), 10).is_err());
    }
}
