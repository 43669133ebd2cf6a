/// Turns what a person typed into the token stream every other component reads.
///
/// Lowercases, folds curly quotes, splits words from numbers ("3wks" -> `3 wks`), expands
/// contractions so that "can't", "cant" and "cannot" are all `can not`, applies the spelling
/// folds of `concepts.yaml` (mum -> mom), and marks clause breaks (`. , ; ! ? :`, dashes and
/// line breaks) with the token `|` because negation and hypothetical scopes end there. "7/10" keeps
/// its slash as a token so severities can be read. Doing this once per message, in one place,
/// is what keeps the matcher, the emergency detector and the slot extractor consistent.
public struct TextNormalizer: Sendable {
  /// The clause-break token (`, ; :` and dashes).
  public static let clauseBreak = "|"
  /// The sentence-break token (`. ! ?` and line breaks).
  public static let sentenceBreak = "."

  /// The sentence-break token of a question (`?`), kept so questions can be told apart.
  public static let questionBreak = "?"

  /// Whether a token is a clause or sentence break.
  @inline(__always)
  public static func isBreak(_ token: String) -> Bool {
    token == clauseBreak || token == sentenceBreak || token == questionBreak
  }

  /// The clause around `range`: the tokens between the breaks before and after it.
  public static func clause(around range: Range<Int>, in tokens: [String]) -> ArraySlice<String> {
    var start = range.lowerBound
    while start > 0, !isBreak(tokens[start - 1]) { start -= 1 }
    var end = range.upperBound
    while end < tokens.count, !isBreak(tokens[end]) { end += 1 }
    return tokens[start..<end]
  }
  let spellings: [String: String]
  /// Contractions and apostrophe-free spelling folds in one table: one lookup per word.
  private let replacements: [String: [String]]

  /// Creates a normaliser with the given word-for-word spelling folds.
  public init(spellings: [String: String] = [:]) {
    self.spellings = spellings
    var replacements = Self.contractions
    for (word, folded) in spellings where !word.contains("'") && replacements[word] == nil {
      replacements[word] = [folded]
    }
    self.replacements = replacements
  }

