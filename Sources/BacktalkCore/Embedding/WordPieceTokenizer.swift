/// BERT's uncased tokenizer, as model2vec calls it: text in, WordPiece token ids out.
///
/// It gives the ids of Hugging Face `tokenizers` with all-MiniLM-L6-v2's tokenizer
/// (`encode(text, add_special_tokens=False)`: no `[CLS]`/`[SEP]`), checked against thousands
/// of strings in `Tests/Fixtures/wordpiece_cases.jsonl`. In order:
/// 1. literal tokens (`[PAD]`, `[UNK]`) spelled exactly in the raw text become their ids, and
///    the text between them is tokenised piece by piece;
/// 2. cleaning: NUL, U+FFFD and control/format/private-use characters are dropped, every
///    kind of white space becomes a space;
/// 3. CJK ideographs get a space on each side;
/// 4. canonical decomposition (NFD) and dropping non-spacing marks: accents go;
/// 5. lower-casing (full Unicode mappings, one character at a time);
/// 6. splitting at white space and around every punctuation character
///    (see ``BertCharacter``);
/// 7. WordPiece on each word: the longest vocabulary entry from the left, then the longest
///    `##` continuation, and so on; a word with a piece that is not in the vocabulary, or
///    longer than 100 characters, becomes one `[UNK]`.
/// The character classes follow the reference's Unicode tables (see ``BertCharacter``).
/// ASCII takes a fast path; nothing is allocated per character.
public struct WordPieceTokenizer: Sendable {
  /// Words longer than this many characters become `[UNK]` whole.
  public static let maxCharactersPerWord = 100

  let vocabulary: TokenVocabulary

  init(vocabulary: TokenVocabulary) { self.vocabulary = vocabulary }

  /// The id of the unknown token, `[UNK]`.
  public var unknownID: UInt32 { vocabulary.unknownID }

  /// Every token id of `text`, unknown tokens included, without any truncation.
  public func tokenIDs(_ text: String) -> [UInt32] {
    var ids: [UInt32] = []
    forEachTokenID(in: text, maxCharacters: Int.max) { id in
      ids.append(id)
      return true
    }
    return ids
  }

  /// The token strings of `text` (for explanations and tests).
  public func tokens(_ text: String) -> [String] {
    tokenIDs(text).map { vocabulary.token($0) ?? "" }
  }

  /// Calls `body` with each token id of the first `maxCharacters` characters (Unicode scalars)
  /// of `text`, in order, until it returns false.
  public func forEachTokenID(
    in text: String, maxCharacters: Int, _ body: (UInt32) -> Bool
  ) {
    var text = text
    withoutActuallyEscaping(body) { body in
      text.withUTF8 { utf8 in
        tokenize(utf8, maxCharacters: maxCharacters, body)
      }
    }
  }

  private func tokenize(
    _ utf8: UnsafeBufferPointer<UInt8>, maxCharacters: Int, _ body: @escaping (UInt32) -> Bool
  ) {
    var segmenter = Segmenter(vocabulary: vocabulary, emit: body)
    var index = 0
    var characters = 0
    while index < utf8.count, characters < maxCharacters, !segmenter.stopped {
      let lead = utf8[index]
      if lead == 0x5B, vocabulary.literalCount > 0,
        let literal = vocabulary.literal(
          at: UnsafeBufferPointer(rebasing: utf8[index..<min(utf8.count, index + 64)])),
        characters + literal.length <= maxCharacters
      {
        segmenter.finishSegment()
        segmenter.emitToken(literal.id)
        index += literal.length
        characters += literal.length
        continue
      }
      let (scalar, length) = Self.decode(utf8, at: index)
      segmenter.take(scalar)
      index += length
      characters += 1
    }
    segmenter.finishSegment()
  }

  /// The scalar starting at `index` of valid UTF-8, and its length in bytes.
  private static func decode(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int)
    -> (Unicode.Scalar, Int)
  {
    let lead = UInt32(utf8[index])
    let value: UInt32
    let length: Int
    if lead < 0x80 {
      return (Unicode.Scalar(UInt8(lead)), 1)
    } else if lead < 0xE0 {
      value = (lead & 0x1F) << 6 | UInt32(utf8[index + 1] & 0x3F)
      length = 2
    } else if lead < 0xF0 {
      value =
        (lead & 0x0F) << 12 | UInt32(utf8[index + 1] & 0x3F) << 6 | UInt32(utf8[index + 2] & 0x3F)
      length = 3
    } else {
      value =
        (lead & 0x07) << 18 | UInt32(utf8[index + 1] & 0x3F) << 12
        | UInt32(utf8[index + 2] & 0x3F) << 6 | UInt32(utf8[index + 3] & 0x3F)
      length = 4
    }
    // A String's UTF-8 is valid, so this never falls back.
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
  }
}

