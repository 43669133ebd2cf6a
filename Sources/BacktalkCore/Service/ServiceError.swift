/// A request the service could not act on, as reported on the wire.
///
/// `code` is API: front ends switch on it, so codes are never renamed. `message` is for people.
public struct ServiceError: Error, Equatable, Sendable {
  /// The stable code.
  public var code: Code
  /// A message saying what was wrong and how to fix it.
  public var message: String

  /// The stable error codes of the protocol.
  public enum Code: String, Sendable, CaseIterable {
    /// The line is not valid UTF-8.
    case invalidUTF8 = "invalid_utf8"
    /// The line is not valid JSON.
    case invalidJSON = "invalid_json"
    /// The JSON nests deeper than the limit.
    case tooDeep = "too_deep"
    /// The line is longer than the limit; it was skipped unread.
    case lineTooLong = "line_too_long"
    /// The JSON is valid but not an object.
    case notAnObject = "not_an_object"
    /// A field has the wrong type.
    case invalidField = "invalid_field"
    /// A message request without `text`.
    case missingText = "missing_text"
    /// `text` is longer than the limit.
    case textTooLong = "text_too_long"
    /// `type` is not one of `message`, `reset`, `end`, `hello`, `ping`.
    case unknownType = "unknown_type"
    /// `region` names no region of the knowledge base. No longer sent since protocol 1.3 (such
    /// a message is answered with a warning); kept in the list of codes clients may know.
    case unknownRegion = "unknown_region"
    /// The connection sent more messages than its rate allows (`backtalk web` only: a pipe
    /// has no rate); the message was not read.
    case rateLimited = "rate_limited"
    /// The session store (`--sessions`) could not be read or written: the request was not
    /// answered and its session is as it was; send it again.
    case storeUnavailable = "store_unavailable"
  }

  /// Creates an error.
  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }
}
