//! User-perceived characters, approximately. Terraform counts grapheme clusters in
//! `length`, `substr`, `strrev` and `format` widths; without a Unicode segmentation table we
//! group a character with the combining marks, variation selectors, emoji modifiers and
//! zero-width joiner sequences that follow it, keep `\r\n` and regional-indicator flag pairs
//! together, and otherwise count characters.

/// Splits `s` into clusters; concatenated they give `s` back.
pub(super) fn clusters(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut flags_in_cluster = 0;
    for (i, c) in s.char_indices() {
        let joins = match prev {
            None => false,
            Some('\r') => c == '\n',
            Some('\u{200d}') => true,
            Some(p) if is_regional(p) && is_regional(c) => flags_in_cluster % 2 == 1,
            Some(_) => extends(c),
        };
        if !joins && i > 0 {
            out.push(&s[start..i]);
            start = i;
            flags_in_cluster = 0;
        }
        if is_regional(c) {
            flags_in_cluster += 1;
        }
        prev = Some(c);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

pub(super) fn count(s: &str) -> usize {
    clusters(s).len()
}

fn is_regional(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// Characters that never start a cluster of their own.
fn extends(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F
        | 0x0483..=0x0489
        | 0x0591..=0x05BD
        | 0x05BF | 0x05C1 | 0x05C2 | 0x05C4 | 0x05C5 | 0x05C7
        | 0x0610..=0x061A
        | 0x064B..=0x065F
        | 0x0670
        | 0x06D6..=0x06DC
        | 0x06DF..=0x06E4
        | 0x06E7 | 0x06E8
        | 0x06EA..=0x06ED
        | 0x0900..=0x0903
        | 0x093A..=0x093C
        | 0x093E..=0x094F
        | 0x0951..=0x0957
        | 0x0962 | 0x0963
        | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200C | 0x200D
        | 0x20D0..=0x20FF
        | 0x302A..=0x302F
        | 0x3099 | 0x309A
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F
        | 0x1F3FB..=0x1F3FF
        | 0xE0020..=0xE007F
        | 0xE0100..=0xE01EF
    )
}
