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
    let wrapped = wrap("2468", &sk).unwrap();
    assert_eq!(wrapped.len(), WRAPPED_LEN);
    assert_eq!(unwrap("2468", &wrapped).unwrap().public(), sk.public());
    assert_eq!(unwrap("2469", &wrapped).unwrap_err(), SealError::Open);
    // A fresh salt each time: the same PIN never wraps the same bytes.
    assert_ne!(wrap("2468", &sk).unwrap(), wrapped);
}

#[test]
fn the_keyed_hash_depends_on_the_key() {
    let a = keyed_hash(&[1; 32], "ID:1112034563562");
    assert_eq!(a.len(), 64);
    assert_eq!(a, keyed_hash(&[1; 32], "ID:1112034563562"));
    assert_ne!(a, keyed_hash(&[2; 32], "ID:1112034563562"));
    assert!(!a.contains("1112034563562"));
}
