import BacktalkCore

/// Formats a reply for the terminal: the bot's words under a label with a hanging indent,
/// wrapped at the terminal's width, with compact numbered sources.
///
/// Colour and wrapping are off when stdout is not a terminal (see ``TerminalInfo``), so a
/// piped chat prints plain lines a script can read.
struct ReplyRenderer {
  /// Whether to use ANSI colour.
  let usesColor: Bool
  /// The width to wrap at, or nil not to wrap.
  let width: Int?
  /// What the emergency banner tells people to call instead of the escalation's digits, or
  /// nil for the digits: a chat that knows no region shows "your local emergency number", not
  /// the 112 its tel: digits hold.
  var numberLabel: String? = nil

  /// One document a reply cites, numbered in order of first citation, with the sections cited.
  struct CitedDocument: Equatable {
    var title: String
    var publisher: String?
    var file: String
    var sections: [String]
  }

  private func style(_ text: String, _ code: String) -> String {
    usesColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// The sources grouped by document: a plan citing four sections of one article shows it once.
  static func documents(_ sources: [SourceRef]) -> [CitedDocument] {
    var documents: [CitedDocument] = []
    for source in sources {
      if let i = documents.firstIndex(where: { $0.file == source.document }) {
        if !documents[i].sections.contains(source.section) {
          documents[i].sections.append(source.section)
        }
      } else {
        documents.append(
          CitedDocument(
            title: source.displayTitle, publisher: source.publisher, file: source.document,
            sections: [source.section]))
      }
    }
    return documents
  }

  /// The reply, its first line starting with `label` (`"bot> "` in the REPL, empty when piped)
  /// and the rest indented under it.
  func render(_ reply: Reply, label: String) -> String {
    let indent = String(repeating: " ", count: label.count)
    let wrapper = width.map { TextWrapper(width: $0 - label.count) }
    var body: [String] = []
    func add(_ text: String, _ code: String?) {
      for line in wrapper?.wrap(text)
        ?? text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      {
        body.append(code.map { style(line, $0) } ?? line)
      }
    }
    if let escalation = reply.escalation {
      let number = numberLabel ?? escalation.number
      add("!!! EMERGENCY (\(escalation.category)): CALL \(number.uppercased()) NOW !!!", "1;97;41")
      add(reply.text, "1;31")
    } else {
      add(reply.text, nil)
    }
    let documents = Self.documents(reply.sources)
    for (i, document) in documents.enumerated() {
      let head = i == 0 ? "Sources: " : "         "
      add(
        head + "[\(i + 1)] " + shortened(document.title, to: (width ?? 1000) - label.count - 13),
        "2")
    }
    if !reply.options.isEmpty {
      add("Options: " + reply.options.joined(separator: " | "), "1;36")
    }
    if !reply.suggestions.isEmpty {
      add("You could ask: " + reply.suggestions.joined(separator: " | "), "36")
    }
    let styledLabel = label.isEmpty ? "" : style(label, "1;34")
    return body.enumerated().map { ($0.offset == 0 ? styledLabel : indent) + $0.element }
      .joined(separator: "\n")
  }

  /// The full list behind the numbers: title, publisher, file and every section cited.
  func renderSources(_ sources: [SourceRef]) -> String {
    let documents = Self.documents(sources)
    guard !documents.isEmpty else { return "The last reply cited no sources." }
    let wrapper = width.map { TextWrapper(width: $0) }
    var lines: [String] = []
    func add(_ text: String, _ code: String?) {
      for line in wrapper?.wrap(text) ?? [text] {
        lines.append(code.map { style(line, $0) } ?? line)
      }
    }
    for (i, document) in documents.enumerated() {
      add("[\(i + 1)] " + document.title + (document.publisher.map { " (\($0))" } ?? ""), "1")
      add("    file: \(document.file)", "2")
      for section in document.sections { add("    - \u{201C}\(section)\u{201D}", nil) }
    }
    return lines.joined(separator: "\n")
  }

  /// The title cut at a word to at most `limit` characters, with an ellipsis (a compact
  /// reference is one line).
  private func shortened(_ title: String, to limit: Int) -> String {
    let limit = max(16, limit)
    guard title.count > limit else { return title }
    var cut = title.prefix(limit - 1)
    if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > limit / 2
    {
      cut = cut[..<space]
    }
    while let last = cut.last, last == "," || last == ":" || last == " " { cut.removeLast() }
    return cut + "\u{2026}"
  }
}
