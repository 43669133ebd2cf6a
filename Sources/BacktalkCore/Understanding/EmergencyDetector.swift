import Foundation

/// Decides, before anything else on every message, whether it shows an emergency sign.
///
/// Works in the spirit of NegEx/ConText: lexicon phrases are found first (so symptom phrases
/// that contain a negation, "can't feel my legs", count as positive signs), then each match is
/// qualified by its context: a preceding negation in the same clause ("no chest pain", scope
/// ended by "but"/"however"/punctuation), a hypothetical or informational sentence ("what are
/// the warning signs"), someone else's long-ago history ("my dad had a heart attack years ago"),
/// the person's own long-ago history, and figures of speech removed up front ("dying to know").
/// Any affirmed sign wins over negated ones. When in doubt the detector escalates: a missed
/// emergency is the worst failure this project can have.
public struct EmergencyDetector: Sendable {
  struct CompiledCategory: Sendable {
    let name: String
    /// Each pattern is a conjunction: every part must match, un-negated, in one sentence.
    let patterns: [[PhrasePattern]]
    let staleAfter: [PhrasePattern]
    let fresh: [PhrasePattern]

    /// Whether this category's signs in `words` are stale (said to be days old, not fresh).
    func isStale(_ words: [String]) -> Bool {
      staleAfter.contains { $0.match(anywhereIn: words) }
        && !fresh.contains { $0.match(anywhereIn: words) }
    }
  }

  private let categories: [CompiledCategory]
  /// The first part of every category pattern, indexed; `signOwners[i]` says whose it is.
  private let signStarts: PatternSet
  private let signOwners: [(category: Int, conjunction: Int)]
  private let negations: PatternSet
  private let pseudoNegations: PatternSet
  private let scopeEnds: PatternSet
  private let presentNow: PatternSet
  private let recent: PatternSet
  private let figurative: PatternSet
  private let questionWords: Set<String>
  /// The per-sentence cue lists (assertions, conditionals, question cues, recency, history,
  /// other people, past tense), answered in one pass (see ``SentenceCue``).
  private let sentenceCues: CueGroups
  private let pronounFolds: StringMap<String>

  /// The questions asked of every sentence, in the order of ``sentenceCues``' lists.
  private enum SentenceCue: Int, CaseIterable {
    case assertion, hypothetical, question, recent, resolvedPast, otherPeople, pastTense
    case recentForOthers, resolution, ongoing
  }
  /// How many tokens before a sign a negation cue still applies to.
  static let negationWindow = 7

  /// Compiles the lexicon.
  ///
  /// - Parameters:
  ///   - lexicon: the categories and cues from `emergencies.yaml`.
  ///   - spellings: the spelling folds messages get, applied to the lexicon too.
  /// - Throws: ``PhrasePatternError`` for a pattern that does not parse.
  public init(lexicon: EmergencyLexicon, spellings: [String: String] = [:]) throws {
    // Cues and signs go through the same spelling folds as messages ("mum" is read as "mom").
    let normalizer = TextNormalizer(spellings: spellings)
    // A cue with alternatives ("in my|his|her twenties") is a pattern; the normaliser would
    // drop its bars and leave a phrase no message holds.
    func patterns(_ list: [String]) throws -> [PhrasePattern] {
      try list.map {
        $0.contains("|")
          ? try PhrasePattern(parsing: $0, spellings: spellings)
          : try PhrasePattern(parsing: normalizer.tokens($0).joined(separator: " "))
      }
    }
    func compile(_ list: [String]) throws -> PatternSet { PatternSet(try patterns(list)) }
    let c = lexicon.context
    try self.init(
      categories: lexicon.categories.map {
        CompiledCategory(
          name: $0.name,
          patterns: try $0.patterns.map { source in
            try source.components(separatedBy: "&&").map {
              try PhrasePattern(parsing: $0, spellings: spellings)
            }
          },
          staleAfter: try patterns($0.staleAfter), fresh: try patterns($0.fresh))
      },
      negations: compile(c.negations), pseudoNegations: compile(c.pseudoNegations),
      scopeEnds: compile(c.scopeEnds), presentNow: compile(c.presentNow),
      recent: compile(c.recent), figurative: compile(c.figurative),
      questionWords: Set(c.questionWords), pronounFolds: c.pronounFolds,
      sentenceCues: CueGroups(
        try [
          c.assertions, c.hypothetical, c.questionCues, c.recent, c.resolvedPast, c.otherPeople,
          c.pastTense, c.recentForOthers, c.resolution, c.ongoing,
        ].map(patterns)))
  }