  /// The tokens of `text`, with clause breaks as `|`.
  public func tokens(_ text: String) -> [String] {
    var out: [String] = []
    out.reserveCapacity(16)
    // The word being read, as UTF-8 bytes in a reused buffer (appending scalars to a String
    // costs far more, and this runs on every message).
    var word: [UInt8] = []
    word.reserveCapacity(32)
    var wordIsDigits = false
    // Whether the previous character was white space: a hyphen after a space is a dash ("start
    // over - it's for me now"), one inside a word is not ("x-ray").
    var afterSpace = false
    func flush() {
      guard !word.isEmpty else { return }
      appendWord(String(decoding: word, as: UTF8.self), to: &out)
      word.removeAll(keepingCapacity: true)
    }
    // Letters and digits typed as one word ("b4", "2day") are split into a word and a number
    // ("3wks" -> `3 wks`), but a spelling fold written for the whole of it wins: "b4" is
    // "before", and never a "4" read as a pain score. `glued` is the word so far, and
    // `gluedFrom` where its tokens start.
    var glued: [UInt8] = []
    var gluedMixed = false
    var gluedFrom = 0
    func endGlued() {
      flush()
      defer {
        glued.removeAll(keepingCapacity: true)
        gluedMixed = false
      }
      guard gluedMixed, let folded = spellings[String(decoding: glued, as: UTF8.self)] else {
        return
      }
      out.removeSubrange(gluedFrom...)
      out.append(folded)
    }
    for scalar in text.unicodeScalars {
      let v = scalar.value
      defer { afterSpace = v == 32 || v == 9 }
      if (v >= 97 && v <= 122) || (v >= 65 && v <= 90) || v > 127 && scalar.properties.isAlphabetic
      {
        if wordIsDigits { flush() }
        if glued.isEmpty { gluedFrom = out.count } else if wordIsDigits { gluedMixed = true }
        wordIsDigits = false
        if v >= 65 && v <= 90 {
          word.append(UInt8(v + 32))
          glued.append(UInt8(v + 32))
        } else if v > 127 {
          word.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
          glued.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
        } else {
          word.append(UInt8(v))
          glued.append(UInt8(v))
        }
      } else if v >= 48 && v <= 57 {
        if !wordIsDigits { flush() }
        if glued.isEmpty {
          gluedFrom = out.count
        } else if !wordIsDigits {
          gluedMixed = true
        }
        wordIsDigits = true
        word.append(UInt8(v))
        glued.append(UInt8(v))
      } else if v == 39 || v == 0x2019 || v == 0x2018 {
        // An apostrophe inside a word stays (for contractions); elsewhere it is dropped.
        if !word.isEmpty && !wordIsDigits { word.append(39) }
      } else if v == 46 && wordIsDigits {
        // "2.5" stays one number; a sentence-final "3." is handled by the trailing check.
        word.append(46)
      } else {
        endGlued()
        wordIsDigits = false
        switch v {
        case 44, 59, 58, 0x2013, 0x2014:
          if let last = out.last, !Self.isBreak(last) { out.append(Self.clauseBreak) }
        case 45 where afterSpace:
          if let last = out.last, !Self.isBreak(last) { out.append(Self.clauseBreak) }
        case 46, 33, 63, 10, 13, 0x2026:
          let mark = v == 63 ? Self.questionBreak : Self.sentenceBreak
          if let last = out.last {
            if last == Self.clauseBreak
              || (last == Self.sentenceBreak && mark == Self.questionBreak)
            {
              out[out.count - 1] = mark
            } else if last != Self.sentenceBreak && last != Self.questionBreak {
              out.append(mark)
            }
          }
        case 47:
          out.append("/")
        case 0x1F602, 0x1F923, 0x1F606, 0x1F605, 0x1F639:
          // A laughing face says what "lol" says, and is read as that word.
          out.append("lol")
        case 0x1F44D, 0x1F44C, 0x2705:
          // A thumbs up, an OK hand or a tick says "ok".
          out.append("ok")
        case 0x1F64F:
          // Folded hands say thanks.
          out.append("thanks")
        case 0x1F912:
          // A face with a thermometer says "fever", a vomiting face "vomiting", a green face
          // "nauseous": signs told by emoji alone ("😷🤮🤒 + back pain"). Thirty-fifth session,
          // after v57 was scored.
          out.append("fever")
        case 0x1F92E:
          out.append("vomiting")
        case 0x1F922:
          out.append("nauseous")
        default:
          break
        }
      }
    }
    endGlued()
    // A number that swallowed a sentence-final period ("3.") is fixed here, and the sentence
    // it ended ends there: "like a 5 or 6 out of 10. oh do I need a new pillow?" is two.
    var i = 0
    while i < out.count {
      if out[i].utf8.count > 1 && out[i].utf8.last == 46 {
        out[i].removeLast()
        if i + 1 < out.count, !Self.isBreak(out[i + 1]) {
          out.insert(Self.sentenceBreak, at: i + 1)
        }
      }
      i += 1
    }
    // "He'd said", "I'd been": before a past participle, "'d" is "had", not "would" (which
    // made "my uncle just passed out, he'd said his back ached" a conditional).
    for k in out.indices.dropLast()
    where out[k] == "would" && Self.pastParticiples.contains(out[k + 1]) {
      out[k] = "had"
    }
    // "Came off me motorbike", "done me back in": before a body part or a vehicle, the
    // dialect's "me" is "my" (not after a verb that gives: "it gave me back pain").
    for k in out.indices.dropLast()
    where out[k] == "me" && Self.dialectPossessed.contains(out[k + 1])
      && (k == 0 || !Self.givingVerbs.contains(out[k - 1]))
    {
      out[k] = "my"
    }
    // "w/o" and "w/" are shorthand for "without" and "with" ("anything w/o surgery?").
    // "ill" opening a clause before a verb is "I'll" typed without its apostrophe ("ok ill
    // just go see my doctor then"); elsewhere it is the adjective ("I feel ill").
    var k = 0
    while k + 1 < out.count {
      if out[k] == "ill", Self.futureVerbs.contains(out[k + 1]),
        k == 0 || Self.isBreak(out[k - 1]) || Self.clauseOpeners.contains(out[k - 1])
      {
        out.replaceSubrange(k...k, with: ["i", "will"])
        k += 2
        continue
      }
      if out[k] == "w", out[k + 1] == "/" {
        if k + 2 < out.count, out[k + 2] == "o" {
          out.replaceSubrange(k...(k + 2), with: ["without"])
        } else {
          out.replaceSubrange(k...(k + 1), with: ["with"])
        }
      }
      k += 1
    }
    while let last = out.last, Self.isBreak(last), last != Self.questionBreak { out.removeLast() }
    return out
  }

