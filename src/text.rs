//! Text from servers made safe to show: which characters do not print (and could
//! reorder, hide or fake what a reader sees). Used by error messages and traces.
//!
//! May use: nothing of the crate (the bottom).

/// Unicode general categories Cc (controls), Cf (format, Unicode 15), Co (private
/// use), Zl/Zp (line and paragraph separators) and the noncharacters of Cn. Other
/// unassigned code points (the rest of Cn) cannot be told apart without Unicode's
/// tables, which std does not have; they render as a box, not as a trick.
pub(crate) fn is_non_printing(c: char) -> bool {
    let cp = u32::from(c);
    c.is_control()
        || matches!(
            cp,
            // Cf: soft hyphen, Arabic and Syriac marks, Mongolian vowel separator.
            0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
            // Zero-width space, joiners, LRM/RLM; bidi embeddings and overrides.
            | 0x200B..=0x200F | 0x202A..=0x202E
            // Word joiner, invisible operators, bidi isolates, deprecated formats.
            | 0x2060..=0x2064 | 0x2066..=0x206F
            // Byte order mark / zero-width no-break space; interlinear annotations.
            | 0xFEFF | 0xFFF9..=0xFFFB
            | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            // Tag characters.
            | 0xE0001 | 0xE0020..=0xE007F
            // Zl, Zp.
            | 0x2028 | 0x2029
            // Co: the private use areas.
            | 0xE000..=0xF8FF | 0xF_0000..=0xF_FFFD | 0x10_0000..=0x10_FFFD
            // Cn: noncharacters.
            | 0xFDD0..=0xFDEF
        )
        || cp & 0xFFFE == 0xFFFE
}