  /// Assembles a detector from compiled parts and derives the sign index from the categories.
  private init(
    categories: [CompiledCategory], negations: PatternSet, pseudoNegations: PatternSet,
    scopeEnds: PatternSet, presentNow: PatternSet, recent: PatternSet, figurative: PatternSet,
    questionWords: Set<String>, pronounFolds: [String: String], sentenceCues: CueGroups
  ) {
    var starts: [PhrasePattern] = []
    var owners: [(category: Int, conjunction: Int)] = []
    var lexiconWords: Set<String> = []
    for (c, category) in categories.enumerated() {
      for (k, conjunction) in category.patterns.enumerated() {
        for pattern in conjunction { lexiconWords.formUnion(pattern.words) }
        guard let first = conjunction.first else { continue }
        starts.append(first)
        owners.append((c, k))
      }
    }
    self.init(
      categories: categories, signStarts: PatternSet(starts), signOwners: owners,
      lexiconWords: StringTable(lexiconWords.sorted()), negations: negations,
      pseudoNegations: pseudoNegations, scopeEnds: scopeEnds, presentNow: presentNow,
      recent: recent, figurative: figurative, questionWords: questionWords,
      pronounFolds: StringMap(pronounFolds), sentenceCues: sentenceCues)
  }

  /// Assembles a detector from every part, its indexes included (a snapshot holds them:
  /// deriving them again, a set of every lexicon word and an index of every sign's first
  /// pattern, was a third of reading the compiled snapshot at a cold start).
  private init(
    categories: [CompiledCategory], signStarts: PatternSet,
    signOwners: [(category: Int, conjunction: Int)], lexiconWords: StringTable,
    negations: PatternSet, pseudoNegations: PatternSet, scopeEnds: PatternSet,
    presentNow: PatternSet, recent: PatternSet, figurative: PatternSet,
    questionWords: Set<String>, pronounFolds: StringMap<String>, sentenceCues: CueGroups
  ) {
    self.categories = categories
    self.signStarts = signStarts
    self.signOwners = signOwners
    lexiconWordSet = lexiconWords
    self.negations = negations
    self.pseudoNegations = pseudoNegations
    self.scopeEnds = scopeEnds
    self.presentNow = presentNow
    self.recent = recent
    self.figurative = figurative
    self.questionWords = questionWords
    self.pronounFolds = pronounFolds
    self.sentenceCues = sentenceCues
  }

  /// Every word of the category patterns: a typo's correction is taken only onto one of them.
  private let lexiconWordSet: StringTable

  /// The words of a sentence outside its "if" clauses: from "if" to the clause's end or the
  /// word that opens the consequence ("would", "will", "then", "could").
  static func outsideConditional(_ words: [String]) -> [String] {
    var kept: [String] = []
    var inside = false
    for word in words {
      if word == "if" {
        inside = true
        continue
      }
      if inside, TextNormalizer.isBreak(word) || conditionalEnds.contains(word) { inside = false }
      if !inside { kept.append(word) }
    }
    return kept
  }

  static let conditionalEnds: Set<String> = ["would", "will", "then", "could", "should", "might"]

  /// Whether a word of time that keeps a sign current ("still", "again", "today") is said of
  /// the sign: "a fever last week, that's cleared up, but my back still aches" says "still" of
  /// the back, in a clause with no sign, and the fever stays over.
  ///
  /// Clauses are split at breaks and "but"; a clause counts unless it speaks of the back and
  /// holds no sign.
  func ongoingAboutSign(_ words: [String]) -> Bool {
    var clauses: [[String]] = [[]]
    for word in words {
      if TextNormalizer.isBreak(word) || word == "but" {
        clauses.append([])
      } else {
        clauses[clauses.count - 1].append(word)
      }
    }
    return clauses.contains { clause in
      guard
        sentenceCues.matching(clause, groups: SentenceCue.allCases.count)[
          SentenceCue.ongoing.rawValue]
      else { return false }
      guard clause.contains(where: { Self.backWords.contains($0) }) else { return true }
      let folded = clause.map { pronounFolds[$0] ?? $0 }
      return signStarts.candidates(in: folded).contains { candidate in
        let owner = signOwners[candidate]
        let conjunction = categories[owner.category].patterns[owner.conjunction]
        if case .affirmed = affirmation(conjunction, in: folded) { return true }
        return false
      }
    }
  }

