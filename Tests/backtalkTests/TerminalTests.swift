import Foundation
import Testing

extension ProcessTests {
  /// The chat on a pseudo-terminal, as a person uses it.
  ///
  /// GNU readline's line editing, the history file, Ctrl-C and Ctrl-D; HOME is the sandbox,
  /// so the history is the test's own.
  @Suite(.timeLimit(.minutes(2))) struct TerminalTests {
    static let left = "\u{1B}[D"
    static let up = "\u{1B}[A"

    static func chat(in sandbox: Sandbox) throws -> Child {
      try Binary.start(
        ["chat"], environment: ["TERM": "xterm", "LANG": "C.UTF-8"], in: sandbox,
        streams: .terminal, timeout: .seconds(60))
    }

    /// Whether the output shows a prompt.
    static func prompt(_ screen: String) -> Bool { screen.contains("you> ") }

    /// The screen with its wrapped lines joined by single spaces.
    static func joined(_ screen: String) -> String {
      // Colour and mode escapes (ESC [ ... letter) out first.
      var plain = ""
      var inEscape = false
      for character in screen {
        if character == "\u{1B}" {
          inEscape = true
        } else if inEscape {
          if character.isLetter && character != "[" { inEscape = false }
        } else {
          plain.append(character)
        }
      }
      return plain.split(whereSeparator: { $0.isNewline })
        .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// Whether the output shows a reply and the prompt after it.
    static func reply(_ screen: String) -> Bool {
      guard let reply = screen.range(of: "bot> ", options: .backwards) else { return false }
      return screen[reply.upperBound...].contains("you> ")
    }

    @Test func editingHistoryCtrlCAndCtrlD() throws {
      let sandbox = try Sandbox()
      let chat = try Self.chat(in: sandbox)
      var screen = chat.read(until: Self.prompt)
      // Replies are word-wrapped at the terminal's width: compare with lines joined.
      // (No region given: the numbers of the main regions, not one country's guess.)
      #expect(
        Self.joined(screen).contains(
          "not a doctor. In an emergency call your local emergency number (911 in the US"))
      // A typo mended with the arrow keys before Enter.
      chat.write("is heat or ice bettr?" + Self.left + Self.left + "e\r")
      screen = chat.read(until: Self.reply)
      #expect(Self.joined(screen).contains("for different kinds of pain"), "\(screen)")
      // Ctrl-C, once the line is on the screen, abandons it: readline's buffer is cleared,
      // so the next line is answered alone (were it kept, "…too" + "hi" would escalate).
      chat.write("my chest hurts and my back too")
      screen = chat.read(until: { $0.contains("my back too") })
      chat.write("\u{03}")
      screen = chat.read(until: Self.prompt)
      chat.write("hi\r")
      screen = chat.read(until: Self.reply)
      #expect(screen.contains("Hi, I'm backtalk"), "\(screen)")
      #expect(!screen.contains("EMERGENCY"))
      // Ctrl-D on an empty line leaves, with status 0.
      chat.write("\u{04}")
      _ = chat.read(until: { _ in false }, timeout: .seconds(30))
      let end = chat.wait()
      #expect(end.status == 0 && end.signal == nil, "\(end)")
      let history = try String(
        contentsOf: sandbox.home.appendingPathComponent(".backtalk_history"), encoding: .utf8)
      #expect(history == "is heat or ice better?\nhi\n", "\(history)")

      // A new chat reads the history back: two steps up is the mended question.
      let again = try Self.chat(in: sandbox)
      screen = again.read(until: Self.prompt)
      again.write(Self.up + Self.up + "\r")
      screen = again.read(until: Self.reply)
      #expect(Self.joined(screen).contains("for different kinds of pain"), "\(screen)")
      again.write("/quit\r")
      _ = again.read(until: { _ in false }, timeout: .seconds(30))
      #expect(again.wait().status == 0)
      let kept = try String(
        contentsOf: sandbox.home.appendingPathComponent(".backtalk_history"), encoding: .utf8)
      #expect(kept == "is heat or ice better?\nhi\nis heat or ice better?\n/quit\n", "\(kept)")
    }
  }
}
