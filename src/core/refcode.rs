//! Human reference codes made without any network: the kiosk's prefix, then a per-kiosk sequence in
//! Crockford base32, then one check character, e.g. `SK01-00A7-Q`. Shared by kiosk and hub: the
//! kiosk makes them, the hub checks that a reference's prefix is the one the sending kiosk makes
//! from its name ([`prefix_of`]), or a provisional prefix that kiosk took before it had a name
//! ([`is_provisional`]).
//!
//! Crockford's alphabet has no I, L, O or U, so a code read aloud or copied by hand survives, and
//! the decoder forgives the usual slips (O for 0, I/L for 1, lower case, missing dashes). The check
//! character is a Luhn mod 32 over the sequence digits, which catches every single wrong character
//! and every swap of two neighbours except `0`↔`Z` (Luhn's one blind spot).

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Sequence digits in a code: 32^4 = 1,048,576 registrations per kiosk id.
const DIGITS: usize = 4;

/// The largest sequence number a code can hold.
pub const MAX_SEQ: u64 = 32u64.pow(DIGITS as u32) - 1;

fn value_of(c: char) -> Option<u32> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .map(|p| p as u32)
}

fn luhn32(values: &[u32]) -> u32 {
    // Luhn mod N (N = 32): double every second value from the right.
    let mut sum = 0;
    for (i, &v) in values.iter().rev().enumerate() {
        let mut add = if i % 2 == 0 { v * 2 } else { v };
        add = add / 32 + add % 32;
        sum += add;
    }
    (32 - sum % 32) % 32
}

/// The longest prefix a code carries.
pub const PREFIX_MAX: usize = 8;

/// What every provisional prefix starts with: a kiosk that has no name at a hub yet saves its
/// records under `00` and six random characters, unique enough that kiosks saving before
/// enrolment never share one, and a shape no kiosk name is given ([`name_problem`]).
pub const PROVISIONAL_MARK: &str = "00";

/// Makes a kiosk's code prefix from its id: ASCII letters and digits, upper case, at most 8.
/// A name with none of those (a Thai name, say) makes `K`; the hub refuses such names.
#[must_use]
pub fn prefix_of(kiosk_id: &str) -> String {
    let p = letters_of(kiosk_id);
    if p.is_empty() { "K".to_owned() } else { p }
}

/// The ASCII letters and digits of a name, upper case, at most [`PREFIX_MAX`].
fn letters_of(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(PREFIX_MAX)
        .collect()
}

/// Whether `prefix` has the shape of a provisional prefix ([`PROVISIONAL_MARK`] and six
/// characters of the code alphabet).
#[must_use]
pub fn is_provisional(prefix: &str) -> bool {
    prefix.len() == PREFIX_MAX
        && prefix.starts_with(PROVISIONAL_MARK)
        && prefix.bytes().all(|b| ALPHABET.contains(&b))
}

/// A new provisional prefix from `random` bytes (six are used), for a kiosk with no name yet.
#[must_use]
pub fn provisional_from(random: [u8; 6]) -> String {
    let mut p = PROVISIONAL_MARK.to_owned();
    p.extend(
        random
            .iter()
            .map(|&b| char::from(ALPHABET[usize::from(b % 32)])),
    );
    p
}

/// Why `name` cannot be a kiosk's name at the hub, or `None` when it can: it must make a prefix
/// of its own (an ASCII letter or digit), and not one of the provisional shape.
#[must_use]
pub fn name_problem(name: &str) -> Option<String> {
    let letters = letters_of(name);
    if letters.is_empty() {
        return Some(format!(
            "kiosk name {name:?} has no ASCII letter or digit, so its receipts would have no prefix of their own: use a name such as SK01"
        ));
    }
    if is_provisional(&letters) {
        return Some(format!(
            "kiosk name {name:?} makes the prefix {letters}, and prefixes that start with {PROVISIONAL_MARK} belong to kiosks that saved records before they had a name: choose another name"
        ));
    }
    None
}

/// The prefix of a reference as printed (`SK01-00A7-Q` → `SK01`): what stands before its
/// sequence and check character.
#[must_use]
pub fn prefix_in(reference: &str) -> Option<&str> {
    let rest = reference.rsplitn(3, '-').nth(2)?;
    (!rest.is_empty()).then_some(rest)
}

/// Encodes sequence `seq` (at most [`MAX_SEQ`]) for a kiosk.
#[must_use]
pub fn encode(kiosk_id: &str, seq: u64) -> Option<String> {
    if seq > MAX_SEQ {
        return None;
    }
    let mut values = [0u32; DIGITS];
    let mut n = seq;
    for slot in values.iter_mut().rev() {
        *slot = (n % 32) as u32;
        n /= 32;
    }
    let body: String = values
        .iter()
        .map(|&v| char::from(ALPHABET[v as usize]))
        .collect();
    let check = char::from(ALPHABET[luhn32(&values) as usize]);
    Some(format!("{}-{body}-{check}", prefix_of(kiosk_id)))
}

