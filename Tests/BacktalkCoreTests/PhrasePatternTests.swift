import Foundation
import BacktalkCore
import Testing

@Suite struct PhrasePatternTests {
  func tokens(_ s: String) -> [String] { TextNormalizer().tokens(s) }

  @Test func matchesAlternativesOptionalsAndGaps() throws {
    let p = try PhrasePattern(parsing: "lose|lost|losing control of? my? bladder|bowel|bowels")
    #expect(!p.matches(in: tokens("I lost control of my bladder")).isEmpty)
    #expect(!p.matches(in: tokens("losing control bowels")).isEmpty)
    #expect(p.matches(in: tokens("I lost my keys")).isEmpty)
    let gap = try PhrasePattern(parsing: "chest ... tight")
    #expect(!gap.matches(in: tokens("my chest feels really tight")).isEmpty)
    #expect(gap.matches(in: tokens("my chest, and my back feel tight")).isEmpty)
  }

  @Test func matchesPrefixes() throws {
    let p = try PhrasePattern(parsing: "numb* groin")
    #expect(!p.matches(in: tokens("numbness groin")).isEmpty)
  }

  @Test func rejectsPatternsThatWouldMatchEverything() {
    #expect(throws: PhrasePatternError.self) { try PhrasePattern(parsing: "... word?") }
    #expect(throws: PhrasePatternError.self) { try PhrasePattern(parsing: "a||b") }
  }
}

@Suite struct PatternSetTests {
  /// The index only skips patterns that cannot match: on every fixture message, the indexed
  /// set finds exactly what trying every pattern at every position finds, in the same order.
  @Test func findsWhatTryingEveryPatternFinds() throws {
    let lexicon = Fixtures.knowledge.emergencies
    let c = lexicon.context
    var sources = lexicon.categories.flatMap { $0.patterns }.flatMap {
      $0.components(separatedBy: "&&")
    }
    sources += c.negations + c.scopeEnds + c.hypothetical + c.otherPeople + c.recent
    sources += c.figurative + c.pseudoNegations + c.assertions + c.presentNow + c.questionCues
    // Prefixes, one that is not ASCII, and patterns made only of function words.
    sources += ["numb* legs?", "éblou* eyes", "weak* ... arm|arms", "i am", "it is not"]
    let patterns = try sources.map { try PhrasePattern(parsing: $0) }
    let set = PatternSet(patterns)
    let normalizer = TextNormalizer(spellings: Fixtures.knowledge.vocabulary.spellings)
    var texts = ["numbness in my legs", "éblouissement eyes", "weakness in my right arm"]
    texts += Fixtures.knowledge.emergencyCorpus.map(\.text)
    texts += Fixtures.jsonLines("heldout_intents.jsonl").compactMap {
      if case .string(let s)? = $0["text"] { return s } else { return nil }
    }
    #expect(texts.count > 900)
    var found = 0
    for text in texts {
      let tokens = normalizer.tokens(text)
      let everyPattern = patterns.indices.flatMap { i in
        patterns[i].matches(in: tokens).map { (i, $0) }
      }
      let indexed = set.matches(in: tokens)
      #expect(indexed.map(\.pattern) == everyPattern.map(\.0), "\(text)")
      #expect(indexed.map(\.range) == everyPattern.map(\.1), "\(text)")
      found += indexed.count
    }
    #expect(found > 500)
  }
}