  /// Words that name the back (or what is next to it), whose pain is the conversation's
  /// subject, not a new sign; the dialogue also reads them to tell a question about the back from
  /// one about another part of the body.
  static let backWords: Set<String> = [
    "back", "backs", "spine", "spinal", "thoracic", "shoulder", "shoulders", "blade", "blades",
    "neck", "posture", "rib", "ribs", "ribcage", "vertebra", "vertebrae", "disc", "discs",
  ]

  /// The writer as the object of what happened ("into me", "pinned me").
  static let writerObjects: Set<String> = ["me"]

  /// Checks one analysed message.
  ///
  /// Typos are taken from the analyzer's correction (one shared index), but only when they
  /// land on a word of the lexicon: a correct word is never "corrected" into a symptom.
  public func check(_ analysis: Analysis) -> EmergencyFinding? {
    var tokens = zip(analysis.rawTokens, analysis.tokens).map { raw, corrected in
      raw != corrected && lexiconWordSet.id(of: corrected) != nil ? corrected : raw
    }
    var discounted: (category: String, reason: String, evidence: String)?
    for (_, range) in figurative.matches(in: tokens) {
      discounted = discounted ?? ("", "figurative", tokens[range].joined(separator: " "))
      for i in range { tokens[i] = "_" }
    }
    var affirmed: (position: Int, category: String, evidence: String)?
    var informational: String?
    // "is that normal? I have it right now": a present-tense cue anywhere in the message
    // makes every sign in it current. Asked only once a sign is found (most messages have none).
    var happeningNow: Bool?
    // (The turns to the present are looked for only in a message with a "but".)
    let sentences = Self.sentences(of: tokens)
    let readings =
      tokens.contains("but") ? sentences.flatMap { Self.withPresentTurns($0, tokens) } : sentences
    for sentence in readings {
      let words = Array(tokens[sentence.range])
      // Signs are matched with other people's pronouns folded to the first person, so "she
      // can't feel her legs" reads like "I can't feel my legs"; context cues see the words.
      let folded = words.map { pronounFolds[$0] ?? $0 }
      let candidates = signStarts.candidates(in: folded)
      if candidates.isEmpty { continue }
      // The sentence's context, read once and only for a sentence that holds a sign.
      var context: SentenceContext?
      func sentenceContext() -> SentenceContext {
        if let context { return context }
        let cues = sentenceCues.matching(
          Self.withoutRelativeModals(words), groups: SentenceCue.allCases.count)
        func has(_ cue: SentenceCue) -> Bool { cues[cue.rawValue] }
        let isRecent = has(.recent)
        // "If I was in a car crash, would...": an assertion inside the "if" clause asserts
        // nothing, so it is read again without that clause (only when there is one).
        let asserted =
          has(.assertion)
          && (!words.contains("if")
            || sentenceCues.matching(
              Self.outsideConditional(words), groups: SentenceCue.allCases.count)[
                SentenceCue.assertion.rawValue])
        let ownPast = (has(.resolvedPast) || Self.namesPastYear(words)) && !isRecent
        let othersPast =
          has(.otherPeople) && has(.pastTense) && !isRecent && !has(.recentForOthers)
        let read = SentenceContext(
          isAsserted: asserted, isConditional: has(.hypothetical),
          isQuestion: sentence.isQuestion
            || Self.opensWithQuestionWord(words, questionWords: questionWords)
            || has(.question),
          isHistory: ownPast || othersPast, isOthersPastOnly: othersPast && !ownPast,
          isResolved: has(.resolution) && !(has(.ongoing) && ongoingAboutSign(words)))
        context = read
        return read
      }
      // Candidates come unique; staleness is the category's and the sentence's, read once.
      var stale = [Bool?](repeating: nil, count: categories.count)
      for candidate in candidates {
        let owner = signOwners[candidate]
        let category = categories[owner.category]
        let conjunction = category.patterns[owner.conjunction]
        func discount(_ reason: String) {
          if discounted == nil || discounted?.category == "" {
            let text = words.filter { !TextNormalizer.isBreak($0) }.joined(separator: " ")
            discounted = (category.name, reason, text)
          }
        }
        // A sign days old is not escalated by the lexicon, but it is no discount either: an
        // injury a few days old can still be an emergency, so the classifier keeps its say.
        let isStale = stale[owner.category] ?? category.isStale(words)
        stale[owner.category] = isStale
        if isStale { continue }
        let found: [Range<Int>]
        switch affirmation(conjunction, in: folded) {
        case .affirmed(let ranges): found = ranges
        case .negated:
          discount("negated")
          continue
        case .absent: continue
        }
        let evidence = found.map { words[$0].joined(separator: " ") }.joined(separator: " ... ")
        let c = sentenceContext()
        // Someone else's or the person's own long-ago history is not a sign now; but a past
        // attempt at self-harm with something happening now ("the thoughts are back") is.
        // (Nor is a sign whose own words make the writer its object: "someone reversed into
        // me", "a forklift pinned me": the other person named is its cause, not its patient.
        // Thirty-eighth session, after v62 was scored, from its misses' kind.)
        let writersOwn =
          c.isOthersPastOnly
          && found.contains { range in words[range].contains { Self.writerObjects.contains($0) } }
        if c.isHistory && !writersOwn
          && !(category.name == "self_harm" && presentNow.matchesAny(words))
        {
          discount("history")
          continue
        }
        // A sign said to be over ("it passed in seconds", "went away, nothing since") is set
        // aside unless something keeps it current ("again", "minutes ago", "right now").
        if c.isResolved {
          if happeningNow == nil { happeningNow = presentNow.matchesAny(tokens) }
          if happeningNow != true {
            discount("resolved")
            continue
          }
        }
        // (For a sign that is always current in the first person, the person may be anywhere in
        // the sentence: "no one would notice if I was gone".)
        let isFirstPerson =
          found.contains { range in
            let lower = max(0, range.lowerBound - 1)
            return words[lower..<range.upperBound].contains { Self.firstPerson.contains($0) }
          }
          || Self.firstPersonAlwaysCurrent.contains(category.name)
            && words.contains { Self.firstPerson.contains($0) }
        if happeningNow == nil { happeningNow = presentNow.matchesAny(tokens) }
        // Asking about one's own method or its lethality ("what happens if i take the whole
        // box of my painkillers") is the sign itself, however it is phrased; so is a question
        // about a lethal amount or method with no person in it ("how many paracetamol is
        // fatal"): the issue's rule is that such a question never gets an ordinary answer. The
        // classifier's veto still turns an unlikely one into a safety check, not an alarm.
        let isOwnSelfHarm =
          (isFirstPerson || c.isQuestion)
          && Self.firstPersonAlwaysCurrent.contains(category.name)
        // "Hit a tree skiing two days ago, back still killing me, what stretches would help":
        // the question is in another clause than the sign, which it does not ask about; the
        // sign is told. (Added in the thirty-first session, from v50's misses.)
        // (So is a supposition in another clause: "what stretches would help".)
        let clause =
          c.isQuestion || c.isConditional
          ? signClause(words, around: found.first ?? 0..<0, sentence: sentence)
          : (asks: false, supposes: false)
        let isInformational =
          happeningNow != true && !isOwnSelfHarm
          && ((c.isConditional && clause.supposes && !c.isAsserted)
            || (c.isQuestion && clause.asks && !c.isAsserted && !isFirstPerson))
        if isInformational {
          informational = informational ?? evidence
          continue
        }
        let position = sentence.range.lowerBound + (found.first?.lowerBound ?? 0)
        if affirmed == nil || position < affirmed?.position ?? Int.max {
          affirmed = (position, category.name, evidence)
        }
      }
    }
    if let affirmed { return .emergency(category: affirmed.category, evidence: affirmed.evidence) }
    if let informational { return .informational(evidence: informational) }
    if let discounted {
      return .discounted(
        category: discounted.category, reason: discounted.reason, evidence: discounted.evidence)
    }
    return nil
  }

