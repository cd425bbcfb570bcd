//! Every offset and size of the canonical snapshot, format version 1 (SPEC §4; Java:
//! `SnapshotFormat`). Each offset is the previous offset plus the previous size.

pub const MAGIC: [u8; 4] = *b"DB20";
pub const VERSION: u16 = 1;
pub const FLAGS: u16 = 0;

pub const OFFSET_MAGIC: usize = 0;
pub const SIZE_MAGIC: usize = 4;
pub const OFFSET_VERSION: usize = OFFSET_MAGIC + SIZE_MAGIC;
pub const SIZE_VERSION: usize = 2;
pub const OFFSET_FLAGS: usize = OFFSET_VERSION + SIZE_VERSION;
pub const SIZE_FLAGS: usize = 2;
pub const OFFSET_COMMIT_INDEX: usize = OFFSET_FLAGS + SIZE_FLAGS;
pub const SIZE_COMMIT_INDEX: usize = 8;
pub const OFFSET_ENTRY_COUNT: usize = OFFSET_COMMIT_INDEX + SIZE_COMMIT_INDEX;
pub const SIZE_ENTRY_COUNT: usize = 4;
/// Where the first entry starts; also the size of the fixed header.
pub const HEADER_SIZE: usize = OFFSET_ENTRY_COUNT + SIZE_ENTRY_COUNT;
pub const SIZE_LENGTH_PREFIX: usize = 4;
pub const SIZE_CRC: usize = 4;
pub const MIN_SNAPSHOT_SIZE: usize = HEADER_SIZE + SIZE_CRC;

pub const MIN_KEY_LEN: usize = 1;
pub const MAX_KEY_LEN: usize = 65_535;
pub const MAX_VALUE_LEN: usize = 1_048_576;
/// Two length prefixes and a one-byte key.
pub const MIN_ENTRY_SIZE: usize = 2 * SIZE_LENGTH_PREFIX + MIN_KEY_LEN;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_the_spec_table() {
        assert_eq!(
            [
                OFFSET_MAGIC,
                OFFSET_VERSION,
                OFFSET_FLAGS,
                OFFSET_COMMIT_INDEX,
                OFFSET_ENTRY_COUNT,
                HEADER_SIZE
            ],
            [0, 4, 6, 8, 16, 20]
        );
        assert_eq!(MIN_SNAPSHOT_SIZE, 24);
        assert_eq!(MIN_ENTRY_SIZE, 9);
    }
}
