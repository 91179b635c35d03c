//! The hub's house, file by file: no file-level import cycle inside `src/hub/` (file A names a
//! path into file B's module, B names one back into A's, however long the way round), and no
//! file there, in `src/kiosk/` or in `src/core/` over 400 lines.

use std::collections::{BTreeMap, BTreeSet};

use super::scan::module_of;

/// Files longer than this are split by what they do.
pub const MAX_LINES: usize = 400;

/// The file-level graph of `files` (path inside `src/`, named paths) restricted to those under
/// `under`: each file with the files whose modules it names (itself left out, and a `mod.rs`'s
/// own children as bare names: `mod x;` declares, it does not use).
pub fn file_graph(
    files: &[(String, Vec<String>)],
    under: &str,
) -> BTreeMap<String, BTreeSet<String>> {
    let inside: Vec<&(String, Vec<String>)> = files
        .iter()
        .filter(|(rel, _)| rel.starts_with(under))
        .collect();
    // A file's module as a full path (`crate::hub::web::guard`) → the file.
    let by_module: BTreeMap<String, &str> = inside
        .iter()
        .map(|(rel, _)| {
            let mut path = vec!["crate".to_owned()];
            path.extend(module_of(rel));
            (path.join("::"), rel.as_str())
        })
        .collect();
    let mut graph = BTreeMap::new();
    for (rel, named) in &inside {
        let mut own = vec!["crate".to_owned()];
        own.extend(module_of(rel));
        let own = own.join("::");
        let declares = |path: &str| {
            rel.ends_with("mod.rs")
                && path
                    .strip_prefix(own.as_str())
                    .and_then(|rest| rest.strip_prefix("::"))
                    .is_some_and(|child| !child.contains("::"))
        };
        let mut to = BTreeSet::new();
        for path in named.iter().filter(|p| !declares(p)) {
            // The longest prefix of the path that is a file's module.
            let segments: Vec<&str> = path.split("::").collect();
            let file = (1..=segments.len())
                .rev()
                .find_map(|n| by_module.get(&segments[..n].join("::")));
            if let Some(file) = file
                && *file != rel.as_str()
            {
                to.insert((*file).to_owned());
            }
        }
        graph.insert(rel.clone(), to);
    }
    graph
}

/// The cycles of `graph`: each strongly connected set of more than one file (Tarjan).
pub fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w.as_str()) {
                    self.visit(w);
                    let lw = self.low[w.as_str()];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w.as_str()) {
                    let iw = self.index[w.as_str()];
                    let lv = self.low.get_mut(v).unwrap();
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut set = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    set.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if set.len() > 1 {
                    set.sort();
                    self.found.push(set);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}
