//! NHS numbers in text: a patient's identifier, which nothing a register publishes should hold.
//! An NHS number is ten digits whose last is a check digit (modulus 11, NHS Data Dictionary,
//! "NHS Number"): the first nine are weighted 10 down to 2 and summed, and the check digit is
//! 11 less the sum's remainder on division by 11 (11 becomes 0; 10 is never issued).
//!
//! Found written as ten digits together or in the usual 3-3-4 groups (`943 476 5919`, with
//! spaces, hyphens or no-break spaces). Not read as one: digits that run on into a longer
//! number (`01632 960 1234 5`, `12.9434765919`), digits inside a word or code
//! (`a9434765919`), and ten copies of one digit (`0000000000` passes the check, but is a
//! placeholder, not a person). Dates, ODS codes (letters and digits) and UK telephone numbers
//! (eleven digits) are none of these.

/// An NHS number found in a text: where (byte offsets) and its ten digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub digits: String,
}

/// Whether ten digits pass the modulus-11 check.
pub fn is_valid(digits: &[u8; 10]) -> bool {
    let sum: u32 = digits[..9].iter().zip((2..=10).rev()).map(|(d, w)| u32::from(*d) * w).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(digits[9])
}

/// Separators a number's groups may be written with: a space, a hyphen, a no-break space.
fn separator(text: &[u8], at: usize) -> Option<usize> {
    match text.get(at..) {
        Some([b' ' | b'-', ..]) => Some(1),
        Some([0xC2, 0xA0, ..]) => Some(2),
        _ => None,
    }
}

fn digit(text: &[u8], at: usize) -> Option<u8> {
    text.get(at).filter(|b| b.is_ascii_digit()).map(|b| b - b'0')
}

/// Whether the number is cut off here from what stands beside it: not a letter or digit, and
/// not punctuation that continues a number (`1 234`, `1.234`, `12/34`).
fn boundary_before(text: &[u8], at: usize) -> bool {
    let Some(&prev) = at.checked_sub(1).and_then(|i| text.get(i)) else { return true };
    if prev.is_ascii_alphanumeric() {
        return false;
    }
    let joins = matches!(prev, b' ' | b'-' | b'.' | b',' | b'/' | b':');
    let nbsp = at >= 2 && text[at - 2..at] == [0xC2, 0xA0];
    let before = if nbsp { at.checked_sub(3) } else { at.checked_sub(2) };
    !((joins || nbsp) && before.is_some_and(|i| text[i].is_ascii_digit()))
}

fn boundary_after(text: &[u8], at: usize) -> bool {
    let Some(&next) = text.get(at) else { return true };
    if next.is_ascii_alphanumeric() {
        return false;
    }
    let joins = matches!(next, b' ' | b'-' | b'.' | b',' | b'/' | b':');
    let nbsp = text.get(at..at + 2) == Some(&[0xC2, 0xA0][..]);
    let after = if nbsp { at + 2 } else { at + 1 };
    !((joins || nbsp) && digit(text, after).is_some())
}

/// The digits at `at` in one of the two ways of writing them, and where they end.
fn read_at(text: &[u8], at: usize) -> Option<([u8; 10], usize)> {
    let mut digits = [0u8; 10];
    // Ten together.
    if (0..10).all(|k| digit(text, at + k).is_some()) {
        for (k, d) in digits.iter_mut().enumerate() {
            *d = text[at + k] - b'0';
        }
        return Some((digits, at + 10));
    }
    // 3-3-4, the same separator twice.
    let mut pos = at;
    let mut n = 0;
    let mut sep: Option<&[u8]> = None;
    for (group, len) in [3, 3, 4].into_iter().enumerate() {
        for _ in 0..len {
            digits[n] = digit(text, pos)?;
            n += 1;
            pos += 1;
        }
        if group < 2 {
            let width = separator(text, pos)?;
            let this = &text[pos..pos + width];
            if sep.is_some_and(|s| s != this) {
                return None;
            }
            sep = Some(this);
            pos += width;
        }
    }
    Some((digits, pos))
}

/// The index of the first ASCII digit at or after `from`, or `text.len()`. Every page and
/// every file the website writes is read for NHS numbers, and most of their bytes are not
/// digits: eight are tested at once (digits are 0x30 to 0x39, so in a byte below 0x80,
/// adding 0x50 sets the top bit from 0x30 up and adding 0x46 from 0x3A up; no byte below
/// 0x80 carries into the next).
fn next_digit(text: &[u8], from: usize) -> usize {
    const LOW: u64 = u64::from_ne_bytes([0x7F; 8]);
    const TOP: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut i = from;
    while let Some(chunk) = text.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let ascii = word & LOW;
        let from_0 = ascii + u64::from_ne_bytes([0x50; 8]);
        let past_9 = ascii + u64::from_ne_bytes([0x46; 8]);
        let digits = from_0 & !past_9 & !word & TOP;
        if digits != 0 {
            return i + (digits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    text[i..].iter().position(u8::is_ascii_digit).map_or(text.len(), |k| i + k)
}

/// Every NHS number in `text`, in order.
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        i = next_digit(bytes, i);
        if i == bytes.len() {
            break;
        }
        if !boundary_before(bytes, i) {
            i += 1;
            continue;
        }
        match read_at(bytes, i) {
            Some((digits, end))
                if boundary_after(bytes, end) && is_valid(&digits) && digits.iter().any(|d| *d != digits[0]) =>
            {
                found.push(Found { start: i, end, digits: digits.iter().map(|d| char::from(b'0' + d)).collect() });
                i = end;
            }
            _ => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(text: &str) -> Vec<String> {
        find(text).into_iter().map(|f| f.digits).collect()
    }

    #[test]
    fn next_digit_finds_the_first_digit_as_a_byte_by_byte_search_would() {
        // Every byte value at every place in and around an eight-byte word.
        for value in 0..=255u8 {
            for at in 0..20 {
                let mut text = vec![b'x'; 20];
                text[at] = value;
                for from in 0..=20 {
                    let expected = text[from..].iter().position(u8::is_ascii_digit).map_or(20, |k| from + k);
                    assert_eq!(next_digit(&text, from), expected, "byte {value:#x} at {at}, from {from}");
                }
            }
        }
    }

    #[test]
    fn the_check_digit() {
        // The NHS Data Dictionary's example, and a number whose check would be 10.
        assert!(is_valid(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 9]));
        assert!(!is_valid(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 8]));
        assert!(!is_valid(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0]));
    }

    #[test]
    fn numbers_written_as_people_write_them() {
        assert_eq!(digits("NHS number 943 476 5919."), ["9434765919"]);
        assert_eq!(digits("(9434765919)"), ["9434765919"]);
        assert_eq!(digits("943-476-5919"), ["9434765919"]);
        assert_eq!(digits("943\u{a0}476\u{a0}5919"), ["9434765919"]);
        assert_eq!(digits("<td>9434765919</td>"), ["9434765919"]);
    }

    #[test]
    fn what_is_not_an_nhs_number() {
        for text in [
            "943 476 5918",   // the check digit is wrong
            "943 476-5919",   // two separators
            "01943 476 5919", // runs on
            "9434765919 2",   // runs on
            "a9434765919",    // in a code
            "12.9434765919",  // in a decimal
            "0000000000",     // a placeholder
            "2026-07-02",     // a date
            "01632 960 961",  // a telephone number
            "RTX 943476",     // an ODS code and digits
            "19434765919",    // eleven digits
        ] {
            assert_eq!(digits(text), Vec::<String>::new(), "{text}");
        }
    }
}
