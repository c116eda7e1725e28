//! `--output table`, as `awscli/formatter.py`'s `TableFormatter` builds it and
//! `awscli/table.py`'s `MultiTable` draws it.
//!
//! **Building** (`TableFormatter._build_table`). Nothing is printed for a "falsy" value (`null`,
//! `false`, `0`, `""`, `[]`, `{}`). Otherwise a section titled with the operation name opens, and:
//!
//! * an object: its scalar keys, sorted, become a header row over one row of values — or, for a
//!   single scalar key, one `key | value` row; each non-scalar key, sorted, then becomes a
//!   sub-section titled with the key and indented one level more;
//! * a list whose first element is an object: the sorted union of the elements' scalar keys is
//!   the header and each element a row (`''` where a key is missing); when the elements have
//!   non-scalar keys, every element after the first opens a new section with the same title and
//!   header, and its non-scalar values follow it as indented sub-sections;
//! * any other list: a scalar element is a one-cell row, a list of scalars is a row (this is how
//!   `Images[*].[ImageId,Name,CreationDate]` prints), anything else is walked without opening a
//!   section;
//! * a scalar at the top level: only the title is printed, not the value.
//!
//! Cells are Python's `str` of the value (`True`, `None`, `1.5`, a `repr` for a list or object).
//! Rows of different lengths in one section make awscli raise `ValueError` before anything is
//! printed (as do other shapes its code does not expect); [`render`] then returns `""`.
//!
//! **Drawing** (`MultiTable.render`). The table is as wide as its widest section: a section's
//! width is the sum of its columns' widths (the widest cell or header, counting East Asian wide
//! and ambiguous characters twice, plus 4), plus 2 for the borders and 2 per indentation level,
//! but at least its title plus 2 (plus indentation). If that exceeds the terminal width, every
//! section with a header and a single row is turned into `header | value` rows and the width is
//! worked out again; the table is never wrapped or cut. Each section's columns are then scaled
//! to fill the width (Python's `round`, half to even, with the remainder taken off the first
//! columns or added to the last ones). A line of `-` opens the table; each section prints its
//! centred title between `|`, header cells centred and row cells left-aligned with two spaces of
//! padding, with `+---+` lines above the header, above the rows and below them; a title with no
//! header and no rows is closed by `+---+`. Indented sections are framed by one `|` per level on
//! each side. No colour is used when stdout is not a terminal.

use super::{py_str, text_length};
use serde_json::{Map, Value};

/// The terminal width awscli's `determine_terminal_width` assumes when stdout is not a terminal.
pub const NON_TTY_TERMINAL_WIDTH: usize = 80;

/// awscli raised an exception while building the table, so it printed nothing.
#[derive(Debug)]
struct Failed;

/// The `table` output of `value` titled `title`, for a terminal `terminal_width` columns wide
/// ([`NON_TTY_TERMINAL_WIDTH`] when stdout is not a terminal).
pub fn render(title: &str, value: &Value, terminal_width: usize) -> String {
    let mut table = MultiTable {
        sections: Vec::new(),
        terminal_width: terminal_width as i64,
    };
    match table.build(Some(title), value, 0) {
        Ok(true) => table.render(),
        Ok(false) | Err(Failed) => String::new(),
    }
}

