use super::*;

#[test]
fn a_sealed_record_opens_only_with_its_key_and_as_itself() {
    let sk = SecretKey::generate().unwrap();
    let pk = sk.public();
    let id = uuid::Uuid::now_v7();
    let aad = registration_aad("SK01", &id);
    let sealed = seal(&pk, &aad, b"{\"name\":\"x\"}").unwrap();
    assert_eq!(sealed.len(), 12 + OVERHEAD);
    assert_eq!(open(&sk, &aad, &sealed).unwrap(), b"{\"name\":\"x\"}");
    // Another record, another kiosk, another key, a changed byte: none opens.
    let other = registration_aad("SK01", &uuid::Uuid::now_v7());
    assert_eq!(open(&sk, &other, &sealed), Err(SealError::Open));
    assert_eq!(
        open(&sk, &registration_aad("SK02", &id), &sealed),
        Err(SealError::Open)
    );
    let stranger = SecretKey::generate().unwrap();
    assert_eq!(open(&stranger, &aad, &sealed), Err(SealError::Open));
    let mut bent = sealed.clone();
    *bent.last_mut().unwrap() ^= 1;
    assert_eq!(open(&sk, &aad, &bent), Err(SealError::Open));
    assert_eq!(open(&sk, &aad, &sealed[..20]), Err(SealError::TooShort));
}

#[test]
fn keys_round_trip_and_have_short_ids() {
    let sk = SecretKey::generate().unwrap();
    let pk = sk.public();
    assert_eq!(PublicKey::from_b64(&pk.to_b64()).unwrap(), pk);
    assert_eq!(SecretKey::from_bytes(sk.as_bytes()).unwrap().public(), pk);
    assert_eq!(pk.key_id().len(), 16);
    assert_ne!(
        SecretKey::generate().unwrap().public().key_id(),
        pk.key_id()
    );
    assert!(PublicKey::from_b64("AAAA").is_err());
    assert_eq!(format!("{sk:?}"), "SecretKey(…)");
}

#[test]
fn a_wrapped_secret_opens_with_its_pin_only() {
    let sk = SecretKey::generate().unwrap();
    let cost = Cost {
        memory_kib: 64,
        passes: 3,
    };
    let wrapped = wrap("2468", &sk, cost).unwrap();
    assert_eq!(wrapped.len(), WRAPPED_LEN);
    assert_eq!(
        cost_of(&wrapped).unwrap(),
        cost,
        "the cost is kept with the key"
    );
    assert_eq!(unwrap("2468", &wrapped).unwrap().public(), sk.public());
    assert_eq!(unwrap("2469", &wrapped).unwrap_err(), SealError::Open);
    // A fresh salt each time: the same PIN never wraps the same bytes.
    assert_ne!(wrap("2468", &sk, cost).unwrap(), wrapped);
    // A key wrapped before costs were stored (no header) opens with the cost it had.
    let old = wrap("2468", &sk, Cost::OLD).unwrap();
    assert_eq!(unwrap("2468", &old[10..]).unwrap().public(), sk.public());
    assert_eq!(cost_of(&old[10..]).unwrap(), Cost::OLD);
}

#[test]
fn calibration_takes_passes_over_64_mib_for_the_target() {
    use std::time::Duration;
    let quick = Cost::calibrate(Duration::from_nanos(1)).unwrap();
    assert_eq!(
        (quick.memory_kib, quick.passes),
        (MEMORY_KIB, 2),
        "at least two passes"
    );
    let slow = Cost::calibrate(Duration::from_secs(3600)).unwrap();
    assert_eq!(
        slow.passes, 64,
        "at most 64 passes, however slow the machine"
    );
    assert_eq!(Cost::calibrate(Duration::ZERO).unwrap(), Cost::LEAST);
}

#[test]
fn the_keyed_hash_depends_on_the_key() {
    let a = keyed_hash(&[1; 32], "ID:1112034563562");
    assert_eq!(a.len(), 64);
    assert_eq!(a, keyed_hash(&[1; 32], "ID:1112034563562"));
    assert_ne!(a, keyed_hash(&[2; 32], "ID:1112034563562"));
    assert!(!a.contains("1112034563562"));
}

#[test]
fn a_sealer_shares_one_encapsulation_until_its_key_is_used_up() {
    let sk = SecretKey::generate().unwrap();
    let mut kiosk = Sealer::new(&sk.public()).unwrap();
    let opener = Opener::new(sk.clone());
    let aad = |i: u32| registration_aad("SK01", &uuid::Uuid::from_u128(u128::from(i)));
    let sealed: Vec<Vec<u8>> = (0..=RECORDS_PER_KEY)
        .map(|i| kiosk.seal(&aad(i), &i.to_be_bytes()).unwrap())
        .collect();
    // One encapsulation for the first RECORDS_PER_KEY records, a new one after.
    assert!(
        sealed[..RECORDS_PER_KEY as usize]
            .iter()
            .all(|s| s[..32] == sealed[0][..32])
    );
    assert_ne!(sealed[RECORDS_PER_KEY as usize][..32], sealed[0][..32]);
    // Never the same nonce twice under one key.
    let nonces: std::collections::HashSet<&[u8]> = sealed.iter().map(|s| &s[32..44]).collect();
    assert_eq!(nonces.len(), sealed.len());
    for (i, s) in (0..).zip(&sealed) {
        assert_eq!(opener.open(&aad(i), s).unwrap(), i.to_be_bytes());
        assert_eq!(open(&sk, &aad(i), s).unwrap(), i.to_be_bytes());
    }
    // Under the shared key, each record still opens only as itself.
    assert_eq!(opener.open(&aad(1), &sealed[2]), Err(SealError::Open));
    let mut bent = sealed[3].clone();
    bent[40] ^= 1;
    assert_eq!(opener.open(&aad(3), &bent), Err(SealError::Open));
    let mut other_enc = sealed[4].clone();
    other_enc[..32].copy_from_slice(&sealed[RECORDS_PER_KEY as usize][..32]);
    assert_eq!(opener.open(&aad(4), &other_enc), Err(SealError::Open));
    let stranger = Opener::new(SecretKey::generate().unwrap());
    assert_eq!(stranger.open(&aad(0), &sealed[0]), Err(SealError::Open));
}
