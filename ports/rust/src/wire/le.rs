//! Little-endian writes and reads; width and byte order are in every name (Java: `LittleEndian`).

pub fn put_u16_le(buf: &mut [u8], offset: usize, v: u16) {
    buf[offset] = v as u8;
    buf[offset + 1] = (v >> 8) as u8;
}

pub fn put_u32_le(buf: &mut [u8], offset: usize, v: u32) {
    for i in 0..4 {
        buf[offset + i] = (v >> (8 * i)) as u8;
    }
}

pub fn put_u64_le(buf: &mut [u8], offset: usize, v: u64) {
    for i in 0..8 {
        buf[offset + i] = (v >> (8 * i)) as u8;
    }
}

pub fn get_u16_le(buf: &[u8], offset: usize) -> u16 {
    buf[offset] as u16 | (buf[offset + 1] as u16) << 8
}

pub fn get_u32_le(buf: &[u8], offset: usize) -> u32 {
    (0..4).fold(0u32, |v, i| v | (buf[offset + i] as u32) << (8 * i))
}

pub fn get_u64_le(buf: &[u8], offset: usize) -> u64 {
    (0..8).fold(0u64, |v, i| v | (buf[offset + i] as u64) << (8 * i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_significant_byte_first() {
        let mut b = [0u8; 9];
        put_u64_le(&mut b, 1, 0x0102_0304_0506_0708);
        assert_eq!(b, [0, 8, 7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(get_u64_le(&b, 1), 0x0102_0304_0506_0708);
        put_u32_le(&mut b, 0, 0xfdcf_62bd);
        assert_eq!(&b[..4], &[0xbd, 0x62, 0xcf, 0xfd]);
        assert_eq!(get_u32_le(&b, 0), 0xfdcf_62bd);
        put_u16_le(&mut b, 0, 0xbeef);
        assert_eq!(&b[..2], &[0xef, 0xbe]);
        assert_eq!(get_u16_le(&b, 0), 0xbeef);
    }
}