/// A Python "falsy" JSON value.
fn is_falsy(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// A section of `awscli/table.py`: a title (`None` for the untitled sections a list inside a
/// list can open, which still count as four characters wide), a header, rows of cells.
#[derive(Debug, Default)]
struct Section {
    title: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent_level: i64,
    num_cols: Option<usize>,
    max_widths: Vec<i64>,
}

impl Section {
    fn add_header(&mut self, headers: Vec<String>) -> Result<(), Failed> {
        self.update_max_widths(&headers)?;
        if self.num_cols.is_none() {
            self.num_cols = Some(headers.len());
        }
        self.headers = headers;
        Ok(())
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), Failed> {
        let num_cols = *self.num_cols.get_or_insert(row.len());
        if row.len() != num_cols {
            return Err(Failed); // ValueError: Row should have N elements
        }
        self.update_max_widths(&row)?;
        self.rows.push(row);
        Ok(())
    }

    fn update_max_widths(&mut self, row: &[String]) -> Result<(), Failed> {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|c| text_length(c) as i64).collect();
        } else {
            for (i, cell) in row.iter().enumerate() {
                let width = self.max_widths.get_mut(i).ok_or(Failed)?; // IndexError
                *width = (*width).max(text_length(cell) as i64);
            }
        }
        Ok(())
    }

    /// The columns' widths plus `padding`, scaled to add up to `max_width` when given.
    fn column_widths(&self, padding: i64, max_width: Option<i64>) -> Vec<i64> {
        let unscaled: Vec<i64> = self.max_widths.iter().map(|w| w + padding).collect();
        let (Some(max_width), false) = (max_width, unscaled.is_empty()) else {
            return unscaled;
        };
        let scale = max_width as f64 / unscaled.iter().sum::<i64>() as f64;
        let mut scaled: Vec<i64> = unscaled
            .iter()
            .map(|w| (scale * *w as f64).round_ties_even() as i64)
            .collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width;
        while off_by != 0 {
            let order: Vec<usize> = if off_by < 0 {
                (0..scaled.len()).rev().collect()
            } else {
                (0..scaled.len()).collect()
            };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled
    }

    fn title_width(&self) -> i64 {
        match &self.title {
            Some(t) => text_length(t) as i64,
            None => 4, // len(str(None))
        }
    }

    /// `Section.total_width(padding=4, with_border=True, outer_padding=indent_level)`.
    fn total_width(&self) -> i64 {
        let outer = self.indent_level;
        let columns: i64 = self.column_widths(0, None).iter().map(|w| w + 4).sum();
        (self.title_width() + 2 + 2 * outer).max(columns + 2 + 2 * outer)
    }

    fn shown_title(&self) -> Option<&str> {
        self.title.as_deref().filter(|t| !t.is_empty())
    }
}

struct MultiTable {
    sections: Vec<Section>,
    terminal_width: i64,
}

impl MultiTable {
    fn new_section(&mut self, title: Option<&str>, indent_level: i64) {
        self.sections.push(Section {
            title: title.map(str::to_string),
            indent_level,
            ..Section::default()
        });
    }

    fn current(&mut self) -> Result<&mut Section, Failed> {
        self.sections.last_mut().ok_or(Failed)
    }

    fn add_row(&mut self, row: Vec<String>) -> Result<(), Failed> {
        self.current()?.add_row(row)
    }

    fn add_row_header(&mut self, headers: Vec<String>) -> Result<(), Failed> {
        self.current()?.add_header(headers)
    }