  /// Whether a conjunction (`a && b`) is a sign here: the first un-negated match of every part.
  private func affirmation(_ parts: [PhrasePattern], in words: [String]) -> Affirmation {
    var ranges: [Range<Int>] = []
    var negated = false
    for part in parts {
      let all = part.matches(in: words)
      if all.isEmpty { return .absent }
      if negated { continue }
      // "I don't see any way out except dying": a sign that holds its own exception says
      // what the negation before it leaves standing.
      if let range = all.first(where: {
        (words[$0].contains(where: Self.exceptionWords.contains)
          || !isNegated(words, before: $0.lowerBound))
          && !isNegatedInside(words, $0, of: part)
      }) {
        ranges.append(range)
      } else {
        negated = true
      }
    }
    return negated ? .negated : .affirmed(ranges)
  }

  /// What ``affirmation(_:in:)`` found of a conjunction.
  ///
  /// Every part un-negated (the first such match of each), every part present but one only
  /// negated, or a part missing. One pass over the parts answers both "is it a sign?" and "was
  /// it a negated one?", which most candidates (whose first part is absent) used to ask twice.
  private enum Affirmation {
    case affirmed([Range<Int>])
    case negated
    case absent
  }

  /// The words with a modal inside a relative clause masked: "numb where you'd sit on a bike
  /// saddle", "the bit that would touch the seat has gone dead" place the sign; they suppose
  /// nothing.
  static func withoutRelativeModals(_ words: [String]) -> [String] {
    guard words.contains(where: relativeModals.contains) else { return words }
    var masked = words
    for (i, word) in words.enumerated() where relativeModals.contains(word) {
      if words[max(0, i - relativeReach)..<i].contains(where: relativeWords.contains) {
        masked[i] = "_"
      }
    }
    return masked
  }

