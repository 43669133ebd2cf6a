import BacktalkCore
import Testing

/// The Swift tokenizer gives exactly the ids of the Python one model2vec calls, on every string
/// of `Tests/Fixtures/wordpiece_cases.jsonl` (typos, contractions, accents, emoji, CJK,
/// numbers, punctuation runs, long words, odd white space, medical phrases, random strings and
/// nearly every assigned Unicode character next to letters).
@Suite struct WordPieceTokenizerTests {
  @Test func everyFixtureStringGetsThePythonTokenIDs() throws {
    let tokenizer = try EmbeddingFixtures.table().tokenizer
    let rows = try EmbeddingFixtures.objects("wordpiece_cases.jsonl")
    #expect(rows.count >= 5000)
    var mismatches: [String] = []
    var failed = 0
    for (line, row) in rows {
      let text = row["text"]?.stringValue ?? ""
      let expected = try EmbeddingFixtures.numbers(row, "ids", line: line).map { UInt32($0) }
      let actual = tokenizer.tokenIDs(text)
      guard actual != expected else { continue }
      failed += 1
      if mismatches.count < 10 {
        let firstDifference = zip(actual, expected).prefix { $0 == $1 }.count
        mismatches.append(
          "line \(line) \(String(reflecting: text)): first difference at token \(firstDifference); "
            + "expected \(expected.prefix(firstDifference + 4)), "
            + "got \(actual.prefix(firstDifference + 4)) \(tokenizer.tokens(text).prefix(firstDifference + 4))"
        )
      }
    }
    #expect(
      failed == 0,
      "\(failed) of \(rows.count) strings differ:\n\(mismatches.joined(separator: "\n"))")
  }

  @Test func splitsPunctuationAndContinuesWordPieces() throws {
    let tokenizer = try EmbeddingFixtures.table().tokenizer
    #expect(
      tokenizer.tokens("Café-au-lait, PLEASE!") == [
        "cafe", "-", "au", "-", "lai", "##t", ",", "please", "!",
      ])
    #expect(tokenizer.tokens("backache") == ["back", "##ache"])
    #expect(tokenizer.tokens("東京") == ["東", "京"])
  }

  @Test func wordsLongerThanAHundredCharactersAreUnknown() throws {
    let tokenizer = try EmbeddingFixtures.table().tokenizer
    #expect(tokenizer.tokenIDs(String(repeating: "a", count: 101)) == [tokenizer.unknownID])
    #expect(tokenizer.tokenIDs(String(repeating: "a", count: 100)) != [tokenizer.unknownID])
  }

  @Test func literalSpecialTokensMatchOnlyVerbatim() throws {
    let tokenizer = try EmbeddingFixtures.table().tokenizer
    #expect(tokenizer.tokens("x[PAD]y") == ["x", "[PAD]", "y"])
    #expect(tokenizer.tokens("[pad]") == ["[", "pad", "]"])
  }
}