    /// `TableFormatter._build_table`: whether there is anything to print.
    fn build(&mut self, title: Option<&str>, current: &Value, indent: i64) -> Result<bool, Failed> {
        if is_falsy(current) {
            return Ok(false);
        }
        if let Some(title) = title {
            self.new_section(Some(title), indent);
        }
        match current {
            Value::Array(items) if items[0].is_object() => {
                self.sub_table_from_list(items, indent, title)?
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Array(cells) if cells.iter().all(is_scalar) => {
                            self.add_row(cells.iter().map(py_str).collect())?
                        }
                        // Iterating a dict yields its keys, which are all scalars.
                        Value::Object(map) => self.add_row(map.keys().cloned().collect())?,
                        Value::Array(_) => {
                            self.build(None, item, 0)?;
                        }
                        scalar => self.add_row(vec![py_str(scalar)])?,
                    }
                }
            }
            Value::Object(map) => self.sub_table_from_dict(map, indent)?,
            _ => {}
        }
        Ok(true)
    }

    fn sub_table_from_dict(&mut self, map: &Map<String, Value>, indent: i64) -> Result<(), Failed> {
        let (headers, more) = group_scalar_keys(map);
        if headers.len() == 1 {
            let value = py_str(&map[&headers[0]]);
            self.add_row(vec![headers[0].clone(), value])?;
        } else if !headers.is_empty() {
            let row = headers.iter().map(|k| py_str(&map[k])).collect();
            self.add_row_header(headers)?;
            self.add_row(row)?;
        }
        for key in more {
            self.build(Some(&key), &map[&key], indent + 1)?;
        }
        Ok(())
    }

    fn sub_table_from_list(
        &mut self,
        items: &[Value],
        indent: i64,
        title: Option<&str>,
    ) -> Result<(), Failed> {
        // Every element must be a dict (awscli calls `.get` on each).
        let maps: Vec<&Map<String, Value>> = items
            .iter()
            .map(|item| item.as_object().ok_or(Failed))
            .collect::<Result<_, _>>()?;
        let mut headers = Vec::new();
        let mut more = Vec::new();
        for map in &maps {
            let (h, m) = group_scalar_keys(map);
            headers.extend(h);
            more.extend(m);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.add_row_header(headers.clone())?;
        for (i, map) in maps.iter().enumerate() {
            if i > 0 && !more.is_empty() {
                self.new_section(title, indent);
                self.add_row_header(headers.clone())?;
            }
            let row = headers
                .iter()
                .map(|h| map.get(h).map(py_str).unwrap_or_default())
                .collect();
            self.add_row(row)?;
            for key in &more {
                if let Some(value) = map.get(key) {
                    self.build(Some(key), value, indent + 1)?;
                }
            }
        }
        Ok(())
    }

    fn max_width(&self) -> i64 {
        self.sections
            .iter()
            .map(Section::total_width)
            .max()
            .unwrap_or(0)
    }

    fn render(&mut self) -> String {
        let mut max_width = self.max_width();
        if max_width > self.terminal_width {
            convert_to_vertical(&mut self.sections);
            max_width = self.max_width();
        }
        let mut out = String::new();
        out.push_str(&dashes(max_width));
        out.push('\n');
        for section in &self.sections {
            render_section(&mut out, section, max_width);
        }
        out
    }
}

/// The sorted scalar and non-scalar keys of an object.
fn group_scalar_keys(map: &Map<String, Value>) -> (Vec<String>, Vec<String>) {
    let (mut headers, mut more): (Vec<String>, Vec<String>) =
        map.keys().cloned().partition(|k| is_scalar(&map[k]));
    headers.sort();
    more.sort();
    (headers, more)
}

/// `convert_to_vertical_table`: a section with a header and a single row becomes one
/// `header | value` row per column.
fn convert_to_vertical(sections: &mut [Section]) {
    for section in sections.iter_mut() {
        if section.rows.len() == 1 && !section.headers.is_empty() {
            let mut vertical = Section {
                title: section.title.take(),
                indent_level: section.indent_level,
                ..Section::default()
            };
            for (header, cell) in section.headers.iter().zip(&section.rows[0]) {
                // Rows of two cells each: this cannot fail.
                let _ = vertical.add_row(vec![header.clone(), cell.clone()]);
            }
            *section = vertical;
        }
    }
}

fn dashes(n: i64) -> String {
    "-".repeat(n.max(0) as usize)
}

fn spaces(n: i64) -> String {
    " ".repeat(n.max(0) as usize)
}

/// `center_text`.
fn center_text(text: &str, length: i64, left_edge: &str, right_edge: &str) -> String {
    let text_len = text_length(text) as i64;
    let char_start = length.div_euclid(2) - text_len.div_euclid(2) - 1;
    let so_far = left_edge.len() as i64 + char_start + text_len;
    let right_spaces = length - right_edge.len() as i64 - so_far;
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        spaces(char_start),
        spaces(right_spaces)
    )
}

/// `align_left` with a left padding of 2.
fn align_left(text: &str, length: i64, left_edge: &str, right_edge: &str) -> String {
    let text_len = text_length(text) as i64;
    let needed = text_len + 2 + left_edge.len() as i64 + right_edge.len() as i64;
    let padding = if length - needed >= 0 { 2 } else { 0 };
    let so_far = left_edge.len() as i64 + padding + text_len;
    format!(
        "{left_edge}{}{text}{}{right_edge}",
        spaces(padding),
        spaces(length - so_far - right_edge.len() as i64)
    )
}

