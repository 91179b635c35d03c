//! The paths a Rust file names, read the way the compiler reads them, closely enough to keep the
//! architecture's arrows: comments, string and character literals are left out; every `use` tree
//! (grouped, nested, with `self`, `super::`, `crate::` or a child module first) is expanded into
//! full paths, resolved against the file's module path; and every path in the code (`a::b`, or a
//! name a `use` brought in) is resolved the same way. `crate::x::y` for our own items; an external
//! crate's path as written (`rusqlite::Connection`, `std::fs::read`).
//!
//! Not a parser: macros are read as code, and a name a glob (`use x::*`) brought in is not
//! followed (the glob itself is named, `x::*`).

use std::collections::HashMap;

use super::lex::{Tok, tokens};

/// The module path of the file at `rel` inside `src/` (`hub/dashboard/view.rs` is
/// `hub::dashboard::view`, `queue/mod.rs` is `queue`, `lib.rs` and `main.rs` the crate root).
pub fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_owned).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// A module scope while reading: its path, and the brace depth its `{` opened (None: the file).
struct Scope {
    path: Vec<String>,
    depth: Option<usize>,
}

/// What a file declares and names, before the names are resolved.
#[derive(Default)]
struct Read {
    /// Child modules (`mod x;`, `mod x { … }`), by name: their full path.
    mods: HashMap<String, Vec<String>>,
    /// Names a `use` brought in (its last segment, or its `as`): the path as written, and the
    /// module it was written in.
    aliases: HashMap<String, (Vec<String>, Vec<String>)>,
    /// Every `use` leaf and every path in code, as written, with the module it is in.
    paths: Vec<(Vec<String>, Vec<String>)>,
}

