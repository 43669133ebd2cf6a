import ArgumentParser
import BacktalkCore
import BacktalkReplay
import Foundation

/// The interactive chat: readline on a terminal, plain line reads on a pipe.
struct Chat: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chat",
    abstract: "Chat in the terminal (the default). /help lists the commands.")

  @OptionGroup var knowledge: KnowledgeOptions

  func run() throws {
    StandardStreams.ignoreBrokenPipe()
    let assistant = try knowledge.makeAssistant()
    let interactive =
      StandardStreams.isTerminal(STDIN_FILENO) && StandardStreams.isTerminal(STDOUT_FILENO)
    var reader: any LineReader = interactive ? ReadlineLineReader() : PlainLineReader()
    let renderer = ReplyRenderer(usesColor: StandardStreams.isTerminal(STDOUT_FILENO))
    var state = DialogueState()
    var recorder = TranscriptRecorder(region: knowledge.region)
    if interactive {
      StandardStreams.write(
        "backtalk: an information assistant for upper back pain, not a doctor. "
          + "In an emergency call \(assistant.region.emergencyNumber).\n"
          + "Type a question, /help for commands, /quit or Ctrl-D to leave.\n\n")
    }
    while let line = reader.readLine(prompt: interactive ? "you> " : "") {
      let text = line.trimmingCharacters(in: .whitespaces)
      if text.isEmpty { continue }
      if text.hasPrefix("/") {
        if !command(
          text, assistant: assistant, state: &state, recorder: &recorder, renderer: renderer)
        {
          break
        }
        continue
      }
      let reply = assistant.respond(to: text, state: &state)
      recorder.append(user: text, reply: reply)
      let prefix = interactive ? "bot> " : ""
      guard StandardStreams.write(prefix + renderer.render(reply) + "\n\n") else { return }
    }
  }

  /// Runs a slash command; false means leave.
  private func command(
    _ text: String, assistant: Assistant, state: inout DialogueState,
    recorder: inout TranscriptRecorder, renderer: ReplyRenderer
  ) -> Bool {
    let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
    let argument = parts.count > 1 ? parts[1] : ""
    switch parts[0] {
    case "/quit", "/exit", "/q":
      return false
    case "/reset":
      state = DialogueState()
      recorder.startConversation()
      StandardStreams.write("(conversation reset)\n\n")
    case "/why":
      guard !argument.isEmpty else {
        StandardStreams.write("usage: /why MESSAGE\n\n")
        return true
      }
      StandardStreams.write(WhyReport.render(argument, assistant: assistant) + "\n")
    case "/record":
      guard !argument.isEmpty else {
        StandardStreams.write("usage: /record FILE.transcript\n\n")
        return true
      }
      do {
        try recorder.transcript(title: "Recorded in the REPL").write(
          to: URL(fileURLWithPath: argument), atomically: true, encoding: .utf8)
        StandardStreams.write("(saved \(recorder.turnCount) turns to \(argument))\n\n")
      } catch {
        StandardStreams.write("could not write \(argument): \(error.localizedDescription)\n\n")
      }
    default:
      StandardStreams.write(
        """
        /why MESSAGE    show how a message is understood (top intents, scores, matched words)
        /record FILE    save this conversation as a transcript (a regression test)
        /reset          start a fresh conversation
        /quit           leave (or Ctrl-D)

        """)
    }
    return true
  }
}
