/// An assistant held by reference, so that calling it never copies it.
///
/// `Assistant` is a value of several dozen references; reading one out of an array to call it
/// retains and releases every one of them. A `let` inside a final class is known not to change
/// while it is used, so the compiler calls it in place. Immutable, hence safely shared.
final class SharedAssistant: Sendable {
  /// The assistant.
  let assistant: Assistant

  init(_ assistant: Assistant) { self.assistant = assistant }
}