  /// Whether a sentence opens with a question word, after any joining word.
  ///
  /// "Also how many would...", "and what if..." ask; a statement that opens with one with its
  /// subject left out ("can not feel my legs") does not.
  static func opensWithQuestionWord(_ words: [String], questionWords: Set<String>) -> Bool {
    let start = words.prefix(2).firstIndex(where: { !leadingJoiners.contains($0) }) ?? 0
    let rest = words[start...]
    guard let first = rest.first, questionWords.contains(first) else { return false }
    let second = rest.dropFirst().first
    return !(second.map(statementSecondWords.contains) ?? false)
  }

  /// Words that join a sentence to what came before ("also", "and", "so").
  static let leadingJoiners: Set<String> = ["also", "and", "so", "but", "ok", "okay", "oh", "plus"]

  /// Words after an opening "can" or "is" that make it a statement with its subject left
  /// out, not a question ("can not feel my legs", "can hardly breathe!!!").
  static let statementSecondWords: Set<String> = ["not", "hardly", "barely", "scarcely", "never"]

  /// Words that make an exception to a negation ("no way out except...").
  static let exceptionWords: Set<String> = ["except", "besides", "than"]

  static let relativeModals: Set<String> = ["would", "could"]
  static let relativeWords: Set<String> = ["where", "that", "which"]
  static let relativeReach = 2

  /// Words that put the speaker in a sign ("my legs", "I can't"), which a question does not
  /// make hypothetical ("is it normal that I peed myself?").
  static let firstPerson: Set<String> = ["i", "my", "me", "myself", "mine", "im"]

  /// Categories whose first-person signs are never merely a question or a hypothesis.
  static let firstPersonAlwaysCurrent: Set<String> = ["self_harm"]

  /// "in 1998", "back in 2016": a past year makes a sentence history.
  static func namesPastYear(_ words: [String]) -> Bool {
    for i in words.indices.dropFirst() where words[i - 1] == "in" {
      if let year = Int(words[i]), (1900...2099).contains(year) { return true }
    }
    return false
  }

