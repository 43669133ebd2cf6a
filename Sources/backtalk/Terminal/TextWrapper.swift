/// Word wrapping for the terminal: lines break between words, never inside one.
///
/// Each line of the text is wrapped on its own, so a plan's bullets stay bullets: a line that
/// starts with `- `, `• ` or `1. ` continues under its first word, not under the bullet. A
/// word longer than the width keeps its own line rather than being cut.
struct TextWrapper {
  /// The most characters on a line (at least 20, so a narrow pane still reads).
  let width: Int

  init(width: Int) { self.width = max(20, width) }

  /// The text's lines, each at most `width` characters unless a single word is longer.
  func wrap(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrapLine(String($0)) }
  }

  private func wrapLine(_ line: String) -> [String] {
    guard line.count > width else { return [line] }
    let leading = String(line.prefix { $0 == " " })
    let hang = String(repeating: " ", count: Self.hangingIndent(of: line))
    var lines: [String] = []
    var current = ""
    for word in line.split(separator: " ", omittingEmptySubsequences: true) {
      if current.isEmpty {
        current = leading + word
      } else if current.count + 1 + word.count <= width || word == "|" {
        // A separator stays at the end of its line rather than starting the next one.
        current += " " + word
      } else {
        lines.append(current)
        current = hang + word
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }

  /// How far a list item's continuation lines are indented: past `- `, `• `, `12. ` or `[3] `.
  static func hangingIndent(of line: String) -> Int {
    let leading = line.prefix { $0 == " " }.count
    let rest = line.dropFirst(leading)
    if rest.hasPrefix("- ") || rest.hasPrefix("• ") || rest.hasPrefix("* ") { return leading + 2 }
    let digits = rest.prefix { $0.isNumber }
    if !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(". ") {
      return leading + digits.count + 2
    }
    if rest.hasPrefix("["), let close = rest.firstIndex(of: "]"),
      rest[rest.index(after: rest.startIndex)..<close].allSatisfy(\.isNumber),
      rest[close...].hasPrefix("] ")
    {
      return leading + rest.distance(from: rest.startIndex, to: close) + 2
    }
    return leading
  }
}
