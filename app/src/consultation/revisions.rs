//! Text corrections after publication: each one keeps the text as it was, and residents see
//! what changed when (`/{org}/{slug}/changes`), word by word.

use serde::{Deserialize, Serialize};

/// One piece of a changed line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Segment {
    Same(String),
    Added(String),
    Removed(String),
}

/// A line of a difference: unchanged context, a run of unchanged lines left out, or a line
/// with what was removed and added in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLine {
    Context(String),
    Skipped(usize),
    Changed(Vec<Segment>),
}

/// Which text a difference is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextField {
    Title,
    Summary,
    PlainSummary,
    Body,
}

/// One correction: when, why, and the difference of each text that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub changed_at: i64,
    pub note: String,
    pub fields: Vec<(TextField, Vec<DiffLine>)>,
}

/// The changes page of a consultation, newest change first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangesPage {
    pub card: super::ConsultationCard,
    pub changes: Vec<Change>,
}

/// Unchanged lines shown around a change.
const CONTEXT: usize = 2;
/// Above this many cells the middle of two texts is compared as a whole (removed, then added).
const MAX_CELLS: usize = 4_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The edit script between `a` and `b` (longest common subsequence).
fn script<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Op> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<Op> = (0..prefix).map(|i| Op::Equal(i, i)).collect();
    let (n, m) = (am.len(), bm.len());
    if n * m > MAX_CELLS {
        ops.extend((0..n).map(|i| Op::Delete(prefix + i)));
        ops.extend((0..m).map(|j| Op::Insert(prefix + j)));
    } else {
        // lcs[i][j]: the longest common subsequence of am[i..] and bm[j..].
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                ops.push(Op::Equal(prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                // What was removed comes before what was added.
                ops.push(Op::Delete(prefix + i));
                i += 1;
            } else {
                ops.push(Op::Insert(prefix + j));
                j += 1;
            }
        }
    }
    let (sa, sb) = (a.len() - suffix, b.len() - suffix);
    ops.extend((0..suffix).map(|k| Op::Equal(sa + k, sb + k)));
    ops
}

/// Words and the spaces between them, as separate tokens.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut last_space: Option<bool> = None;
    for (i, ch) in line.char_indices() {
        let space = ch.is_whitespace();
        if last_space.is_some_and(|s| s != space) {
            out.push(&line[start..i]);
            start = i;
        }
        last_space = Some(space);
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

fn push(segments: &mut Vec<Segment>, s: Segment) {
    match (segments.last_mut(), s) {
        (Some(Segment::Same(a)), Segment::Same(b))
        | (Some(Segment::Added(a)), Segment::Added(b))
        | (Some(Segment::Removed(a)), Segment::Removed(b)) => a.push_str(&b),
        (_, s) => segments.push(s),
    }
}

/// A changed line, word by word.
fn words(old: &str, new: &str) -> Vec<Segment> {
    let (a, b) = (tokens(old), tokens(new));
    let mut segments = Vec::new();
    for op in script(&a, &b) {
        let s = match op {
            Op::Equal(i, _) => Segment::Same(a[i].to_string()),
            Op::Delete(i) => Segment::Removed(a[i].to_string()),
            Op::Insert(j) => Segment::Added(b[j].to_string()),
        };
        push(&mut segments, s);
    }
    segments
}

/// The difference between two texts, line by line and within changed lines word by word, with
/// a little unchanged context around each change.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let ops = script(&a, &b);
    let mut full: Vec<DiffLine> = Vec::new();
    let mut k = 0;
    while k < ops.len() {
        if let Op::Equal(i, _) = ops[k] {
            full.push(DiffLine::Context(a[i].to_string()));
            k += 1;
            continue;
        }
        // A run of changes: removed lines paired with added ones, compared word by word.
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        while let Some(op) = ops.get(k) {
            match *op {
                Op::Delete(i) => removed.push(a[i]),
                Op::Insert(j) => added.push(b[j]),
                Op::Equal(..) => break,
            }
            k += 1;
        }
        for n in 0..removed.len().max(added.len()) {
            full.push(DiffLine::Changed(match (removed.get(n), added.get(n)) {
                (Some(r), Some(a)) => words(r, a),
                (Some(r), None) => vec![Segment::Removed(r.to_string())],
                (None, Some(a)) => vec![Segment::Added(a.to_string())],
                (None, None) => Vec::new(),
            }));
        }
    }
    // Keep the context near changes only.
    let near = |i: usize| {
        let lo = i.saturating_sub(CONTEXT);
        let hi = (i + CONTEXT + 1).min(full.len());
        full[lo..hi]
            .iter()
            .any(|l| matches!(l, DiffLine::Changed(_)))
    };
    let mut out = Vec::new();
    let mut skipped = 0;
    for (i, line) in full.iter().enumerate() {
        if matches!(line, DiffLine::Context(_)) && !near(i) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            out.push(DiffLine::Skipped(skipped));
            skipped = 0;
        }
        out.push(line.clone());
    }
    if skipped > 0 && !out.is_empty() {
        out.push(DiffLine::Skipped(skipped));
    }
    out
}

