//! Tests of `thai::date`: parsing as forms are typed, the BE/CE rules of THAI.md §7, ages at a
//! reference date, and the clock conversion.

use proptest::prelude::*;

use super::*;

fn d(day: u8, month: u8, year_be: u16) -> ThaiDate {
    ThaiDate {
        day: Some(day),
        month: Some(month),
        year_be,
    }
}

fn parse(s: &str) -> Result<ThaiDate, DateError> {
    ThaiDate::parse(s)
}

#[test]
fn parses_what_clerks_type() {
    let want = Ok(d(5, 7, 2490));
    for s in [
        "05/07/2490",
        "5/7/2490",
        "๐๕/๐๗/๒๔๙๐",
        "05-07-2490",
        "05.07.2490",
        "05 07 2490",
        " 5 / 7 / 2490 ",
    ] {
        assert_eq!(parse(s), want, "{s:?}");
    }
    let year_only = Ok(ThaiDate {
        day: None,
        month: None,
        year_be: 2490,
    });
    for s in [
        "2490",
        "๒๔๙๐",
        "-/-/2490",
        "--/--/2490",
        "??/??/2490",
        "00/00/2490",
        "0/0/2490",
        "?-?-2490",
    ] {
        assert_eq!(parse(s), year_only, "{s:?}");
    }
    let month_only = Ok(ThaiDate {
        day: None,
        month: Some(7),
        year_be: 2490,
    });
    assert_eq!(parse("-/07/2490"), month_only);
    assert_eq!(parse("??/7/2490"), month_only);
    assert_eq!(parse("00/07/2490"), month_only);
}

#[test]
fn refuses_with_a_reason() {
    use DateError::*;
    let cases = [
        ("", Empty),
        ("   ", Empty),
        (
            "05/07/1947",
            LooksLikeCe {
                year: 1947,
                suggested_be: 2490,
            },
        ),
        (
            "2021",
            LooksLikeCe {
                year: 2021,
                suggested_be: 2564,
            },
        ),
        ("2800", YearOutOfRange),
        ("05/13/2490", BadMonth),
        ("31/02/2490", BadDay),
        ("30/02/2492", BadDay),
        ("31/04/2490", BadDay),
        ("32/01/2490", BadDay),
        ("05/-/2490", DayWithoutMonth),
        ("05/07/90", Format),
        ("05/07/24900", Format),
        ("abc", Format),
        ("05/07", Format),
        ("1/2/3/2490", Format),
        ("05/07/2490x", Format),
        ("123/07/2490", Format),
        ("05//2490", Format),
        ("-/-/-", Format),
    ];
    for (s, want) in cases {
        assert_eq!(parse(s), Err(want), "{s:?}");
    }
    assert_eq!(ThaiDate::new(Some(0), Some(1), 2500), Err(BadDay));
    assert_eq!(ThaiDate::new(None, Some(0), 2500), Err(BadMonth));
}

#[test]
fn leap_days_on_the_ce_year() {
    assert_eq!(parse("29/02/2543"), Ok(d(29, 2, 2543))); // 2000
    assert_eq!(parse("29/02/2567"), Ok(d(29, 2, 2567))); // 2024
    assert_eq!(parse("29/02/2566"), Err(DateError::BadDay)); // 2023
    assert_eq!(parse("29/02/2643"), Err(DateError::BadDay)); // 2100
    // Before BE 2484, February is in CE year BE−542.
    assert_eq!(parse("29/02/2482"), Ok(d(29, 2, 2482))); // Feb 1940: leap
    assert_eq!(parse("29/02/2483"), Err(DateError::BadDay)); // counted as Feb 1941
    assert_eq!(parse("29/02/2487"), Ok(d(29, 2, 2487))); // Feb 1944
}

#[test]
fn ce_year_and_the_old_new_year() {
    assert_eq!(d(15, 2, 2482).year_ce(), 1940);
    assert_eq!(d(15, 4, 2482).year_ce(), 1939);
    assert_eq!(d(31, 12, 2482).year_ce(), 1939);
    assert_eq!(d(15, 2, 2484).year_ce(), 1941);
    assert_eq!(d(1, 1, 2564).year_ce(), 2021);
    assert_eq!(
        ThaiDate {
            day: None,
            month: None,
            year_be: 2482
        }
        .year_ce(),
        1939
    );
}

