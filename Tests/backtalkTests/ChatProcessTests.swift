import Foundation
import Testing

extension ProcessTests {
  /// `backtalk chat` with stdin and stdout piped: plain lines, no prompts, no escape codes.
  @Suite(.timeLimit(.minutes(2))) struct ChatProcessTests {
    @Test func pipedChatDoesNotEchoInputOrPrintEscapes() throws {
      let result = try Binary.run(
        ["chat"], input: Array("hi\nmy chest hurts and my back too\n".utf8))
      #expect(result.status == 0)
      #expect(!result.stdout.contains("my chest hurts and my back too"))
      #expect(!result.stdout.contains("\u{1B}"))
      #expect(!result.stdout.contains("you>") && !result.stdout.contains("bot>"))
      #expect(result.stdout.contains("EMERGENCY"))
    }
  }
}
