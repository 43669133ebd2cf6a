import Foundation

/// How the reference BERT tokenizer classes one character, reproduced from Swift's Unicode data.
///
/// The reference is the tokenizer model2vec calls (Hugging Face `tokenizers`: `BertNormalizer`
/// and `BertPreTokenizer`). Its general categories come from tables of Unicode 8.0 (the
/// `unicode_categories` crate) and its canonical decompositions from Unicode 12 or earlier,
/// while Swift knows a newer Unicode: a character added since is neither a control, nor a
/// punctuation mark, nor a non-spacing mark to the reference, and is not decomposed. Gating on
/// each character's Unicode age (plus the few characters whose category changed since 8.0)
/// gives the reference's token ids for every assigned character, which
/// `WordPieceTokenizerTests` checks character by character.
enum BertCharacter {
  /// Whether `scalar` was assigned by Unicode 8.0, the reference's category tables.
  static func inCategoryTables(_ scalar: Unicode.Scalar) -> Bool {
    guard let age = scalar.properties.age else { return false }
    return age.major < 8 || (age.major == 8 && age.minor == 0)
  }

  /// Whether `scalar` was assigned by Unicode 12.1, the reference's normalisation tables.
  static func inNormalizationTables(_ scalar: Unicode.Scalar) -> Bool {
    guard let age = scalar.properties.age else { return false }
    return age.major <= 12
  }

  /// Whether cleaning deletes `scalar`: NUL, U+FFFD, and controls, formats and private-use
  /// characters (Cc, Cf, Co) other than tab, line feed and carriage return.
  static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0, 0xFFFD: return true
    case 0x09, 0x0A, 0x0D: return false
    case 0x01..<0x20, 0x7F: return true
    case 0x20..<0x7F: return false
    default: break
    }
    guard inCategoryTables(scalar) else { return false }
    switch scalar.properties.generalCategory {
    case .control, .format, .privateUse: return true
    default: return false
    }
  }

  /// Whether `scalar` is white space (Unicode White_Space, which includes tab and newlines).
  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.value < 0x80 {
      return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value)
    }
    return scalar.properties.isWhitespace
  }

  /// Whether `scalar` is a CJK ideograph, which the normaliser surrounds with spaces.
  static func isChinese(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
      0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    default:
      return false
    }
  }

  /// Whether `scalar` is split off as a token of its own: ASCII punctuation and symbols
  /// (`!` to `/`, `:` to `@`, `[` to `` ` ``, `{` to `~`) and Unicode punctuation (P*).
  static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
    case 0..<0x80: return false
    // Punctuation in Unicode 8.0, a symbol or a mark today.
    case 0x166D, 0x111C9: return true
    default: break
    }
    guard inCategoryTables(scalar) else { return false }
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation:
      return true
    default:
      return false
    }
  }

  /// Whether accent stripping drops `scalar`: a non-spacing mark (Mn) after decomposition.
  static func isStrippedMark(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0..<0x300: return false
    // Non-spacing marks in Unicode 8.0, spacing marks today; and the reverse (or a letter or
    // punctuation in 8.0).
    case 0x1734, 0x1171E: return true
    case 0x1885, 0x1886, 0xA9BD, 0x111C9: return false
    default: break
    }
    return scalar.properties.generalCategory == .nonspacingMark && inCategoryTables(scalar)
  }

  /// The canonical combining class the reference sorts marks by (0 for characters it does
  /// not know).
  static func combiningClass(_ scalar: Unicode.Scalar) -> UInt8 {
    guard scalar.value >= 0x300, inNormalizationTables(scalar) else { return 0 }
    return scalar.properties.canonicalCombiningClass.rawValue
  }

  /// Calls `body` with the full canonical decomposition (NFD) of `scalar`, in order.
  ///
  /// Foundation's decomposition, taken one character at a time (the caller does the
  /// canonical reordering across characters); ASCII and the ideographs never reach it.
  static func decompose(_ scalar: Unicode.Scalar, _ body: (Unicode.Scalar) -> Void) {
    switch scalar.value {
    // ASCII, the undecomposable part of Latin-1 and the unified ideographs: nothing to do.
    case 0..<0xC0, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0x20000...0x2CEAF:
      body(scalar)
      return
    default: break
    }
    if !inNormalizationTables(scalar) {
      body(scalar)
      return
    }
    if (0xAC00...0xD7A3).contains(scalar.value) {
      decomposeHangul(scalar.value, body)
      return
    }
    var single = ""
    single.unicodeScalars.append(scalar)
    for part in single.decomposedStringWithCanonicalMapping.unicodeScalars { body(part) }
  }

  /// The conjoining jamo of a precomposed Hangul syllable (Unicode's arithmetic, section 3.12).
  private static func decomposeHangul(_ value: UInt32, _ body: (Unicode.Scalar) -> Void) {
    let index = value - 0xAC00
    let lead = 0x1100 + index / (21 * 28)
    let vowel = 0x1161 + (index % (21 * 28)) / 28
    let trail = index % 28
    for part in [lead, vowel] + (trail == 0 ? [] : [0x11A7 + trail]) {
      if let jamo = Unicode.Scalar(part) { body(jamo) }
    }
  }
}
