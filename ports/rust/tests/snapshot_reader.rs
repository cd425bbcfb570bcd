//! One test per refusal of the strict reader (SPEC §4), each checking rule and offset; plus a
//! seeded round-trip loop.

use db20::wire::le::put_u32_le;
use db20::wire::{load_state, validate_snapshot, validate_snapshot_stream, Rule, SnapshotState};
use db20::workload::SplitMix64;

mod common;

use common::fix_crc;

fn snapshot(pairs: &[(&str, &str)]) -> Vec<u8> {
    common::snapshot(7, pairs)
}

/// One byte per read: the stream reader must not depend on how the bytes arrive.
struct Trickle<'a>(&'a [u8]);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() || buf.is_empty() {
            return Ok(0);
        }
        buf[0] = self.0[0];
        self.0 = &self.0[1..];
        Ok(1)
    }
}

fn refuse(b: &[u8], rule: Rule, offset: usize) {
    let e = load_state(b).unwrap_err();
    assert_eq!((e.rule, e.offset), (rule, offset), "{}", e);
    assert!(e.to_string().starts_with(&format!("offset {}: ", offset)));
    // The stream reader (check FILE, N18) refuses the same bytes the same way.
    let s = validate_snapshot_stream(Trickle(b), b.len() as u64)
        .unwrap()
        .unwrap_err();
    assert_eq!((s.rule, s.offset), (rule, offset), "{}", s);
}

#[test]
fn the_stream_reader_accepts_what_the_array_reader_accepts() {
    let b = snapshot(&[("a", "1"), ("ab", ""), ("b", "xyz")]);
    let s = validate_snapshot_stream(Trickle(&b), b.len() as u64)
        .unwrap()
        .unwrap();
    assert_eq!((s.commit_index, s.entry_count), (7, 3));
    assert_eq!(Ok(s), validate_snapshot(&b));
    // A stream shorter than its stated size is a read failure, not a refusal.
    assert!(validate_snapshot_stream(Trickle(&b[..10]), b.len() as u64).is_err());
}

#[test]
fn refuses_wrong_magic() {
    let mut b = snapshot(&[]);
    b[0] = b'X';
    refuse(&fix_crc(b), Rule::BadMagic, 0);
}

#[test]
fn refuses_unknown_version() {
    let mut b = snapshot(&[]);
    b[4] = 2;
    refuse(&fix_crc(b), Rule::UnknownVersion, 4);
}

#[test]
fn refuses_nonzero_flags() {
    let mut b = snapshot(&[]);
    b[6] = 1;
    refuse(&fix_crc(b), Rule::NonzeroFlags, 6);
}

#[test]
fn refuses_buffer_that_ends_early() {
    let full = snapshot(&[("a", "v")]);
    refuse(&[], Rule::Truncated, 0);
    refuse(&full[..3], Rule::Truncated, 0);
    refuse(&full[..12], Rule::Truncated, 8);
    refuse(&full[..full.len() - 1], Rule::Truncated, 30);
}

#[test]
fn refuses_20_to_23_bytes_at_the_entry_count() {
    // SPEC §4.0 step 5: 24 + 9n bytes, n = 0 included; the CRC is never reached.
    let empty = snapshot(&[]);
    for size in 20..24 {
        refuse(&empty[..size], Rule::LengthPastEnd, 16);
    }
}

#[test]
fn refuses_entry_count_past_the_end() {
    let mut b = snapshot(&[("a", "v")]);
    put_u32_le(&mut b, 16, u32::MAX);
    refuse(&fix_crc(b), Rule::LengthPastEnd, 16);
}

#[test]
fn refuses_key_length_past_the_end() {
    let mut b = snapshot(&[("a", "v")]);
    put_u32_le(&mut b, 20, 60_000);
    refuse(&fix_crc(b), Rule::LengthPastEnd, 20);
}

#[test]
fn refuses_value_length_past_the_end() {
    let mut b = snapshot(&[("a", "v")]);
    put_u32_le(&mut b, 25, 1_000_000);
    refuse(&fix_crc(b), Rule::LengthPastEnd, 25);
}

#[test]
fn refuses_empty_key() {
    let mut b = snapshot(&[("a", "v")]);
    put_u32_le(&mut b, 20, 0);
    refuse(&fix_crc(b), Rule::EmptyKey, 20);
}

#[test]
fn refuses_key_over_limit() {
    let mut b = snapshot(&[("a", "v")]);
    put_u32_le(&mut b, 20, 65_536);
    refuse(&fix_crc(b), Rule::KeyTooLong, 20);
}

#[test]
fn refuses_value_over_limit() {
    let mut b = snapshot(&[("a", "v")]);
    put_u32_le(&mut b, 25, 1_048_577);
    refuse(&fix_crc(b), Rule::ValueTooLong, 25);
}

#[test]
fn refuses_keys_out_of_order() {
    let mut b = snapshot(&[("a", "1"), ("b", "2")]);
    b[24] = b'c';
    refuse(&fix_crc(b), Rule::KeysOutOfOrder, 30);
}

#[test]
fn refuses_repeated_key() {
    let mut b = snapshot(&[("a", "1"), ("b", "2")]);
    b[34] = b'a';
    refuse(&fix_crc(b), Rule::DuplicateKey, 30);
}

#[test]
fn refuses_bytes_after_the_crc() {
    let mut b = snapshot(&[("a", "v")]);
    b.push(0);
    refuse(&b, Rule::TrailingBytes, 34);
}

#[test]
fn refuses_crc_mismatch() {
    let mut b = SnapshotState {
        commit_index: 1,
        entries: vec![(b"a".to_vec(), b"v".to_vec())],
    }
    .encode();
    b[29] ^= 1;
    let e = load_state(&b).unwrap_err();
    assert_eq!((e.rule, e.offset), (Rule::CrcMismatch, 30));
    assert!(e.to_string().contains("stored CRC-32C 0xbd62cffd"), "{}", e);
}

#[test]
fn seeded_round_trip_and_bit_flips() {
    let mut g = SplitMix64::new(2026);
    for _ in 0..300 {
        let mut keys = std::collections::BTreeMap::new();
        for _ in 0..g.next() % 20 {
            let klen = 1 + (g.next() % 6) as usize;
            let key: Vec<u8> = (0..klen).map(|_| g.next() as u8).collect();
            let vlen = (g.next() % 10) as usize;
            keys.insert(key, (0..vlen).map(|_| g.next() as u8).collect::<Vec<u8>>());
        }
        let state = SnapshotState {
            commit_index: g.next(),
            entries: keys.into_iter().collect(),
        };
        let bytes = state.encode();
        assert_eq!(load_state(&bytes).unwrap(), state);
        let bit = (g.next() % (bytes.len() as u64 * 8)) as usize;
        let mut flipped = bytes.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        assert!(
            load_state(&flipped).is_err(),
            "flip of bit {} accepted",
            bit
        );
    }
}