/// Reads a code typed back by a clerk: returns the canonical code and its sequence, or `None` when
/// the shape or the check character is wrong.
#[must_use]
pub fn decode(code: &str) -> Option<(String, u64)> {
    let cleaned: Vec<char> = code.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    if cleaned.len() < DIGITS + 2 {
        return None;
    }
    let (prefix, tail) = cleaned.split_at(cleaned.len() - DIGITS - 1);
    let values: Vec<u32> = tail.iter().map(|&c| value_of(c)).collect::<Option<_>>()?;
    let (digits, check) = values.split_at(DIGITS);
    if luhn32(digits) != check[0] {
        return None;
    }
    let seq = digits.iter().fold(0u64, |acc, &v| acc * 32 + u64::from(v));
    let prefix: String = prefix.iter().collect();
    encode(&prefix, seq).map(|c| (c, seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_documented_shape() {
        assert_eq!(encode("sk01", 0).unwrap(), "SK01-0000-0");
        let c = encode("SK01", 1).unwrap();
        assert!(c.starts_with("SK01-0001-"), "{c}");
        assert_eq!(c.len(), "SK01-0001-X".len());
        assert_eq!(encode("SK01", MAX_SEQ + 1), None);
        assert_eq!(prefix_of("ห้อง 1 / desk-2"), "1DESK2");
        assert_eq!(prefix_of("ไทย"), "K");
    }

    #[test]
    fn names_and_provisional_prefixes() {
        assert_eq!(prefix_of("sk-01"), "SK01");
        assert_eq!(prefix_of("district-office-7"), "DISTRICT");
        assert!(name_problem("k1").is_none());
        assert!(name_problem("ห้องหนึ่ง").is_some());
        assert!(name_problem("00ABCDEF").is_some());
        assert!(
            name_problem("00AB").is_none(),
            "too short to be provisional"
        );
        let p = provisional_from([0, 1, 2, 31, 32, 255]);
        assert_eq!(p, "00012Z0Z");
        assert!(is_provisional(&p));
        assert!(!is_provisional("00ABCDE"), "seven characters");
        assert!(!is_provisional("01ABCDEF"), "no mark");
    }

    #[test]
    fn the_prefix_of_a_printed_reference() {
        let code = encode("SK01", 7).unwrap();
        assert_eq!(prefix_in(&code), Some("SK01"));
        let provisional = provisional_from([1; 6]);
        let code = encode(&provisional, 3).unwrap();
        assert_eq!(prefix_in(&code), Some(provisional.as_str()));
        assert!(is_provisional(prefix_in(&code).unwrap()));
        assert_eq!(prefix_in("SK01-0001"), None);
        assert_eq!(prefix_in("-0001-X"), None);
    }

    #[test]
    fn round_trip_and_forgiving_input() {
        for seq in [0, 1, 31, 32, 1000, 77_777, MAX_SEQ] {
            let code = encode("SK01", seq).unwrap();
            assert_eq!(decode(&code), Some((code.clone(), seq)));
            let sloppy = code.to_lowercase().replace('-', " ");
            assert_eq!(decode(&sloppy).map(|d| d.1), Some(seq));
        }
        let code = encode("SK01", 10).unwrap(); // SK01-000A-?
        assert_eq!(decode(&code.replace("000", "OOO")).map(|d| d.1), Some(10));
    }

    #[test]
    fn every_single_error_and_neighbour_swap_but_0_z_is_caught() {
        for seq in (0..MAX_SEQ).step_by(997) {
            let code = encode("SK01", seq).unwrap();
            let chars: Vec<char> = code.chars().collect();
            let start = code.len() - (DIGITS + 2); // first sequence digit
            for pos in (start..chars.len()).filter(|&p| chars[p] != '-') {
                for &a in ALPHABET {
                    let a = char::from(a);
                    if a == chars[pos] {
                        continue;
                    }
                    let mut wrong = chars.clone();
                    wrong[pos] = a;
                    let wrong: String = wrong.into_iter().collect();
                    assert_eq!(decode(&wrong), None, "{code} -> {wrong}");
                }
            }
            for pos in start..start + DIGITS - 1 {
                let mut swapped = chars.clone();
                swapped.swap(pos, pos + 1);
                let blind_spot = matches!((chars[pos], chars[pos + 1]), ('0', 'Z') | ('Z', '0'));
                if swapped != chars && !blind_spot {
                    let swapped: String = swapped.into_iter().collect();
                    assert_eq!(decode(&swapped), None, "{code} -> {swapped}");
                }
            }
        }
    }
}
