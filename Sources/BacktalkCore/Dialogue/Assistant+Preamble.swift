import Foundation

/// "Wait quick q before I forget - does turmeric actually do anything?": a message that opens
/// with words that only announce a question (a side question, an apology, thanks) is understood
/// from what follows them.
///
/// The announcement's own words pulled the reading away from the question: "before I forget"
/// read as "forget what I said" (a restart), "sorry random but" as nothing the assistant covers,
/// "ta, that's loads. last thing" as thanks. Only the understanding reads the rest: the
/// emergency check and the classifier still read the whole message. (Added in the thirty-fifth
/// session, after v57 was scored, from its graded conversations, where side questions asked
/// mid-intake got the intake's question again.)
extension Assistant {
  /// Words that announce, thank or apologise and ask nothing themselves.
  ///
  /// (Not thanks: "thanks, and is heat OK?" is thanks and a question, which the appreciation
  /// layer answers with a welcome.)
  static let preambleWords: Set<String> = [
    "wait", "hang", "on", "quick", "quickly", "q", "qq", "question", "questions", "before", "i",
    "sorry", "random", "randomly", "but", "last", "thing", "one", "more",
    "btw", "oh", "also", "and", "so", "anyway", "anyways", "ok", "okay", "right", "righto",
    "that", "is", "was", "off", "topic", "hey", "just", "another", "actually", "unrelated",
    "aside", "side", "note", "by", "the", "way", "lol", "haha", "hmm", "um", "uh", "well", "a",
    "ask", "can", "could", "may", "something", "other", "different", "changing", "subject",
    "got", "it", "bit", "of", "tangent",
  ]

  /// Whether words only announce: every one an announcing word, "before I forget" included
  /// ("forget it" stops what is going on, and is no announcement).
  static func announces(_ words: [String]) -> Bool {
    var words = words
    while let k = words.firstIndex(of: "forget"), k >= 2, words[k - 1] == "i",
      words[k - 2] == "before"
    {
      words.removeSubrange((k - 2)...k)
    }
    return words.allSatisfy(preambleWords.contains)
  }

  /// The most words an announcement runs to ("oh wait, random q before I forget" is seven).
  static let preambleLength = 8

  /// The message without its announcing opening, or nil when it has none.
  ///
  /// The opening ends at a dash, colon, comma or full stop; every word before it is an
  /// announcing word, and at least two words follow.
  func withoutPreamble(_ text: String) -> String? {
    // (Most messages open with a word that announces nothing: they stop here, at no cost.)
    let firstWord = text.utf8.prefix { byte in
      (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x27
    }
    guard !firstWord.isEmpty,
      Self.preambleWords.contains(String(decoding: firstWord, as: UTF8.self).lowercased())
        || String(decoding: firstWord, as: UTF8.self).lowercased() == "i'm"
    else { return nil }
    var end = text.startIndex
    var found: String.Index?
    var words = 0
    for index in text.indices {
      let character = text[index]
      guard "-–—:,.!".contains(character) else { continue }
      // (A dash inside a word is no break: "cat-cow".)
      if character == "-", index > text.startIndex,
        text[text.index(before: index)].isLetter
      {
        continue
      }
      let head = analyzer.normalizer.tokens(String(text[end..<index]))
        .filter { !TextNormalizer.isBreak($0) }
      guard Self.announces(head) else { break }
      words += head.count
      guard words <= Self.preambleLength else { break }
      if !head.isEmpty { found = text.index(after: index) }
      end = text.index(after: index)
    }
    // ("Sorry random but is it normal...": an opening that ends at its "but", without a mark.)
    if found == nil, let but = text.range(of: " but ", options: .caseInsensitive) {
      let head = analyzer.normalizer.tokens(String(text[..<but.lowerBound]))
      if head.count <= Self.preambleLength, Self.announces(head) {
        found = but.upperBound
      }
    }
    guard let found else { return nil }
    let rest = String(text[found...])
    let tokens = analyzer.normalizer.tokens(rest).filter { !TextNormalizer.isBreak($0) }
    guard tokens.count >= 2, !Self.announces(tokens) else { return nil }
    return rest
  }
}