#[cfg(feature = "ssr")]
pub mod repo {
    use super::{diff, Change, TextField};
    use crate::db::Db;
    use crate::on_db;

    #[derive(sqlx::FromRow)]
    struct Texts {
        title: String,
        summary: String,
        plain_summary: String,
        body_markdown: String,
    }

    #[derive(sqlx::FromRow)]
    struct Row {
        changed_at: i64,
        note: String,
        #[sqlx(flatten)]
        texts: Texts,
    }

    /// When the text was last corrected after publication.
    pub async fn last_change(db: &Db, consultation_id: i64) -> Result<Option<i64>, sqlx::Error> {
        on_db!(db, |pool| sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MAX(changed_at) FROM consultation_revisions WHERE consultation_id = $1"
        )
        .bind(consultation_id)
        .fetch_one(pool)
        .await)
    }

    /// Every correction, newest first, each as the difference to the text that followed it.
    pub async fn changes(db: &Db, consultation_id: i64) -> Result<Vec<Change>, sqlx::Error> {
        let current = on_db!(db, |pool| {
            sqlx::query_as::<_, Texts>(
                "SELECT title, summary, plain_summary, body_markdown FROM consultations \
                 WHERE id = $1",
            )
            .bind(consultation_id)
            .fetch_one(pool)
            .await
        })?;
        let rows = on_db!(db, |pool| {
            sqlx::query_as::<_, Row>(
                "SELECT changed_at, note, title, summary, plain_summary, body_markdown \
                 FROM consultation_revisions WHERE consultation_id = $1 \
                 ORDER BY changed_at DESC, id DESC LIMIT 200",
            )
            .bind(consultation_id)
            .fetch_all(pool)
            .await
        })?;
        let mut after = current;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let before = row.texts;
            let mut fields = Vec::new();
            for (field, old, new) in [
                (TextField::Title, &before.title, &after.title),
                (TextField::Summary, &before.summary, &after.summary),
                (
                    TextField::PlainSummary,
                    &before.plain_summary,
                    &after.plain_summary,
                ),
                (TextField::Body, &before.body_markdown, &after.body_markdown),
            ] {
                if old != new {
                    fields.push((field, diff(old, new)));
                }
            }
            out.push(Change {
                changed_at: row.changed_at,
                note: row.note,
                fields,
            });
            after = before;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_word_shows_as_removed_and_added() {
        let d = diff(
            "Eins\nDer Weg ist breit.\nDrei",
            "Eins\nDer Weg ist schmal.\nDrei",
        );
        assert_eq!(
            d,
            vec![
                DiffLine::Context("Eins".into()),
                DiffLine::Changed(vec![
                    Segment::Same("Der Weg ist ".into()),
                    Segment::Removed("breit.".into()),
                    Segment::Added("schmal.".into()),
                ]),
                DiffLine::Context("Drei".into()),
            ]
        );
    }

    #[test]
    fn far_away_lines_are_left_out_and_added_lines_shown() {
        let old: Vec<String> = (1..=20).map(|i| format!("Zeile {i}")).collect();
        let mut new = old.clone();
        new.insert(10, "Neu".to_string());
        new.remove(0);
        let d = diff(&old.join("\n"), &new.join("\n"));
        assert_eq!(
            d[0],
            DiffLine::Changed(vec![Segment::Removed("Zeile 1".into())])
        );
        assert!(d.contains(&DiffLine::Changed(vec![Segment::Added("Neu".into())])));
        assert!(d
            .iter()
            .any(|l| matches!(l, DiffLine::Skipped(n) if *n > 3)));
        assert!(!d.contains(&DiffLine::Context("Zeile 5".into())));
    }

    #[test]
    fn equal_texts_have_no_difference() {
        assert!(diff("a\nb", "a\nb").is_empty());
    }
}
