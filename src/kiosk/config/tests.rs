//! Tests of config resolution: defaults, file, environment and flags, and the error messages.

use std::collections::HashMap;

use super::*;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |k| map.get(k).cloned()
}

#[test]
fn a_missing_file_gives_offline_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let flags = Overrides {
        data_dir: Some(dir.path().into()),
        ..Overrides::default()
    };
    let c = load(&flags, &env_of(&[])).unwrap();
    assert_eq!(c.hub_url, None);
    assert_eq!(c.lang, Lang::Th);
    assert_eq!(c.kiosk_id, "KIOSK");
    assert_eq!(c.retention_days, 7);
    assert_eq!(c.config_path, dir.path().join("config.toml"));
    assert_eq!(c.queue_path(), dir.path().join("queue.sqlite3"));
}

#[test]
fn file_then_env_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "kiosk_id = \"SK01\"\nhub_url = \"http://file\"\nlang = \"en\"\n[sync]\nbatch_max_records = 7\n",
    )
    .unwrap();
    let flags = Overrides {
        data_dir: Some(dir.path().into()),
        ..Overrides::default()
    };
    let c = load(&flags, &env_of(&[])).unwrap();
    assert_eq!(
        (c.kiosk_id.as_str(), c.hub_url.as_ref().map(HubUrls::first)),
        ("SK01", Some("http://file"))
    );
    assert_eq!(c.lang, Lang::En);
    assert_eq!(c.sync.batch_max_records, 7);
    assert_eq!(
        c.sync.batch_max_bytes,
        SyncSettings::default().batch_max_bytes
    );

    let env = env_of(&[("RUAMJAI_HUB_URL", "http://env"), ("RUAMJAI_LANG", "th")]);
    let c = load(&flags, &env).unwrap();
    assert_eq!(
        (c.hub_url.as_ref().map(HubUrls::first), c.lang),
        (Some("http://env"), Lang::Th)
    );

    let flags = Overrides {
        lang: Some(Lang::En),
        ..flags
    };
    assert_eq!(load(&flags, &env).unwrap().lang, Lang::En);
}

#[test]
fn env_data_dir_and_config_path() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("elsewhere.toml");
    std::fs::write(&other, "kiosk_id = \"X9\"\n").unwrap();
    let data = dir.path().join("data").display().to_string();
    let other_s = other.display().to_string();
    let env = env_of(&[
        ("RUAMJAI_DATA_DIR", data.as_str()),
        ("RUAMJAI_CONFIG", other_s.as_str()),
    ]);
    let c = load(&Overrides::default(), &env).unwrap();
    assert_eq!(c.kiosk_id, "X9");
    assert_eq!(c.data_dir, dir.path().join("data"));
    assert_eq!(c.campaigns_dir(), dir.path().join("campaigns"));
}

#[test]
fn a_malformed_file_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "kiosk_id = \"SK01\"\nretention_days = \"seven\"\n").unwrap();
    let flags = Overrides {
        config: Some(path.clone()),
        ..Overrides::default()
    };
    let err = load(&flags, &env_of(&[])).unwrap_err().to_string();
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains("retention_days"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    std::fs::write(&path, "kiosk_idd = \"SK01\"\n").unwrap();
    let err = load(&flags, &env_of(&[])).unwrap_err().to_string();
    assert!(err.contains("line 1") && err.contains("kiosk_idd"), "{err}");
    let bad_lang = env_of(&[("RUAMJAI_LANG", "fr")]);
    std::fs::write(&path, "").unwrap();
    assert!(
        load(&flags, &bad_lang)
            .unwrap_err()
            .to_string()
            .contains("RUAMJAI_LANG")
    );
}

#[cfg(unix)]
#[test]
fn a_token_readable_by_others_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "hub_token = \"secret\"\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let flags = Overrides {
        config: Some(path.clone()),
        ..Overrides::default()
    };
    let c = load(&flags, &env_of(&[])).unwrap();
    assert_eq!(c.hub_token.as_deref(), Some("secret"));
    assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(load(&flags, &env_of(&[])).unwrap().warnings.is_empty());

    let token = dir.path().join("token");
    std::fs::write(&token, "from-file\n").unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::fs::write(&path, "hub_token_file = \"token\"\n").unwrap();
    let c = load(&flags, &env_of(&[])).unwrap();
    assert_eq!(c.hub_token.as_deref(), Some("from-file"));
    assert_eq!(c.warnings.len(), 1);
}

fn urls(c: &Config) -> Vec<&str> {
    c.hub_url.as_ref().map_or_else(Vec::new, |u| {
        u.as_slice().iter().map(String::as_str).collect()
    })
}

#[test]
fn hub_url_is_one_address_or_a_list_in_the_order_of_preference() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let flags = Overrides {
        config: Some(path.clone()),
        data_dir: Some(dir.path().into()),
        ..Overrides::default()
    };
    let read = |text: &str| {
        std::fs::write(&path, text).unwrap();
        load(&flags, &env_of(&[])).unwrap()
    };
    let c = read("kiosk_id = \"SK01\"\nhub_url = \"https://hub-a\"\n");
    assert_eq!(urls(&c), ["https://hub-a"]);
    let c = read(
        "kiosk_id = \"SK01\"\nhub_url = [\"https://hub-a\", \" https://hub-b:8443 \", \"\", \"https://hub-a\"]\n",
    );
    assert_eq!(urls(&c), ["https://hub-a", "https://hub-b:8443"]);
    assert_eq!(c.hub_url.as_ref().unwrap().first(), "https://hub-a");
    // An empty list, like an empty string, is no hub.
    assert_eq!(read("hub_url = []\n").hub_url, None);
    assert_eq!(read("hub_url = \"  \"\n").hub_url, None);
    // Anything else names the key and what it takes.
    std::fs::write(&path, "hub_url = 8080\n").unwrap();
    let err = load(&flags, &env_of(&[])).unwrap_err().to_string();
    assert!(
        err.contains("hub_url") && err.contains("list of URLs"),
        "{err}"
    );
    std::fs::write(&path, "hub_url = [\"https://a\", 2]\n").unwrap();
    let err = load(&flags, &env_of(&[])).unwrap_err().to_string();
    assert!(err.contains("hub_url"), "{err}");
}

#[test]
fn the_environment_gives_a_list_separated_by_commas_or_spaces() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "kiosk_id = \"SK01\"\nhub_url = [\"https://file-a\", \"https://file-b\"]\n",
    )
    .unwrap();
    let flags = Overrides {
        data_dir: Some(dir.path().into()),
        ..Overrides::default()
    };
    let with = |v: &str| load(&flags, &env_of(&[("RUAMJAI_HUB_URL", v)])).unwrap();
    assert_eq!(urls(&with("http://a:1")), ["http://a:1"]);
    assert_eq!(
        urls(&with("http://a:1,http://b:2 , http://c:3\thttp://d:4\n")),
        ["http://a:1", "http://b:2", "http://c:3", "http://d:4"]
    );
    assert_eq!(urls(&with(" ,, ")), Vec::<&str>::new(), "blank: no hub");
    let c = load(&flags, &env_of(&[])).unwrap();
    assert_eq!(urls(&c), ["https://file-a", "https://file-b"]);
    assert_eq!(
        c.hub_url.unwrap().to_string(),
        "https://file-a, https://file-b"
    );
}
