/// An assistant held by reference, so that calling it never copies it.
///
/// `Assistant` is a value of several dozen references; reading one out of an array to call it
/// retains and releases every one of them. A `let` inside a final class is known not to change
/// while it is used, and inside the class's own methods `self` is known to be alive, so the
/// forwarding methods below call it in place (reading `.assistant` from an array element and
/// calling it still copied the whole value: about 3.5% of `serve`'s time).
final class SharedAssistant: Sendable {
  /// The assistant.
  let assistant: Assistant

  init(_ assistant: Assistant) { self.assistant = assistant }

  /// ``Assistant/prepare(_:rankingIntents:)`` without a copy of the assistant.
  func prepare(_ text: String) -> PreparedMessage { assistant.prepare(text) }

  /// ``Assistant/respond(to:state:includeTrace:)`` without a copy of the assistant.
  func respond(to message: PreparedMessage, state: inout DialogueState, includeTrace: Bool)
    -> Reply
  {
    assistant.respond(to: message, state: &state, includeTrace: includeTrace)
  }
}
