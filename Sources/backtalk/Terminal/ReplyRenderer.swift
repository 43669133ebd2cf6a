import BacktalkCore

/// Formats a reply for a terminal: colour and emphasis only when stdout is a terminal.
struct ReplyRenderer {
  let usesColor: Bool

  private func style(_ text: String, _ code: String) -> String {
    usesColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  func render(_ reply: Reply) -> String {
    var lines: [String] = []
    if let escalation = reply.escalation {
      let banner = "!!! EMERGENCY (\(escalation.category)): CALL \(escalation.number) NOW !!!"
      lines.append(style(banner, "1;97;41"))
      lines.append(style(reply.text, "1;31"))
    } else {
      lines.append(reply.text)
    }
    if !reply.sources.isEmpty {
      lines.append(style("Sources:", "2"))
      for source in reply.sources {
        lines.append(style("  - \(source.document), \"\(source.section)\"", "2"))
      }
    }
    if !reply.options.isEmpty {
      lines.append(style("Options: " + reply.options.joined(separator: " | "), "36"))
    }
    if !reply.suggestions.isEmpty {
      lines.append(style("You could ask: " + reply.suggestions.joined(separator: " | "), "36"))
    }
    return lines.joined(separator: "\n")
  }
}