#[test]
fn ages_at_a_reference_date() {
    let reference = d(16, 7, 2564);
    assert_eq!(d(17, 7, 2494).age_at(reference), 69);
    assert_eq!(d(16, 7, 2494).age_at(reference), 70);
    assert_eq!(d(1, 1, 2564).age_at(reference), 0);
    assert_eq!(d(1, 1, 2565).age_at(reference), 0); // not born yet
    // Born 29 Feb: a year older on 1 Mar in a common year.
    assert_eq!(d(29, 2, 2543).age_at(d(28, 2, 2562)), 18);
    assert_eq!(d(29, 2, 2543).age_at(d(1, 3, 2562)), 19);
    // Across the calendar change: 15/02/2482 is 15 Feb 1940.
    assert_eq!(d(15, 2, 2482).age_at(d(14, 2, 2563)), 79);
    assert_eq!(d(15, 2, 2482).age_at(d(15, 2, 2563)), 80);
}

#[test]
fn ages_with_unknown_parts_take_the_latest_birth_date() {
    let year_only = ThaiDate {
        day: None,
        month: None,
        year_be: 2494,
    };
    assert_eq!(year_only.age_at(d(16, 7, 2564)), 69);
    assert_eq!(year_only.age_at(d(31, 12, 2564)), 70);
    let month_only = ThaiDate {
        day: None,
        month: Some(7),
        year_be: 2494,
    };
    assert_eq!(month_only.age_at(d(30, 7, 2564)), 69);
    assert_eq!(month_only.age_at(d(31, 7, 2564)), 70);
    // BE 2480 ran to 31 March 1938.
    let old = ThaiDate {
        day: None,
        month: None,
        year_be: 2480,
    };
    assert_eq!(old.age_at(d(30, 3, 2561)), 79);
    assert_eq!(old.age_at(d(31, 3, 2561)), 80);
}

#[test]
fn format_and_compare() {
    assert_eq!(d(5, 7, 2490).format(), "05/07/2490");
    assert_eq!(
        ThaiDate {
            day: None,
            month: None,
            year_be: 2490
        }
        .format(),
        "--/--/2490"
    );
    assert_eq!(
        ThaiDate {
            day: None,
            month: Some(7),
            year_be: 2490
        }
        .format(),
        "--/07/2490"
    );
    assert!(d(2, 1, 2567).is_after(&d(1, 1, 2567)));
    assert!(!d(1, 1, 2567).is_after(&d(1, 1, 2567)));
    let year_only = ThaiDate {
        day: None,
        month: None,
        year_be: 2567,
    };
    assert!(!year_only.is_after(&d(1, 6, 2567)) && !d(1, 6, 2567).is_after(&year_only));
    assert!(d(1, 1, 2568).is_after(&year_only));
    // 1 Feb 2483 (counted as 1941) comes after 1 Dec 2483 (1940).
    assert!(d(1, 2, 2483).is_after(&d(1, 12, 2483)));
    let today = d(16, 7, 2564);
    assert_eq!(
        d(17, 7, 2564).check_not_future(&today),
        Err(DateError::InFuture)
    );
    assert_eq!(d(16, 7, 2564).check_not_future(&today), Ok(()));
}

#[test]
fn civil_dates_from_the_clock() {
    // Expected values from an independent calendar (Python's datetime).
    assert_eq!(today_be_from_unix(0, 0), d(1, 1, 2513));
    assert_eq!(today_be_from_unix(-1, 0), d(31, 12, 2512));
    assert_eq!(today_be_from_unix(1_625_000_000, 0), d(29, 6, 2564));
    assert_eq!(today_be_from_unix(1_625_000_000, 25_200), d(30, 6, 2564));
    assert_eq!(today_be_from_unix(951_782_400, 0), d(29, 2, 2543));
    assert_eq!(today_be_from_unix(1_709_251_199, 0), d(29, 2, 2567));
    assert_eq!(today_be_from_unix(1_709_251_199, 25_200), d(1, 3, 2567));
    assert_eq!(today_be_from_unix(-1_000_000_000, 0), d(24, 4, 2481));
}

