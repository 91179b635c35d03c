//! Keeping only what the counter needs: the on-screen copies of acknowledged records go at the
//! end of a shift and after `retain_hours`; waiting records keep theirs, and every record its
//! hub copy (sent again if the hub's store lost it).

use super::tests::{open, rec};
use crate::core::protocol::Outcome;

#[test]
fn acknowledged_records_lose_their_on_screen_copy_waiting_ones_keep_it() {
    let (_d, mut q) = open();
    let ids: Vec<_> = (0..3).map(|n| q.enqueue(&rec(n), 100).unwrap().0).collect();
    let accepted = Outcome::Accepted {
        hub_reference: "RJ-0000001".into(),
    };
    q.lease("a", 2, 1 << 20, 1000, 500).unwrap();
    q.record_outcomes(&[(ids[0], accepted.clone())], 2_000)
        .unwrap();
    q.record_outcomes(&[(ids[1], accepted)], 9_000).unwrap();
    // Acknowledged at or before 5,000: the first only.
    assert_eq!(q.drop_shown_acknowledged(5_000).unwrap(), 1);
    let shown = |q: &super::Queue, i: usize| q.get(ids[i]).unwrap().unwrap().registration.is_some();
    assert!(!shown(&q, 0), "its names are gone");
    assert!(shown(&q, 1) && shown(&q, 2));
    assert_eq!(
        q.get(ids[0]).unwrap().unwrap().server_reference.as_deref(),
        Some("RJ-0000001"),
        "the reference and outcome stay"
    );
    // Its hub copy stays, to send again if the hub's store lost it.
    assert_eq!(q.resend_acknowledged_since(0).unwrap(), 2);
    // The end of a shift takes every acknowledged one's, never a waiting one's.
    q.record_outcomes(
        &[(
            ids[1],
            Outcome::Accepted {
                hub_reference: "RJ-0000002".into(),
            },
        )],
        9_500,
    )
    .unwrap();
    q.close_shift();
    q.open_shift(super::tests::PIN, 10_000).unwrap();
    assert!(!shown(&q, 1), "acknowledged: gone at the end of the shift");
    assert!(shown(&q, 2), "still waiting: kept");
}