  /// Whether the message marks what it says as happening now or very recently: the context's
  /// recency cues ("minutes ago", "right now") or, given a category, its own fresh cues
  /// ("just", "today"); used by the intake to tell a new accident from the one that started
  /// pain it has lasted for days, so "I just fell" during such an intake still escalates.
  public func mentionsRecent(_ tokens: [String], category: String? = nil) -> Bool {
    if recent.matchesAny(tokens) || presentNow.matchesAny(tokens) { return true }
    guard let category, let compiled = categories.first(where: { $0.name == category }) else {
      return false
    }
    return compiled.fresh.contains { $0.match(anywhereIn: tokens) }
  }

  /// Whether a negation cue governs the sign starting at `start`: it must stand in the same
  /// clause, within the window, with no scope-ending word between them, and not be a
  /// pseudo-negation ("not sure", "no idea").
  private func isNegated(_ words: [String], before start: Int) -> Bool {
    // "Make sure you don't survive", "so I never wake up": a negated verb of living is a
    // word of death, the sign itself, not its denial.
    if start < words.count, Self.livingVerbs.contains(words[start]) { return false }
    var lower = start
    var steps = 0
    while lower > 0 && steps < Self.negationWindow && !TextNormalizer.isBreak(words[lower - 1]) {
      lower -= 1
      steps += 1
    }
    guard lower < start else { return false }
    let window = Array(words[lower..<start])
    var blocked = Set<Int>()
    for (_, range) in pseudoNegations.matches(in: window) { blocked.formUnion(range) }
    var lastEnd = -1
    for (_, range) in scopeEnds.matches(in: window) { lastEnd = max(lastEnd, range.upperBound) }
    for (_, range) in negations.matches(in: window)
    where range.lowerBound >= lastEnd && blocked.isDisjoint(with: range) {
      return true
    }
    return false
  }

  /// Verbs of staying alive, which a negation turns into a word of death.
  static let livingVerbs: Set<String> = ["survive", "survives", "exist"]

  /// The negations that count inside a match's gap: verbs' "not" and "never", not nouns
  /// ("went from nothing to agony").
  static let innerNegations: Set<String> = ["not", "no", "never", "nor"]

  /// Whether a negation stands inside a match's gap ("my legs are not giving way" for `legs
  /// ... giving way`, "my chest does not hurt"), not being a word of the phrase itself ("can
  /// not feel") nor followed by a scope end before the match ends.
  private func isNegatedInside(_ words: [String], _ range: Range<Int>, of part: PhrasePattern)
    -> Bool
  {
    guard range.count > 2, words[range].contains(where: Self.innerNegations.contains) else {
      return false
    }
    let window = Array(words[range])
    // The phrase's own words and prefixes ("sleep and never*|not wake up").
    let own = part.source.split(whereSeparator: { " |?".contains($0) })
    func isOwn(_ word: String) -> Bool {
      own.contains { $0 == word || $0.hasSuffix("*") && word.hasPrefix($0.dropLast()) }
    }
    var blocked = Set<Int>()
    for (_, r) in pseudoNegations.matches(in: window) { blocked.formUnion(r) }
    let ends = scopeEnds.matches(in: window).map { $0.1.lowerBound }
    for (_, r) in negations.matches(in: window) where blocked.isDisjoint(with: r) {
      guard r.contains(where: { Self.innerNegations.contains(window[$0]) }) else { continue }
      if r.allSatisfy({ isOwn(window[$0]) }) { continue }
      if window[r.upperBound...].contains(where: TextNormalizer.isBreak) { continue }
      if ends.contains(where: { $0 >= r.upperBound }) { continue }
      return true
    }
    return false
  }

  /// What a sentence's context cues say about the signs in it.
  struct SentenceContext {
    /// The person puts themselves in it ("I have", "I've got").
    let isAsserted: Bool
    /// A condition or hypothesis ("if", "what if", "could").
    let isConditional: Bool
    /// Asked as a question.
    let isQuestion: Bool
    /// The person's own long-ago history, or someone else's past.
    let isHistory: Bool
    /// History only because someone else is named in the past ("someone reversed into me
    /// while I was walking"), with no long-ago time of the person's own.
    let isOthersPastOnly: Bool
    /// Said to be over, with nothing that keeps it current in the sentence.
    let isResolved: Bool
  }