  private func appendWord(_ raw: String, to out: inout [String]) {
    var w = raw
    while w.utf8.last == 39 { w.removeLast() }
    if let expansion = replacements[w] {
      out.append(contentsOf: expansion)
      return
    }
    let hasApostrophe =
      w.utf8.withContiguousStorageIfAvailable { $0.contains(39) } ?? w.utf8.contains(39)
    guard hasApostrophe else {
      out.append(w)
      return
    }
    if w.hasSuffix("n't") {
      out.append(String(w.dropLast(3)))
      out.append("not")
      return
    }
    if let apostrophe = w.firstIndex(of: "'") {
      let stem = String(w[..<apostrophe])
      let suffix = String(w[w.index(after: apostrophe)...])
      switch suffix {
      case "m": out += [stem, "am"]
      case "ve": out += [stem, "have"]
      case "re": out += [stem, "are"]
      case "ll": out += [stem, "will"]
      case "d": out += [stem, "would"]
      case "s":
        out.append(spellings[stem] ?? stem)
        if Self.isPronounWithIs.contains(stem) { out.append("is") }
      default: out.append(stem + suffix)
      }
      return
    }
    out.append(spellings[w] ?? w)
  }

  /// Words that follow "ill" when it is "I'll" typed without the apostrophe.
  ///
  /// Verbs of acting only: "ill be sitting for hours" is left as typed, the models having
  /// learnt it so.
  static let futureVerbs: Set<String> = [
    "just", "probably", "definitely", "go", "see", "ring", "call", "phone", "book", "try", "ask",
    "tell", "text", "email", "make", "check", "stick", "mention", "bring", "talk", "speak",
    "head", "pop", "contact", "visit", "follow",
  ]

  /// Words after which a clause goes on with its subject ("ok ill...", "right then ill...").
  static let clauseOpeners: Set<String> = [
    "ok", "okay", "right", "then", "so", "and", "but", "yeah", "yes", "fine", "alright", "well",
    "maybe", "thanks", "cheers", "think", "guess", "reckon", "probably", "perhaps", "oh", "ah",
    "hmm", "lol", "k", "kk", "sure", "cool", "great",
  ]

  /// Past participles that are no base form: after "would" they can only follow a "'d" that
  /// means "had".
  static let pastParticiples: Set<String> = [
    "been", "had", "said", "told", "done", "gone", "taken", "felt", "seen", "fallen", "given",
    "known", "broken", "started", "stopped", "tried", "passed", "collapsed", "complained",
    "mentioned", "noticed", "thought", "asked", "used", "got", "gotten", "eaten", "slept",
    "woken", "lost", "fainted", "injured", "landed", "slipped", "tripped",
  ]

  /// What the dialect's "me" owns in "me back", "me bike": body parts, vehicles, family.
  static let dialectPossessed: Set<String> = [
    "back", "neck", "shoulder", "shoulders", "arm", "arms", "leg", "legs", "hand", "hands",
    "head", "chest", "knee", "knees", "hip", "hips", "foot", "feet", "spine", "ribs", "side",
    "bladder", "bowels", "body", "bike", "motorbike", "motorcycle", "car", "horse", "ute",
    "mum", "dad", "missus", "husband", "wife", "kids", "nan", "grandad",
  ]

  /// Verbs after which "me" is whom something is given, not a possessive ("gave me back pain").
  static let givingVerbs: Set<String> = [
    "give", "gives", "gave", "given", "giving", "get", "gets", "got", "getting", "left",
    "leave", "leaves", "brought", "bring", "brings", "sent", "send", "cause", "caused", "causes",
    "causing", "wake", "woke", "keeps", "kept", "let", "lets", "made", "makes", "make", "call",
    "called", "tell", "told", "ask", "asked", "show", "showed", "help", "helped", "take", "took",
  ]

  /// Words whose "'s" means "is" rather than a possessive.
  static let isPronounWithIs: Set<String> = [
    "it", "that", "what", "there", "he", "she", "here", "who", "where", "how", "this",
  ]

  /// Contractions that need more than suffix rules, including the apostrophe-less forms people type.
  static let contractions: [String: [String]] = [
    "can't": ["can", "not"], "cant": ["can", "not"], "cannot": ["can", "not"],
    "won't": ["will", "not"], "wont": ["will", "not"], "dont": ["do", "not"],
    "doesnt": ["does", "not"], "didnt": ["did", "not"], "isnt": ["is", "not"],
    "arent": ["are", "not"], "wasnt": ["was", "not"], "werent": ["were", "not"],
    "couldnt": ["could", "not"], "wouldnt": ["would", "not"], "shouldnt": ["should", "not"],
    "havent": ["have", "not"], "hasnt": ["has", "not"], "hadnt": ["had", "not"],
    "aint": ["is", "not"], "im": ["i", "am"], "ive": ["i", "have"],
    "idk": ["i", "do", "not", "know"],
    "ain't": ["is", "not"], "shan't": ["shall", "not"], "y'all": ["you"],
    "gonna": ["going", "to"], "wanna": ["want", "to"], "gotta": ["got", "to"],
  ]
}
