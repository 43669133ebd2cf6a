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
    let terminal = TerminalInfo()
    var state = DialogueState()
    var lastSources: [SourceRef] = []
    var recorder = TranscriptRecorder(region: knowledge.region)
    if interactive {
      let welcome =
        "backtalk: an information assistant for upper back pain, not a doctor. "
        + "In an emergency call \(assistant.region.spokenNumber).\n"
        + "Type a question; /sources shows where the last answer came from, /help lists the "
        + "commands, /quit or Ctrl-D leaves."
      let lines = terminal.width.map { TextWrapper(width: $0).wrap(welcome) } ?? [welcome]
      StandardStreams.write(lines.joined(separator: "\n") + "\n\n")
    }
    // (A chat that knows no region says "your local emergency number" in its banner, not the
    // digits of its tel: link.)
    let renderer = ReplyRenderer(
      usesColor: terminal.usesColor, width: terminal.width,
      numberLabel: assistant.region.numberText == nil ? nil : "your local emergency number")
    while let line = reader.readLine(prompt: interactive ? "you> " : "") {
      let text = line.trimmingCharacters(in: .whitespaces)
      if text.isEmpty { continue }
      if text.hasPrefix("/") {
        if !command(
          text, assistant: assistant, state: &state, recorder: &recorder, renderer: renderer,
          lastSources: &lastSources)
        {
          break
        }
        continue
      }
      let reply = assistant.respond(to: text, state: &state)
      recorder.append(user: text, reply: reply)
      if !reply.sources.isEmpty { lastSources = reply.sources }
      let label = interactive ? "bot> " : ""
      guard StandardStreams.write(renderer.render(reply, label: label) + "\n\n") else { return }
    }
  }

  /// Every command of the REPL, for /help and after an unknown one.
  static let help = """
    /sources        the last answer's sources: titles and sections
    /why MESSAGE    how a message is understood (intents, scores)
    /record FILE    save this conversation as a transcript
    /reset          start a fresh conversation
    /help           this list
    /quit           leave (or Ctrl-D)

    """

  /// Runs a slash command; false means leave.
  private func command(
    _ text: String, assistant: Assistant, state: inout DialogueState,
    recorder: inout TranscriptRecorder, renderer: ReplyRenderer, lastSources: inout [SourceRef]
  ) -> Bool {
    let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
    let argument = parts.count > 1 ? parts[1] : ""
    switch parts[0] {
    case "/quit", "/exit", "/q":
      return false
    case "/reset":
      state = DialogueState()
      lastSources = []
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
    case "/sources":
      StandardStreams.write(renderer.renderSources(lastSources) + "\n\n")
    case "/help", "/?":
      StandardStreams.write(Self.help + "\n")
    default:
      StandardStreams.write("unknown command \(parts[0])\n" + Self.help + "\n")
    }
    return true
  }
}