  /// A sentence of a message and whether it was asked as a question.
  struct Sentence {
    let range: Range<Int>
    let isQuestion: Bool
  }

  /// A sentence and, after each "but now", "but today", "but suddenly" in it, the part that
  /// turns to the present, read again on its own.
  ///
  /// "I had a disc op years back, fine since, but now my leg won't take my weight" tells a
  /// history and then a sign: read whole, the history's words ("years back", "fine since") set
  /// the sign aside; read after the turn, nothing does, and an affirmed sign wins. The whole
  /// sentence is still read, so "my legs gave way but now I'm fine" keeps its resolution. Each
  /// part keeps the sentence's question mark.
  static func withPresentTurns(_ sentence: Sentence, _ tokens: [String]) -> [Sentence] {
    var parts = [sentence]
    for i in sentence.range
    where tokens[i] == "but" && i + 2 < sentence.range.upperBound
      && presentTurns.contains(tokens[i + 1]) && i > sentence.range.lowerBound
    {
      parts.append(
        Sentence(range: (i + 1)..<sentence.range.upperBound, isQuestion: sentence.isQuestion))
    }
    return parts
  }

  /// Whether the clause of a sentence that holds a sign is asked about, and whether it is
  /// supposed.
  ///
  /// Asked: it opens with a question word, a question cue matches in it, it ends a sentence
  /// that ends with "?", or a later question points back at it. Supposed: a supposition comes
  /// before it or in it. A sentence of one clause is read whole. A sign in a clause that tells
  /// ("came off my bike last night") is neither asked about nor supposed by the clause after.
  func signClause(_ words: [String], around sign: Range<Int>, sentence: Sentence)
    -> (asks: Bool, supposes: Bool)
  {
    guard words.contains(TextNormalizer.clauseBreak) else { return (true, true) }
    var start = min(sign.lowerBound, words.count)
    while start > 0, words[start - 1] != TextNormalizer.clauseBreak { start -= 1 }
    // ("What are the signs of a heart attack, like chest pain": a clause that goes on with an
    // example belongs to the one before.)
    while start > 1, start < words.count, Self.continuingWords.contains(words[start]) {
      start -= 1
      while start > 0, words[start - 1] != TextNormalizer.clauseBreak { start -= 1 }
    }
    var end = max(start, min(sign.upperBound, words.count))
    while end < words.count, words[end] != TextNormalizer.clauseBreak { end += 1 }
    let clause = Array(words[start..<end])
    let opensAsking =
      questionWords.contains(clause.first ?? "")
      && !(clause.count > 1 && Self.statementSecondWords.contains(clause[1]))
    // A question after the sign's clause asks about it when it points back at it ("chest pain
    // with back pain, is that serious?"), not when it asks about something else.
    let after = words[end...].split(separator: TextNormalizer.clauseBreak)
    let pointedAt = after.contains { part in
      part.contains(where: Self.pointingWords.contains)
        && (questionWords.contains(part.first ?? "") || sentence.isQuestion)
    }
    // A supposition scopes what comes after it ("if my legs went numb, would that..."), not
    // what was told before it ("hit a tree two days ago, what stretches would help").
    let told = Array(words[..<end])
    let toldCues = sentenceCues.matching(
      Self.withoutRelativeModals(told), groups: SentenceCue.allCases.count)
    let supposes =
      told.contains(where: Self.supposingWords.contains)
      || toldCues[SentenceCue.hypothetical.rawValue]
    // (And a supposed sign followed by a question is asked about: "if my son falls off his
    // skateboard, when should I take him in?")
    let asks =
      sentence.isQuestion && end == words.count || opensAsking || pointedAt
      || supposes
        && (sentence.isQuestion || after.contains { questionWords.contains($0.first ?? "") })
      || sentenceCues.matching(
        Self.withoutRelativeModals(clause), groups: SentenceCue.allCases.count)[
          SentenceCue.question.rawValue]
    return (asks, supposes)
  }

  /// Words that point back at something just said.
  static let pointingWords: Set<String> = ["that", "this", "it", "those", "these", "thats"]

