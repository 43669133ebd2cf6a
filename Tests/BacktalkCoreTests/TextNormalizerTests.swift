import BacktalkCore
import Testing

@Suite struct TextNormalizerTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let input: String
    let tokens: [String]
    var testDescription: String { input }
  }

  static let cases: [Case] = [
    Case(input: "I can't feel my legs", tokens: ["i", "can", "not", "feel", "my", "legs"]),
    Case(input: "cant pee", tokens: ["can", "not", "pee"]),
    Case(input: "I cannot walk.", tokens: ["i", "can", "not", "walk"]),
    Case(input: "I don’t have chest pain", tokens: ["i", "do", "not", "have", "chest", "pain"]),
    Case(input: "it's 7/10", tokens: ["it", "is", "7", "/", "10"]),
    Case(input: "3wks", tokens: ["3", "wks"]),
    Case(input: "No fever, but my legs", tokens: ["no", "fever", "|", "but", "my", "legs"]),
    Case(input: "Sore. Really sore!", tokens: ["sore", ".", "really", "sore"]),
    Case(input: "light-headed", tokens: ["light", "headed"]),
    Case(input: "ÉTÉ café", tokens: ["été", "café"]),
    Case(input: "2.5 weeks", tokens: ["2.5", "weeks"]),
    // "ill" before a verb, opening a clause, is "I'll" without its apostrophe; elsewhere the
    // adjective.
    Case(
      input: "ok ill just go see my doctor",
      tokens: ["ok", "i", "will", "just", "go", "see", "my", "doctor"]),
    Case(input: "ill ring them", tokens: ["i", "will", "ring", "them"]),
    Case(input: "I feel ill just sitting", tokens: ["i", "feel", "ill", "just", "sitting"]),
    Case(input: "ill health", tokens: ["ill", "health"]),
  ]

  @Test(arguments: cases)
  func tokenises(_ c: Case) {
    #expect(TextNormalizer().tokens(c.input) == c.tokens)
  }

  @Test func appliesSpellingFolds() {
    let n = TextNormalizer(spellings: ["mum": "mom"])
    #expect(n.tokens("my mum's advice") == ["my", "mom"] + ["advice"])
  }

  /// Letters and digits typed as one word are split ("3wks"), unless a fold is written for the
  /// whole word: "b4" is "before", never a pain score of 4.
  @Test func foldsAWordOfLettersAndDigitsWhole() {
    let n = TextNormalizer(spellings: ["b4": "before", "2day": "today"])
    #expect(n.tokens("oh wait b4 i forget") == ["oh", "wait", "before", "i", "forget"])
    #expect(n.tokens("B4, 2day") == ["before", "|", "today"])
    #expect(n.tokens("3wks b45") == ["3", "wks", "b", "45"])
  }

  @Test func stemsPluralsAndForms() {
    #expect(Stemmer.stem("stretches") == Stemmer.stem("stretch"))
    #expect(Stemmer.stem("stretching") == Stemmer.stem("stretch"))
    #expect(Stemmer.stem("injections") == "injection")
    #expect(Stemmer.stem("posture") == "posture")
  }

  @Test(arguments: [
    ("heyyy", "hey"), ("goooood", "good"), ("sooo", "so"), ("thanksss", "thanks"),
    ("pleeease", "please"),
  ])
  func readsALetterHeldForEmphasisAsTheWord(_ stretched: String, word: String) {
    let known: Set = ["hey", "good", "so", "thanks", "please", "god"]
    #expect(TextAnalyzer.unstretched(stretched, known: known.contains) == word)
  }

  @Test func leavesWordsWithoutALongRunAlone() {
    #expect(TextAnalyzer.unstretched("coffee", known: { _ in true }) == nil)
    #expect(TextAnalyzer.unstretched("zzzzz", known: { _ in false }) == nil)
    #expect(TextAnalyzer.unstretched("99999", known: { _ in true }) == nil)
  }

  /// A word English knows whole is no typo of a knowledge-base word one letter away; a known
  /// word's inflection still is that word.
  @Test(arguments: [
    ("can a kidney infection feel like back pain", "w:infection", "w:injection"),
    ("had lunch then it started", "w:lunch", "w:hunch"),
  ])
  func keepsEnglishWordsAsTyped(_ text: String, kept: String, notBentInto: String) {
    let features = Fixtures.assistant.classify(text).features
    #expect(features.contains(kept))
    #expect(!features.contains(notBentInto))
  }

  /// A misspelt shorthand is corrected to the shorthand, then folded as the shorthand is:
  /// "phsyio" reads as "physio", which is physiotherapy.
  @Test(arguments: [("phsyio for back, does it work", "w:physiotherapy", "w:phsyio")])
  func foldsACorrectedShorthand(_ text: String, read: String, notKept: String) {
    let features = Fixtures.assistant.classify(text).features
    #expect(features.contains(read))
    #expect(!features.contains(notKept))
  }

  @Test func correctsTyposScaledToLength() {
    let c = TypoCorrector(words: ["heating": 3, "exercise": 5, "chiropractor": 2, "knee": 1])
    #expect(c.correction(for: "heatin") == "heating")
    #expect(c.correction(for: "excercise") == "exercise")
    #expect(c.correction(for: "chiropracter") == "chiropractor")
    #expect(c.correction(for: "knew") == nil)
    #expect(c.correction(for: "banana") == nil)
  }
}