#[test]
fn messages_in_both_languages() {
    use DateError::*;
    let all = [
        Empty,
        Format,
        LooksLikeCe {
            year: 1947,
            suggested_be: 2490,
        },
        YearOutOfRange,
        BadMonth,
        BadDay,
        DayWithoutMonth,
        InFuture,
    ];
    let mut seen = std::collections::HashSet::new();
    for e in all {
        assert_eq!(e.say(Lang::En), e.to_string());
        assert!(
            e.say(Lang::Th).contains(|c: char| ('ก'..='ฮ').contains(&c)),
            "{e:?}"
        );
        assert!(
            seen.insert(e.say(Lang::Th)) && seen.insert(e.say(Lang::En)),
            "{e:?}"
        );
    }
    let ce = LooksLikeCe {
        year: 1947,
        suggested_be: 2490,
    };
    assert!(ce.say(Lang::Th).contains("2490") && ce.say(Lang::En).contains("2490"));
}

fn any_date() -> impl Strategy<Value = ThaiDate> {
    (
        MIN_YEAR_BE..=MAX_YEAR_BE,
        proptest::option::of(1u8..=12),
        1u8..=31,
        any::<bool>(),
    )
        .prop_filter_map("no such day", |(y, m, day, day_known)| {
            let day = m.filter(|_| day_known).map(|_| day);
            ThaiDate::new(day, m, y).ok()
        })
}

#[test]
fn an_iso_day_shows_in_the_buddhist_era() {
    assert_eq!(iso_to_be("2021-08-02").as_deref(), Some("02/08/2564"));
    assert_eq!(iso_to_be("2024-02-29").as_deref(), Some("29/02/2567"));
    assert_eq!(iso_to_be("1940-02-01").as_deref(), Some("01/02/2482"));
    for bad in [
        "2023-02-29",
        "2021-13-01",
        "2021-8-2",
        "02/08/2564",
        "",
        "2021-08-02x",
    ] {
        assert_eq!(iso_to_be(bad), None, "{bad}");
        assert_eq!(iso_to_be_or_as_is(bad), bad, "shown as it came");
    }
    assert_eq!(iso_to_be_or_as_is("2021-07-16"), "16/07/2564");
}

#[test]
fn today_in_thailand_turns_at_its_midnight_not_utcs() {
    // 16:59:59 and 17:00 UTC on 15 July 2021: 23:59:59 on the 15th and midnight on the 16th in
    // Thailand.
    let before = 1_626_368_399_000;
    assert_eq!(thai_today_iso(before), "2021-07-15");
    assert_eq!(thai_today_iso(before + 1_000), "2021-07-16");
}

proptest! {
    #![proptest_config(crate::core::thai::proptest_config())]

    #[test]
    fn format_parses_back(date in any_date()) {
        prop_assert_eq!(ThaiDate::parse(&date.format()), Ok(date));
    }

    #[test]
    fn age_counts_birthdays(day in 1u8..=28, month in 1u8..=12, year in 2484u16..=2600, n in 1u16..=100) {
        let born = d(day, month, year);
        prop_assert_eq!(born.age_at(d(day, month, year + n)), u32::from(n));
        let eve = if day > 1 { d(day - 1, month, year + n) } else if month > 1 {
            d(28, month - 1, year + n)
        } else {
            d(31, 12, year + n - 1)
        };
        prop_assert_eq!(born.age_at(eve), u32::from(n) - 1);
    }

    #[test]
    fn clock_dates_are_valid(secs in -2_000_000_000i64..4_000_000_000, off in -43_200i32..=50_400) {
        let today = today_be_from_unix(secs, off);
        prop_assert_eq!(ThaiDate::new(today.day, today.month, today.year_be), Ok(today));
        let tomorrow = today_be_from_unix(secs + 86_400, off);
        prop_assert!(tomorrow.is_after(&today));
    }
}