  /// Words that open a supposition.
  static let supposingWords: Set<String> = [
    "if", "were", "say", "suppose", "supposing", "hypothetically", "hypothetical", "imagine",
    "lets", "let", "ever", "event", "case", "scenario", "someday", "whether", "might", "could",
    "would",
  ]

  /// Words that open a clause going on with the one before (an example, a list).
  static let continuingWords: Set<String> = [
    "like", "such", "eg", "including", "especially", "or", "and", "plus", "with",
  ]

  /// Words after "but" that turn a sentence to the present.
  static let presentTurns: Set<String> = ["now", "today", "tonight", "suddenly", "right"]

  /// The sentences of a message: runs of tokens between sentence breaks.
  static func sentences(of tokens: [String]) -> [Sentence] {
    var sentences: [Sentence] = []
    var start = 0
    for (i, token) in tokens.enumerated()
    where token == TextNormalizer.sentenceBreak || token == TextNormalizer.questionBreak {
      if i > start {
        sentences.append(
          Sentence(range: start..<i, isQuestion: token == TextNormalizer.questionBreak))
      }
      start = i + 1
    }
    if start < tokens.count {
      sentences.append(Sentence(range: start..<tokens.count, isQuestion: false))
    }
    return sentences
  }

  /// Writes the compiled lexicon (see ``SnapshotWriter``).
  func write(to w: inout SnapshotWriter) {
    w.array(categories) { w, category in
      w.string(category.name)
      w.array(category.patterns) { w, conjunction in
        w.array(conjunction) { w, pattern in pattern.write(to: &w) }
      }
      w.array(category.staleAfter) { w, pattern in pattern.write(to: &w) }
      w.array(category.fresh) { w, pattern in pattern.write(to: &w) }
    }
    for set in [negations, pseudoNegations, scopeEnds, presentNow, recent, figurative] {
      set.write(to: &w)
    }
    w.strings(questionWords.sorted())
    w.stringMap(pronounFolds.dictionary)
    sentenceCues.write(to: &w)
    signStarts.write(to: &w)
    w.raw(signOwners.flatMap { [Int32($0.category), Int32($0.conjunction)] })
    lexiconWordSet.write(to: &w)
  }

  /// Reads a detector written by ``write(to:)``.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    func patterns(_ r: inout SnapshotReader) throws(SnapshotError) -> [PhrasePattern] {
      try r.array { r throws(SnapshotError) in try PhrasePattern(snapshot: &r) }
    }
    let categories = try r.array { r throws(SnapshotError) in
      CompiledCategory(
        name: try r.string(),
        patterns: try r.array { r throws(SnapshotError) in try patterns(&r) },
        staleAfter: try patterns(&r), fresh: try patterns(&r))
    }
    let sets = try (0..<6).map { _ throws(SnapshotError) in try PatternSet(snapshot: &r) }
    let questionWords = Set(try r.strings())
    let pronounFolds = try r.stringMap()
    let cues = try CueGroups(snapshot: &r)
    guard cues.groupCount <= SentenceCue.allCases.count else {
      throw .corrupt("the emergency cue groups")
    }
    let signStarts = try PatternSet(snapshot: &r)
    let pairs = try r.raw(Int32.self)
    var owners: [(category: Int, conjunction: Int)] = []
    owners.reserveCapacity(pairs.count / 2)
    for i in Swift.stride(from: 0, to: pairs.count - 1, by: 2) {
      let (c, k) = (Int(pairs[i]), Int(pairs[i + 1]))
      guard categories.indices.contains(c), categories[c].patterns.indices.contains(k) else {
        throw .corrupt("a sign's owner")
      }
      owners.append((c, k))
    }
    guard pairs.count % 2 == 0, owners.count == signStarts.patterns.count else {
      throw .corrupt("the sign index")
    }
    self.init(
      categories: categories, signStarts: signStarts, signOwners: owners,
      lexiconWords: try StringTable(snapshot: &r), negations: sets[0],
      pseudoNegations: sets[1], scopeEnds: sets[2], presentNow: sets[3], recent: sets[4],
      figurative: sets[5], questionWords: questionWords, pronounFolds: StringMap(pronounFolds),
      sentenceCues: cues)
  }
}
