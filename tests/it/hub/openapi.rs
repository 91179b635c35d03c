//! `assets/openapi.yaml` documents exactly the route table (`hub::web::routes::ROUTES`): each
//! operation's method, path and `operationId`, read line by line from its `paths:` (no YAML
//! crate: the file's layout is two spaces a path, four a method, six its fields).

use std::collections::BTreeSet;

use ruamjai::hub::web::routes::ROUTES;

/// (method, path, operationId) of every operation under `paths:`.
fn documented(spec: &str) -> BTreeSet<(String, String, String)> {
    let mut found = BTreeSet::new();
    let (mut in_paths, mut path, mut method) = (false, None::<String>, None::<String>);
    for line in spec.lines() {
        if line == "paths:" {
            in_paths = true;
            continue;
        }
        if in_paths && !line.is_empty() && !line.starts_with(' ') {
            break;
        }
        if !in_paths {
            continue;
        }
        if let Some(p) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
            && !p.starts_with(' ')
        {
            path = Some(p.to_owned());
            method = None;
        } else if let Some(m) = line.strip_prefix("    ").and_then(|l| l.strip_suffix(':'))
            && ["get", "post", "put", "patch", "delete", "head"].contains(&m)
        {
            method = Some(m.to_uppercase());
        } else if let Some(id) = line.strip_prefix("      operationId: ") {
            let (p, m) = (
                path.clone().unwrap(),
                method.take().expect("operationId under a method"),
            );
            found.insert((m, p, id.trim().to_owned()));
        }
    }
    found
}

#[test]
fn the_openapi_file_documents_exactly_the_route_table() {
    let spec = include_str!("../../../assets/openapi.yaml");
    assert!(spec.starts_with("openapi: 3.1"));
    let documented = documented(spec);
    let table: BTreeSet<(String, String, String)> = ROUTES
        .iter()
        .map(|r| {
            (
                r.method.to_owned(),
                r.path.to_owned(),
                r.operation_id.to_owned(),
            )
        })
        .collect();
    assert_eq!(table.len(), ROUTES.len(), "a route is declared twice");
    let missing: Vec<_> = table.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&table).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "in the route table, not in openapi.yaml: {missing:?}\nin openapi.yaml, not in the route table: {extra:?}"
    );
    // Every operation of the file has an operationId (so none escapes the comparison).
    let operations = spec
        .lines()
        .filter(|l| {
            l.strip_prefix("    ")
                .is_some_and(|l| l == "get:" || l == "post:")
        })
        .count();
    assert_eq!(operations, ROUTES.len());
}

#[test]
fn every_route_has_its_own_metric_label_and_operation() {
    let labels: BTreeSet<(&str, &str)> = ROUTES.iter().map(|r| (r.method, r.label)).collect();
    assert_eq!(labels.len(), ROUTES.len());
    assert!(ROUTES.iter().all(|r| r.label != "other"));
    let ids: BTreeSet<&str> = ROUTES.iter().map(|r| r.operation_id).collect();
    assert_eq!(ids.len(), ROUTES.len());
}
