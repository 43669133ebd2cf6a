import ArgumentParser
import BacktalkCore
import BacktalkReplay
import Foundation

/// Records a conversation (messages from stdin, one per line) as a transcript.
struct Record: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record",
    abstract:
      "Read user messages (one per line) from stdin, answer them, and write the conversation as a transcript with every expectation filled in.",
    discussion:
      "A line '=== name' (or '---') starts a new conversation (fresh session). In the REPL, /record FILE does the same for the chat just held."
  )

  @OptionGroup var knowledge: KnowledgeOptions

  @Argument(help: "The transcript file to write.")
  var file: String

  @Option(help: "The transcript's title.")
  var title = "Recorded conversation"

  func run() throws {
    let assistant = try knowledge.makeAssistant()
    var recorder = TranscriptRecorder(region: knowledge.region)
    var state = DialogueState()
    while let line = readLine() {
      let text = line.trimmingCharacters(in: .whitespaces)
      if text.isEmpty || text.hasPrefix("#") { continue }
      if text == "---" || text.hasPrefix("===") {
        state = DialogueState()
        let name = String(text.drop { $0 == "=" || $0 == "-" }).trimmingCharacters(in: .whitespaces)
        recorder.startConversation(named: name.isEmpty ? nil : name)
        continue
      }
      recorder.append(user: text, reply: assistant.respond(to: text, state: &state))
    }
    try recorder.transcript(title: title).write(
      to: URL(fileURLWithPath: file), atomically: true, encoding: .utf8)
    StandardStreams.log("wrote \(recorder.turnCount) turns to \(file)")
  }
}