/// Every path the file at `rel` (inside `src/`) names, each once, segments joined by `::`.
pub fn named_paths(rel: &str, text: &str) -> Vec<String> {
    let toks = tokens(text);
    let mut scopes = vec![Scope {
        path: module_of(rel),
        depth: None,
    }];
    let mut read = Read::default();
    let mut depth = 0;
    let mut i = 0;
    while i < toks.len() {
        let here = scopes.last().map(|s| s.path.clone()).unwrap_or_default();
        match &toks[i] {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth -= 1;
                if scopes.last().is_some_and(|s| s.depth == Some(depth)) {
                    scopes.pop();
                }
            }
            Tok::Ident(kw) if kw == "mod" => {
                if let (Some(Tok::Ident(name)), Some(next)) = (toks.get(i + 1), toks.get(i + 2)) {
                    let mut path = here.clone();
                    path.push(name.clone());
                    read.mods.insert(name.clone(), with_crate(&path));
                    if *next == Tok::Punct('{') {
                        scopes.push(Scope {
                            path,
                            depth: Some(depth),
                        });
                        depth += 1;
                        i += 3;
                        continue;
                    }
                }
            }
            // `use<…>` is precise capturing in a signature, not an import.
            Tok::Ident(kw) if kw == "use" && toks.get(i + 1) != Some(&Tok::Punct('<')) => {
                let mut leaves = Vec::new();
                i = use_tree(&toks, i + 1, &[], &mut leaves);
                for (path, alias) in leaves {
                    if let Some(alias) = alias.filter(|a| a != "_") {
                        read.aliases.insert(alias, (path.clone(), here.clone()));
                    }
                    read.paths.push((path, here.clone()));
                }
                continue;
            }
            Tok::Ident(first) => {
                // Not a field or method (`.x`), nor the middle of a path read already.
                let inside = i > 0 && matches!(toks[i - 1], Tok::Path | Tok::Punct('.'));
                let mut path = vec![first.clone()];
                while toks.get(i + 1) == Some(&Tok::Path) {
                    let Some(Tok::Ident(next)) = toks.get(i + 2) else {
                        break;
                    };
                    path.push(next.clone());
                    i += 2;
                }
                if !inside {
                    read.paths.push((path, here));
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut named: Vec<String> = read
        .paths
        .iter()
        // One name alone counts when it is ours to resolve (`Queue` after `use …::Queue`).
        .filter(|(p, _)| {
            p.len() > 1 || read.aliases.contains_key(&p[0]) || read.mods.contains_key(&p[0])
        })
        .map(|(p, here)| resolve(p, here, &read, 0).join("::"))
        .collect();
    named.sort();
    named.dedup();
    named
}

/// Reads the use tree starting at `i` under `prefix`, adding each leaf (its path and the name it
/// brings in, none for a glob); returns the index after the tree.
fn use_tree(
    toks: &[Tok],
    mut i: usize,
    prefix: &[String],
    leaves: &mut Vec<(Vec<String>, Option<String>)>,
) -> usize {
    let mut path = prefix.to_vec();
    if toks.get(i) == Some(&Tok::Path) {
        // `::std::x`: an external crate.
        i += 1;
    }
    loop {
        match toks.get(i) {
            // `{self, …}`: the prefix itself, known by its last name.
            Some(Tok::Ident(seg)) if seg == "self" && !prefix.is_empty() && path == prefix => {
                i += 1;
                let alias = as_alias(toks, &mut i).or_else(|| prefix.last().cloned());
                leaves.push((path, alias));
                return i;
            }
            Some(Tok::Ident(seg)) => {
                path.push(seg.clone());
                i += 1;
            }
            Some(Tok::Punct('*')) => {
                path.push("*".into());
                leaves.push((path, None));
                return i + 1;
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                while i < toks.len() && toks[i] != Tok::Punct('}') {
                    let before = i;
                    i = use_tree(toks, i, &path, leaves);
                    if toks.get(i) == Some(&Tok::Punct(',')) || i == before {
                        i += 1;
                    }
                }
                return i + 1;
            }
            _ => return i,
        }
        if toks.get(i) == Some(&Tok::Path) {
            i += 1;
            continue;
        }
        let alias = as_alias(toks, &mut i).or_else(|| path.last().cloned());
        leaves.push((path, alias));
        return i;
    }
}

/// `as name` at `i`, if there, stepping past it.
fn as_alias(toks: &[Tok], i: &mut usize) -> Option<String> {
    match (toks.get(*i), toks.get(*i + 1)) {
        (Some(Tok::Ident(kw)), Some(Tok::Ident(name))) if kw == "as" => {
            *i += 2;
            Some(name.clone())
        }
        _ => None,
    }
}

/// `path` as written in module `here`: `crate::…` for our own items (through `crate`, `self`,
/// `super`, a child module or a name a `use` brought in), an external crate's path as it is.
fn resolve(path: &[String], here: &[String], read: &Read, hops: usize) -> Vec<String> {
    let Some(first) = path.first() else {
        return Vec::new();
    };
    let rest = &path[1..];
    let mut out = match first.as_str() {
        // `ruamjai::` is the library as the binary (main.rs) names it.
        "crate" | "ruamjai" => return with_crate(rest),
        "self" => here.to_vec(),
        "super" => {
            let ups = path.iter().take_while(|s| *s == "super").count();
            let mut out = with_crate(&here[..here.len().saturating_sub(ups)]);
            out.extend_from_slice(&path[ups..]);
            return out;
        }
        _ => match (read.aliases.get(first), read.mods.get(first)) {
            // A `use` that names itself (`use x::y as x`) is not followed round.
            (Some((to, at)), _) if hops < 8 && to != path => resolve(to, at, read, hops + 1),
            (_, Some(module)) => module.clone(),
            _ => return path.to_vec(),
        },
    };
    if first == "self" {
        out = with_crate(&out);
    }
    out.extend_from_slice(rest);
    out
}

fn with_crate(path: &[String]) -> Vec<String> {
    std::iter::once("crate".to_owned())
        .chain(path.iter().cloned())
        .collect()
}

/// Whether the named path `named` is `target` or inside it (`crate::form::Campaign` is inside
/// `crate::form`; `crate::formatting` is not), or a glob that brings it in (`crate::queue::*`
/// brings in `crate::queue::Queue`).
pub fn within(named: &str, target: &str) -> bool {
    let target: Vec<&str> = target.trim_end_matches("::").split("::").collect();
    let named: Vec<&str> = named.split("::").collect();
    if named.starts_with(&target) {
        return true;
    }
    named.last() == Some(&"*") && target.starts_with(&named[..named.len() - 1])
}