extension WordPieceTokenizer {
  /// The streaming state of one call: the word being built and the marks being reordered.
  private struct Segmenter {
    let vocabulary: TokenVocabulary
    let emit: (UInt32) -> Bool
    /// Set once `emit` has asked to stop.
    var stopped = false
    /// The UTF-8 bytes of the current word, and its length in characters.
    var word: [UInt8] = []
    var wordCharacters = 0
    /// Combining marks (class > 0) waiting for canonical ordering, with their classes.
    var marks: [(scalar: Unicode.Scalar, combiningClass: UInt8)] = []
    /// The ids of the current word's pieces.
    var pieces: [UInt32] = []

    init(vocabulary: TokenVocabulary, emit: @escaping (UInt32) -> Bool) {
      self.vocabulary = vocabulary
      self.emit = emit
      word.reserveCapacity(64)
    }

    mutating func emitToken(_ id: UInt32) {
      guard !stopped else { return }
      if !emit(id) { stopped = true }
    }

    /// One raw character: cleaning and CJK spacing (steps 2 and 3).
    mutating func take(_ scalar: Unicode.Scalar) {
      if scalar.value < 0x80 {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D: decomposed(" ")
        case 0x00..<0x20, 0x7F: return
        default: decomposed(scalar)
        }
        return
      }
      if BertCharacter.isRemoved(scalar) { return }
      if BertCharacter.isWhitespace(scalar) {
        decomposed(" ")
      } else if BertCharacter.isChinese(scalar) {
        decomposed(" ")
        BertCharacter.decompose(scalar) { decomposed($0) }
        decomposed(" ")
      } else {
        BertCharacter.decompose(scalar) { decomposed($0) }
      }
    }

    /// One character of the decomposition, put in canonical order (step 4).
    mutating func decomposed(_ scalar: Unicode.Scalar) {
      let combiningClass = BertCharacter.combiningClass(scalar)
      if combiningClass == 0 {
        flushMarks()
        normalized(scalar)
        return
      }
      // A stable insertion sort by combining class: marks are few and rarely out of order.
      var at = marks.count
      while at > 0, marks[at - 1].combiningClass > combiningClass { at -= 1 }
      marks.insert((scalar, combiningClass), at: at)
    }

    mutating func flushMarks() {
      guard !marks.isEmpty else { return }
      for mark in marks { normalized(mark.scalar) }
      marks.removeAll(keepingCapacity: true)
    }

    /// One decomposed character: accent stripping and lower-casing (steps 4 and 5).
    mutating func normalized(_ scalar: Unicode.Scalar) {
      if scalar.value < 0x80 {
        let byte = UInt8(scalar.value)
        split((0x41...0x5A).contains(byte) ? Unicode.Scalar(byte + 0x20) : scalar)
        return
      }
      if BertCharacter.isStrippedMark(scalar) { return }
      let properties = scalar.properties
      if properties.changesWhenLowercased {
        for lower in properties.lowercaseMapping.unicodeScalars { split(lower) }
      } else {
        split(scalar)
      }
    }

    /// One normalised character: word splitting (step 6).
    mutating func split(_ scalar: Unicode.Scalar) {
      if BertCharacter.isWhitespace(scalar) {
        finishWord()
      } else if BertCharacter.isPunctuation(scalar) {
        finishWord()
        append(scalar)
        finishWord()
      } else {
        append(scalar)
      }
    }

    mutating func append(_ scalar: Unicode.Scalar) {
      if scalar.value < 0x80 {
        word.append(UInt8(scalar.value))
      } else {
        UTF8.encode(scalar) { word.append($0) }
      }
      wordCharacters += 1
    }

    /// Ends the text between two literal tokens (or the text).
    mutating func finishSegment() {
      flushMarks()
      finishWord()
    }

    /// WordPiece on the current word (step 7).
    mutating func finishWord() {
      guard !word.isEmpty else { return }
      defer {
        word.removeAll(keepingCapacity: true)
        wordCharacters = 0
      }
      guard !stopped else { return }
      guard wordCharacters <= WordPieceTokenizer.maxCharactersPerWord else {
        emitToken(vocabulary.unknownID)
        return
      }
      pieces.removeAll(keepingCapacity: true)
      let known = word.withUnsafeBufferPointer { bytes in
        var start = 0
        while start < bytes.count {
          var end = bytes.count
          var found: UInt32?
          while end > start {
            let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if let id = vocabulary.id(of: piece, continuation: start > 0) {
              found = id
              break
            }
            // Back off one whole character.
            end -= 1
            while end > start, bytes[end] & 0xC0 == 0x80 { end -= 1 }
          }
          guard let id = found else { return false }
          pieces.append(id)
          start = end
        }
        return true
      }
      if known {
        for id in pieces { emitToken(id) }
      } else {
        emitToken(vocabulary.unknownID)
      }
    }
  }
}
