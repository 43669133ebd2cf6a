import BacktalkCore

/// Reads the transcript format (see the README).
///
/// ```
/// # a comment
/// title: Heat or ice
/// region: uk
///
/// === asks about heat
/// > is heat or ice better?
/// < Both can help...          (exact reply text; several `<` lines are joined by newlines)
/// intent: treatment.heat_cold
/// !kind: fallback             (`!` = must not be)
/// contains: cloth
/// slots: location=upper, duration_days=21
/// ```
public enum TranscriptParser {
  /// Parses a file's text.
  ///
  /// - Throws: ``TranscriptError/syntax(file:line:message:)`` for a line it cannot read.
  public static func parse(_ text: String, file: String) throws -> Transcript {
    var transcript = Transcript(title: file, conversations: [])
    var pendingComments: [String] = []
    var textLines: [String] = []
    var textLine = 0
    func flushText() {
      guard !textLines.isEmpty, !transcript.conversations.isEmpty else { return }
      let c = transcript.conversations.count - 1
      if let t = transcript.conversations[c].turns.indices.last {
        transcript.conversations[c].turns[t].expectations.append(
          Transcript.Expectation(
            key: "text", value: textLines.joined(separator: "\n"), line: textLine))
      }
      textLines = []
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (offset, rawLine) in lines.enumerated() {
      let number = offset + 1
      let line = String(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine)
      if line.hasPrefix("<") {
        if textLines.isEmpty { textLine = number }
        var content = String(line.dropFirst())
        if content.hasPrefix(" ") { content.removeFirst() }
        guard transcript.conversations.last?.turns.isEmpty == false else {
          throw TranscriptError.syntax(
            file: file, line: number, message: "a '<' reply line comes before any '>' user line")
        }
        textLines.append(content)
        continue
      }
      flushText()
      let trimmed = line.trimmingSpaces()
      if trimmed.isEmpty { continue }
      if trimmed.hasPrefix("#") {
        if transcript.conversations.isEmpty {
          transcript.header.append(trimmed)
        } else {
          pendingComments.append(trimmed)
        }
        continue
      }
      if trimmed.hasPrefix("===") {
        let name = String(trimmed.dropFirst(3)).trimmingSpaces()
        transcript.conversations.append(
          Transcript.Conversation(
            name: name.isEmpty ? "conversation \(transcript.conversations.count + 1)" : name,
            line: number, turns: []))
        pendingComments = []
        continue
      }
      if trimmed.hasPrefix(">") {
        if transcript.conversations.isEmpty {
          transcript.conversations.append(
            Transcript.Conversation(name: "conversation 1", line: number, turns: []))
        }
        var user = String(trimmed.dropFirst())
        if user.hasPrefix(" ") { user.removeFirst() }
        let c = transcript.conversations.count - 1
        transcript.conversations[c].turns.append(
          Transcript.Turn(user: user, line: number, comments: pendingComments, expectations: []))
        pendingComments = []
        continue
      }
      guard let colon = trimmed.firstIndex(of: ":") else {
        throw TranscriptError.syntax(
          file: file, line: number,
          message: "expected '> user text', '< reply text', 'key: value', '=== name' or '# comment'"
        )
      }
      var key = String(trimmed[..<colon]).trimmingSpaces()
      let value = String(trimmed[trimmed.index(after: colon)...]).trimmingSpaces()
      let negated = key.hasPrefix("!")
      if negated { key.removeFirst() }
      if transcript.conversations.isEmpty || transcript.conversations.last?.turns.isEmpty == true {
        switch key {
        case "title": transcript.title = value
        case "region": transcript.region = value
        default:
          throw TranscriptError.syntax(
            file: file, line: number,
            message: "'\(key)' before the first '>' turn; only title: and region: go there")
        }
        continue
      }
      guard Transcript.keys.contains(key) else {
        throw TranscriptError.syntax(
          file: file, line: number,
          message: "unknown expectation '\(key)'; use one of "
            + Transcript.keys.sorted().joined(separator: ", "))
      }
      let c = transcript.conversations.count - 1
      let t = transcript.conversations[c].turns.count - 1
      transcript.conversations[c].turns[t].expectations.append(
        Transcript.Expectation(key: key, value: value, isNegated: negated, line: number))
    }
    flushText()
    return transcript
  }
}

/// Why a transcript could not be read or written.
public enum TranscriptError: Error, Equatable, CustomStringConvertible {
  /// A line of a transcript file that does not parse.
  case syntax(file: String, line: Int, message: String)
  /// A file or folder that cannot be read.
  case unreadable(path: String, reason: String)

  /// `file:line: message`.
  public var description: String {
    switch self {
    case .syntax(let file, let line, let message): return "\(file):\(line): \(message)"
    case .unreadable(let path, let reason): return "\(path): \(reason)"
    }
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return String(s)
  }
}
