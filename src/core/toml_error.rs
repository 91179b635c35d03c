//! TOML errors in words a person editing the file can act on: the line, the key, what is wrong.
//! Used for `config.toml` and for campaign files alike.

/// One line for a TOML error: the line number, the key when there is one, and what is wrong.
#[must_use]
pub fn describe(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim().replace('\n', " ");
    let Some(span) = err.span() else {
        return message;
    };
    let start = span.start.min(text.len());
    let line_no = text[..start].matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    match line
        .split_once('=')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty())
    {
        Some(key) => format!("line {line_no}, key `{key}`: {message}"),
        None => format!("line {line_no}: {message}"),
    }
}

/// The line of the `n`-th (from 0) `[[table]]` header in `text`, for an error found after
/// parsing that is about one entry of an array of tables.
#[must_use]
pub fn table_line(text: &str, table: &str, n: usize) -> Option<usize> {
    let header = format!("[[{table}]]");
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == header)
        .nth(n)
        .map(|(i, _)| i + 1)
}
