/// Named sets of words that lexicon patterns and cue phrases share, written `@name`.
///
/// A sign is often the same shape over a whole class of words ("swallowed a bunch of my
/// <any medicine>", "<any near day> is the day"): naming the class once lets every pattern
/// that needs it cover a medicine or a weekday it was never written with, instead of each
/// pattern carrying its own shorter list that the next message falls through.
public struct WordClasses: Sendable {
  /// Each class's words, in the pattern language's alternative form (`numb*` allowed).
  public var classes: [String: [String]]

  /// Creates the classes.
  public init(_ classes: [String: [String]] = [:]) { self.classes = classes }

  /// A pattern with every `@name` alternative replaced by the class's words.
  ///
  /// `a|@medicine?` becomes `a|pills|tablets|...?`; a piece without `@` is left as written.
  /// - Throws: ``WordClassError/unknown(_:in:)`` for a class nobody defined.
  public func expanding(_ pattern: String) throws(WordClassError) -> String {
    guard pattern.contains("@") else { return pattern }
    var pieces: [String] = []
    for piece in pattern.split(separator: " ", omittingEmptySubsequences: true) {
      var body = Substring(piece)
      let optional = body.hasSuffix("?")
      if optional { body = body.dropLast() }
      var alternatives: [String] = []
      for alternative in body.split(separator: "|", omittingEmptySubsequences: false) {
        guard alternative.hasPrefix("@") else {
          alternatives.append(String(alternative))
          continue
        }
        let name = String(alternative.dropFirst())
        guard let words = classes[name], !words.isEmpty else {
          throw .unknown(name, in: pattern)
        }
        alternatives += words
      }
      pieces.append(alternatives.joined(separator: "|") + (optional ? "?" : ""))
    }
    return pieces.joined(separator: " ")
  }
}

/// A pattern that names a word class no file defines.
public enum WordClassError: Error, Equatable, CustomStringConvertible {
  case unknown(String, in: String)

  /// The problem in words an author can act on.
  public var description: String {
    switch self {
    case .unknown(let name, let pattern):
      "the pattern \"\(pattern)\" uses @\(name), but no `word_classes:` block defines it; "
        + "add the class or fix the name"
    }
  }
}
