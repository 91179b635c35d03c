//! Rust code as tokens for the architecture test: identifiers, `::` and single punctuation, with
//! comments (line, block, nested block, doc), string literals (plain, raw, byte, C) and character
//! literals left out, so that neither hides code nor invents a path. Lifetimes are left out too.

/// One token of code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Ident(String),
    /// `::`
    Path,
    Punct(char),
}

/// The tokens of `text`, without comments (line, block, nested block, doc), string, raw string,
/// byte string or character literals. Lifetimes are left out too.
pub fn tokens(text: &str) -> Vec<Tok> {
    let c: Vec<char> = text.chars().collect();
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '/' if at(i + 1) == '/' => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(i + 1) == '*' => i = skip_block_comment(&c, i),
            '"' => i = skip_string(&c, i + 1),
            // A character literal ('a', '\n', '\''), or a lifetime ('a, 'static).
            '\'' if at(i + 1) == '\\' || at(i + 2) == '\'' => i = skip_char(&c, i + 1),
            '\'' => {
                i += 1;
                while i < c.len() && ident(c[i]) {
                    i += 1;
                }
            }
            ':' if at(i + 1) == ':' => {
                out.push(Tok::Path);
                i += 2;
            }
            ch if ident(ch) => {
                let start = i;
                while i < c.len() && ident(c[i]) {
                    i += 1;
                }
                let word: String = c[start..i].iter().collect();
                let raw = matches!(word.as_str(), "r" | "br" | "cr");
                match (word.as_str(), at(i)) {
                    // Prefixed literals: b"..", c"..", b'.', r".." and r#".."# (br, cr).
                    ("b" | "c", '"') => i = skip_string(&c, i + 1),
                    ("b", '\'') => i = skip_char(&c, i + 1),
                    (_, '"') if raw => i = skip_raw_string(&c, i),
                    (_, '#') if raw && matches!(at(i + 1), '"' | '#') => {
                        i = skip_raw_string(&c, i);
                    }
                    // A raw identifier (r#type): the name follows.
                    ("r", '#') => i += 1,
                    _ => out.push(Tok::Ident(word)),
                }
            }
            ch if ch.is_whitespace() => i += 1,
            ch => {
                out.push(Tok::Punct(ch));
                i += 1;
            }
        }
    }
    out
}

/// Past the block comment (nested ones too) starting at `i`.
fn skip_block_comment(c: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < c.len() {
        if c[i..].starts_with(&['/', '*']) {
            depth += 1;
            i += 2;
        } else if c[i..].starts_with(&['*', '/']) {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// Past the string literal whose first character is at `i` (after its opening quote).
fn skip_string(c: &[char], mut i: usize) -> usize {
    while i < c.len() && c[i] != '"' {
        i += if c[i] == '\\' { 2 } else { 1 };
    }
    i + 1
}

/// Past the character literal whose first character is at `i` (after its opening quote).
fn skip_char(c: &[char], mut i: usize) -> usize {
    i += if c.get(i) == Some(&'\\') { 2 } else { 1 };
    while i < c.len() && c[i] != '\'' {
        i += 1;
    }
    i + 1
}

/// Past the raw string whose hashes (or quote) start at `i`: `#"…"#`.
fn skip_raw_string(c: &[char], mut i: usize) -> usize {
    let hashes = c[i..].iter().take_while(|&&h| h == '#').count();
    i += hashes + 1;
    let end: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    while i < c.len() && !c[i..].starts_with(&end) {
        i += 1;
    }
    i + end.len()
}
