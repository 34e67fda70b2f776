//! Sizes on the command line (`--max-book-size`, `--image-max-size`):
//! bytes, or a number with a unit. `K`, `M` and `G`, with or without `B`
//! or `iB` and in any case, are powers of 1024, so `50MB`, `50M`, `50MiB`
//! and `52428800` are the same size (as `ls -h` and most tools that take
//! a size mean it).

/// A size in bytes, above 0; the message clap shows when it is not one.
pub fn parse(s: &str) -> Result<u64, String> {
    let bad = || {
        format!(
            "{s:?} is not a size: give bytes (52428800) or a number with K, M or G \
             (50MB, 50M and 50MiB are each 50 × 1024 × 1024 bytes), above 0"
        )
    };
    let t = s.trim().to_ascii_uppercase();
    let digits_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(digits_end);
    let shift = match unit.trim() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(bad()),
    };
    // Whole and fractional parts apart, so `1.5M` is exact and no float
    // rounds a byte count.
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && frac.is_empty() || frac.contains('.') || frac.len() > 6 {
        return Err(bad());
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let unit = 1u64 << shift;
    let mut bytes = whole.checked_mul(unit).ok_or_else(bad)?;
    if !frac.is_empty() {
        let f: u64 = frac.parse().map_err(|_| bad())?;
        let scale = 10u64.pow(frac.len() as u32);
        bytes = bytes
            .checked_add(f.checked_mul(unit).ok_or_else(bad)? / scale)
            .ok_or_else(bad)?;
    }
    if bytes == 0 {
        return Err(bad());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn the_spellings_of_one_size_agree() {
        for s in [
            "50MB",
            "50M",
            "50MiB",
            "50mb",
            " 50 MiB ",
            "52428800",
            "52428800B",
        ] {
            assert_eq!(parse(s), Ok(52_428_800), "{s}");
        }
        assert_eq!(parse("512K"), Ok(512 * 1024));
        assert_eq!(parse("1.5M"), Ok(1_572_864));
        assert_eq!(parse("2G"), Ok(2 << 30));
    }

    #[test]
    fn anything_else_is_refused_with_the_forms_that_work() {
        for s in [
            "",
            "0",
            "0MB",
            "-5M",
            "5TB",
            "MB",
            "5 M B",
            "1.2.3M",
            "abc",
            "99999999999999999999G",
            ".",
        ] {
            let e = parse(s).expect_err(s);
            assert!(e.contains("50MiB"), "{s}: {e}");
        }
    }
}
