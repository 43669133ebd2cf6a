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
