//! Bar charts drawn on the server as SVG: no chart library in the browser, nothing to load, the
//! same picture with and without JavaScript and on paper. Each chart has a text alternative
//! (`<title>`, with every value) and stands beside a data table with the same numbers.

use crate::ui::escape_html as escape;

/// One bar: its label, its length (in the chart's unit) and the value written at its end.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

const WIDTH: u32 = 640;
const LABEL_WIDTH: u32 = 220;
const VALUE_WIDTH: u32 = 90;
const ROW: u32 = 30;
const BAR: u32 = 18;
/// The brand blue: 8.6:1 against white, well above the 3:1 graphics need (WCAG 1.4.11).
const FILL: &str = "#0b5394";
const INK: &str = "#1a1a1a";
/// Longer labels are cut in the picture (the table beside it has them whole).
const LABEL_CHARS: usize = 30;

/// A horizontal bar chart. `max` is the value of a full-length bar (at least every value);
/// `summary` names what is shown for the text alternative, which then lists every bar.
pub fn bars(summary: &str, bars: &[Bar], max: f64) -> String {
    let max = bars.iter().map(|b| b.value).fold(max, f64::max);
    let span = f64::from(WIDTH - LABEL_WIDTH - VALUE_WIDTH);
    let height = ROW * bars.len().max(1) as u32 + 8;
    let alternative = std::iter::once(summary.to_string())
        .chain(bars.iter().map(|b| format!("{}: {}", b.label, b.text)))
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">\
         <title>{}</title>",
        escape(&alternative)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = ROW * i as u32 + 4;
        let length = if max > 0.0 && b.value > 0.0 {
            (b.value / max * span).max(1.0)
        } else {
            0.0
        };
        let label = shorten(&b.label);
        out.push_str(&format!(
            "<g aria-hidden=\"true\">\
             <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" fill=\"{INK}\" font-size=\"14\">{label}</text>\
             <rect x=\"{LABEL_WIDTH}\" y=\"{ry}\" width=\"{length:.1}\" height=\"{BAR}\" fill=\"{FILL}\"/>\
             <text x=\"{vx:.1}\" y=\"{ty}\" fill=\"{INK}\" font-size=\"14\">{value}</text></g>",
            lx = LABEL_WIDTH - 8,
            ty = y + 14,
            ry = y + 1,
            vx = f64::from(LABEL_WIDTH) + length + 6.0,
            label = escape(&label),
            value = escape(&b.text),
        ));
    }
    out.push_str("</svg>");
    out
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.to_string(),
            value,
            text: format!("{value}"),
        }
    }

    #[test]
    fn bar_lengths_are_proportional_to_the_values() {
        let svg = bars(
            "Frage",
            &[bar("Ja", 30.0), bar("Nein", 10.0), bar("Enthaltung", 0.0)],
            40.0,
        );
        let span = f64::from(WIDTH - LABEL_WIDTH - VALUE_WIDTH);
        assert!(
            svg.contains(&format!("width=\"{:.1}\"", 30.0 / 40.0 * span)),
            "{svg}"
        );
        assert!(
            svg.contains(&format!("width=\"{:.1}\"", 10.0 / 40.0 * span)),
            "{svg}"
        );
        assert!(svg.contains("width=\"0.0\""), "a zero is no bar: {svg}");
        assert_eq!(svg.matches("<rect").count(), 3);
    }

    #[test]
    fn the_text_alternative_names_every_bar() {
        let svg = bars(
            "Wie finden Sie das?",
            &[bar("Gut", 2.0), bar("Schlecht", 1.0)],
            3.0,
        );
        assert!(
            svg.contains("<title>Wie finden Sie das?; Gut: 2; Schlecht: 1</title>"),
            "{svg}"
        );
        assert!(svg.contains("role=\"img\""));
    }

    #[test]
    fn labels_are_escaped_and_long_ones_cut() {
        let svg = bars(
            "<script>",
            &[bar(
                "<img src=x onerror=alert(1)> & \"quotes\" and a very long tail",
                1.0,
            )],
            1.0,
        );
        assert!(!svg.contains("<script>") && !svg.contains("<img"), "{svg}");
        assert!(svg.contains("&lt;img src=x"), "{svg}");
        assert!(svg.contains('…'), "the picture cuts long labels: {svg}");
        assert!(
            svg.contains("very long tail: 1</title>"),
            "the alternative keeps them: {svg}"
        );
    }

    #[test]
    fn a_value_above_the_given_maximum_widens_the_scale() {
        let svg = bars("x", &[bar("a", 8.0)], 4.0);
        let span = f64::from(WIDTH - LABEL_WIDTH - VALUE_WIDTH);
        assert!(svg.contains(&format!("width=\"{span:.1}\"")), "{svg}");
    }
}
