import BacktalkCore
import Foundation
import Testing

/// Talking to a live `serve` one request at a time, as a person's front end does.
enum Conversation {
  /// The intake the store tests interrupt: a plan, its answers, an emergency in the middle,
  /// then the rest of the intake.
  static let intake = [
    "make me a plan", "upper back", "about 3 weeks", "6/10", "I have crushing chest pain",
    "is it really that serious?", "it's passed", "continue", "lifting", "no", "none of these",
  ]

  /// Sends one message and reads its reply line.
  static func send(
    _ child: Child, id: Int, session: String, text: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> JSONValue {
    child.write(requestLine(id: id, session: session, text: text))
    let line = child.read(until: { $0.contains("\n") }, sourceLocation: sourceLocation)
    return try JSONParser.parse(Array(line.utf8))
  }

  /// The replies one in-memory `serve` gives to `texts` in one session.
  static func reference(_ texts: [String], session: String) throws -> [JSONValue] {
    let input = texts.enumerated().map { requestLine(id: $0, session: session, text: $1) }
    let run = try Binary.run(["serve"], input: Array(input.joined().utf8))
    return try parsedLines(run.stdout)
  }

  /// A reply without `session_status` (which says which process had the session).
  static func content(_ reply: JSONValue) -> JSONValue {
    guard case .object(let members) = reply else { return reply }
    return .object(members.filter { $0.0 != "session_status" })
  }
}
