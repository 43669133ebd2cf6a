import BacktalkReplay
import Testing

/// The line diff of a text failure, on hand-written cases.
@Suite struct TextDiffTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: String
    let actual: String
    let body: [String]
    var testDescription: String { name }
  }

  @Test(arguments: [
    Case(name: "same", expected: "a\nb", actual: "a\nb", body: ["  a", "  b"]),
    Case(
      name: "changed line", expected: "a\nb\nc", actual: "a\nB\nc",
      body: ["  a", "- b", "+ B", "  c"]),
    Case(name: "added line", expected: "a", actual: "a\nb", body: ["  a", "+ b"]),
    Case(name: "removed line", expected: "a\nb\nc", actual: "a\nc", body: ["  a", "- b", "  c"]),
    Case(
      name: "all different", expected: "x\ny", actual: "z",
      body: ["- x", "- y", "+ z"]),
    Case(name: "empty expected", expected: "", actual: "a", body: ["- ", "+ a"]),
  ])
  func showsEachLineOnce(_ c: Case) {
    #expect(
      TextDiff.unified(expected: c.expected, actual: c.actual)
        == (["--- expected", "+++ actual"] + c.body).joined(separator: "\n"))
  }
}
