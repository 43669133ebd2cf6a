import Foundation
@testable import BacktalkCore
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

  /// Alternatives of a pattern get the spelling folds of messages.
  ///
  /// A message's "physio" reaches the patterns as "physiotherapy": an alternative must be
  /// folded the same way, or "book in with a physio" never matches "book in ... gp|physio".
  @Test(arguments: [
    ("i will book in ... gp|physio", "I'll book in with a physio then", true),
    ("ring|call my mum|dad", "gonna call my mum", true),
    ("ring|call my mum|dad", "gonna call my sister", false),
  ])
  func alternativesGetTheSpellingFolds(pattern: String, text: String, matches: Bool) throws {
    let normalizer = TextNormalizer(spellings: ["physio": "physiotherapy", "mum": "mom"])
    let p = try PhrasePattern(normalizing: pattern, with: normalizer)
    #expect(p.matches(in: normalizer.tokens(text)).isEmpty == !matches)
  }

  @Test func rejectsPatternsThatWouldMatchEverything() {
    #expect(throws: PhrasePatternError.self) { try PhrasePattern(parsing: "... word?") }
    #expect(throws: PhrasePatternError.self) { try PhrasePattern(parsing: "a||b") }
  }

  /// A damaged pattern in a snapshot is refused, never trusted: counts so large that their sum
  /// would overflow, or that reach past the pattern's words, throw `corrupt`.
  @Test(arguments: [
    (0, Int.max, 1, 1), (Int.max, 1, 0, 1), (1, 1, Int.max - 1, 1), (0, 3, 0, 1), (1, 2, 0, 1),
    (-1, 1, 0, 1), (0, 0, 0, 0), (0, 1, 0, Int.max),
  ])
  func aDamagedPatternSnapshotIsRefused(start: Int, words: Int, prefixes: Int, gap: Int) {
    var w = SnapshotWriter()
    w.string("a|b")
    w.strings(["a", "b"])
    w.array([0]) { w, _ in
      w.int(start)
      w.int(words)
      w.int(prefixes)
      w.bool(false)
      w.int(gap)
    }
    var r = SnapshotReader(w.bytes)
    #expect(throws: SnapshotError.corrupt("pattern element")) { try PhrasePattern(snapshot: &r) }
    // The same bytes with sane counts are read.
    var good = SnapshotWriter()
    good.string("a|b")
    good.strings(["a", "b"])
    good.array([0]) { w, _ in
      w.int(0)
      w.int(2)
      w.int(0)
      w.bool(false)
      w.int(1)
    }
    var reader = SnapshotReader(good.bytes)
    #expect(throws: Never.self) { try PhrasePattern(snapshot: &reader) }
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