/// Writes one line framed by the section's indentation (`IndentedStream`).
fn write_line(out: &mut String, indent: i64, line: &str) {
    let frame = "|".repeat(indent.max(0) as usize);
    out.push_str(&frame);
    out.push_str(line);
    out.push_str(&frame);
    out.push('\n');
}

/// `+----+-----+` over the given column widths.
fn line_break(widths: &[i64]) -> String {
    let mut line = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            line.push('+');
            line.push_str(&dashes(w - 2));
        } else {
            line.push_str(&dashes(w - 1));
        }
        line.push('+');
    }
    line
}

fn render_section(out: &mut String, section: &Section, max_width: i64) {
    let indent = section.indent_level;
    let width = max_width - 2 * indent;
    if let Some(title) = section.shown_title() {
        write_line(out, indent, &center_text(title, width, "|", "|"));
        if section.headers.is_empty() && section.rows.is_empty() {
            write_line(out, indent, &format!("+{}+", dashes(width - 2)));
        }
    }
    if !section.headers.is_empty() {
        let widths = section.column_widths(4, Some(width));
        let mut line = String::new();
        for (i, (w, header)) in widths.iter().zip(&section.headers).enumerate() {
            let left = if i == 0 { "|" } else { "" };
            line.push_str(&center_text(header, *w, left, "|"));
        }
        write_line(out, indent, &line_break(&widths));
        write_line(out, indent, &line);
    }
    if !section.rows.is_empty() {
        let widths = section.column_widths(4, Some(width));
        if widths.is_empty() {
            return;
        }
        write_line(out, indent, &line_break(&widths));
        for row in &section.rows {
            let mut line = String::new();
            for (i, (w, cell)) in widths.iter().zip(row).enumerate() {
                let left = if i == 0 { "|" } else { "" };
                line.push_str(&align_left(cell, *w, left, "|"));
            }
            write_line(out, indent, &line);
        }
        write_line(out, indent, &line_break(&widths));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(v: Value) -> String {
        render("DescribeImages", &v, NON_TTY_TERMINAL_WIDTH)
    }

    #[test]
    fn a_list_of_lists_is_rows_under_the_title() {
        let v = json!([
            ["ami-1", "web", "2024-01-01"],
            ["ami-22", "db", "2024-02-02"]
        ]);
        assert_eq!(
            table(v),
            "---------------------------------\n\
             |        DescribeImages         |\n\
             +---------+------+--------------+\n\
             |  ami-1  |  web |  2024-01-01  |\n\
             |  ami-22 |  db  |  2024-02-02  |\n\
             +---------+------+--------------+\n"
        );
    }

    #[test]
    fn falsy_values_print_nothing_and_scalars_only_the_title() {
        for v in [
            json!(null),
            json!(false),
            json!(0),
            json!(""),
            json!([]),
            json!({}),
        ] {
            assert_eq!(table(v), "");
        }
        assert_eq!(
            table(json!("ami-1")),
            "----------------\n|DescribeImages|\n+--------------+\n"
        );
    }

    #[test]
    fn rows_of_different_lengths_print_nothing() {
        assert_eq!(table(json!([["a", "b"], ["c"]])), "");
    }

    #[test]
    fn a_single_scalar_key_is_a_key_value_row() {
        assert_eq!(
            render("GetCallerIdentity", &json!({"Account": "123"}), 80),
            "--------------------\n\
             | GetCallerIdentity|\n\
             +----------+-------+\n\
             |  Account |  123  |\n\
             +----------+-------+\n"
        );
    }

    #[test]
    fn wide_single_row_sections_turn_vertical() {
        let v = json!({"A": "x".repeat(40), "B": "y".repeat(40)});
        let out = render("Op", &v, 80);
        assert!(out
            .lines()
            .all(|l| l.len() == out.lines().next().unwrap().len()));
        assert!(out.contains("|  A|  xxxx"), "{out}");
        // A wider terminal keeps the header row.
        let wide = render("Op", &v, 200);
        assert!(
            wide.contains("|                     A                     |"),
            "{wide}"
        );
    }
}
