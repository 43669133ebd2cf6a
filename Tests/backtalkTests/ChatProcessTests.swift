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

    /// The slash commands over a pipe.
    ///
    /// /why explains a message, /reset starts afresh (the intake's question is forgotten),
    /// /record saves the chat as a transcript that replays, an unknown command lists the
    /// commands, a command without its argument says how to use it, and /quit leaves at once
    /// with status 0 (the line after it is never answered).
    @Test func slashCommandsOverAPipe() throws {
      let sandbox = try Sandbox()
      let record = sandbox.root.appendingPathComponent("chat.transcript")
      let lines = [
        "make me a plan", "/why is heat or ice better", "/reset", "upper back",
        "/record \(record.path)", "/nonsense", "/why", "/record", "hi", "/quit", "hello again",
      ]
      let result = try Binary.run(
        ["chat"], input: Array((lines.joined(separator: "\n") + "\n").utf8), in: sandbox)
      #expect(result.status == 0)
      #expect(result.stderr.isEmpty, "\(result.stderr)")
      let out = result.stdout
      #expect(out.contains("message: is heat or ice better\n"))
      #expect(out.contains("\n1. treatment.heat_cold  score "))
      #expect(out.contains("(conversation reset)\n"))
      #expect(out.contains("(saved 2 turns to \(record.path))"))
      #expect(out.contains("/record FILE    save this conversation as a transcript"))
      #expect(out.contains("usage: /why MESSAGE\n"))
      #expect(out.contains("usage: /record FILE.transcript\n"))
      // "hi" is answered; "hello again", after /quit, is not.
      #expect(out.components(separatedBy: "Hi, I'm backtalk").count == 2, "\(out)")
      // The reset split the recording in two, and "upper back" was not read as the intake's
      // answer; commands are not part of it.
      let transcript = try String(contentsOf: record, encoding: .utf8)
      #expect(transcript.contains("=== conversation 1\n> make me a plan\n"))
      let second = transcript.components(separatedBy: "=== conversation 2\n")
      try #require(second.count == 2, "\(transcript)")
      #expect(second[1].hasPrefix("> upper back\n"))
      #expect(second[1].contains("\nflow: none\n") && second[1].contains("\nslots: none\n"))
      #expect(!transcript.contains("> /"))
      let replay = try Binary.run(["replay", record.path], in: sandbox)
      #expect(replay.status == 0, "\(replay.stdout)")
      #expect(replay.stdout.contains("2 passed, 0 failed"))
    }

    /// A chat started with `--region` shows that region's numbers.
    @Test func regionSetsTheNumbersOfAChat() throws {
      let result = try Binary.run(
        ["chat", "--region", "au"], input: Array("I want to kill myself\n".utf8))
      #expect(result.status == 0)
      #expect(result.stdout.contains("!!! EMERGENCY (self_harm): CALL 000 NOW !!!"))
      #expect(result.stdout.contains("Lifeline on 13 11 14"))
      #expect(!result.stdout.contains("911") && !result.stdout.contains("988"))
    }

    /// A reader that goes away ends the chat quietly (SIGPIPE is ignored, the failed write
    /// ends the loop), with status 0.
    @Test func quietWhenTheReaderGoesAway() throws {
      let sandbox = try Sandbox()
      let chat = try Binary.start(["chat"], in: sandbox)
      chat.closeOutput()
      chat.write(String(repeating: "is heat or ice better?\n", count: 500))
      chat.closeInput()
      let rest = chat.readToEnd()
      let end = chat.wait()
      #expect(end.status == 0 && end.signal == nil, "\(end)")
      let err = String(decoding: rest.stderr, as: UTF8.self)
      #expect(!err.contains("Fatal") && !err.contains("Crash"), "\(err)")
    }
  }
}
