/// A validated request of the JSON Lines protocol (`docs/PROTOCOL.md`).
struct WireRequest: Sendable {
  /// What the request asks for.
  enum Kind: String, Sendable {
    /// A person's message, answered in its session (the default).
    case message
    /// Start the session's conversation over; the session (and its region) stays.
    case reset
    /// Forget the session.
    case end
    /// The handshake: version, protocol, region, limits and capabilities.
    case hello
    /// A health check, answered at once.
    case ping
  }

  let id: JSONValue
  let session: String
  let type: Kind
  let text: String?
  let trace: Bool
  /// The region a new or reset session should use, as the region's own code once the reader
  /// has resolved an alias (`gb` -> `uk`); nil for the process's default.
  var region: String?
  var warnings: [String]

  static let knownFields: Set<String> = ["id", "session", "type", "text", "trace", "region"]

  /// Validates the fields of a parsed line.
  init(_ value: JSONValue, limits: JSONLinesService.Limits) throws(ServiceError) {
    guard case .object(let members) = value else {
      throw ServiceError(
        .notAnObject, "expected a JSON object such as {\"text\": \"hello\"}, got \(value.typeName)")
    }
    switch value["id"] {
    case nil, .null?: id = .null
    case .string?, .number?: id = value["id"] ?? .null
    case let other?:
      throw ServiceError(.invalidField, "'id' must be a string or a number, not \(other.typeName)")
    }
    switch value["session"] {
    case nil, .null?: session = "default"
    case .string(let s)?:
      guard !s.isEmpty, s.utf8.count <= limits.sessionBytes else {
        throw ServiceError(
          .invalidField, "'session' must be 1 to \(limits.sessionBytes) bytes of UTF-8 long")
      }
      session = s
    case let other?:
      throw ServiceError(.invalidField, "'session' must be a string, not \(other.typeName)")
    }
    switch value["type"] {
    case nil, .null?: type = .message
    case .string(let s)?:
      guard let kind = Kind(rawValue: s) else {
        throw ServiceError(
          .unknownType,
          "unknown type '\(s)'; use \"message\", \"reset\", \"end\", \"hello\" or \"ping\"")
      }
      type = kind
    case let other?:
      throw ServiceError(.invalidField, "'type' must be a string, not \(other.typeName)")
    }
    switch value["trace"] {
    case nil, .null?: trace = false
    case .bool(let b)?: trace = b
    case let other?:
      throw ServiceError(.invalidField, "'trace' must be a boolean, not \(other.typeName)")
    }
    switch value["region"] {
    case nil, .null?: region = nil
    case .string(let s)?: region = s
    case let other?:
      throw ServiceError(.invalidField, "'region' must be a string, not \(other.typeName)")
    }
    switch value["text"] {
    case nil, .null?:
      if type == .message { throw ServiceError(.missingText, "a message needs a 'text' string") }
      text = nil
    case .string(let s)?:
      guard s.utf8.count <= limits.textBytes else {
        throw ServiceError(
          .textTooLong,
          "'text' is \(s.utf8.count) bytes; the limit is \(limits.textBytes) bytes, send a shorter message"
        )
      }
      // Control characters (NUL included) carry no meaning in a chat message.
      if s.utf8.contains(where: { $0 < 0x20 && $0 != 0x0A }) {
        text = String(
          String.UnicodeScalarView(
            s.unicodeScalars.map {
              $0.value < 0x20 && $0 != "\n" ? " " : $0
            }))
      } else {
        text = s
      }
    case let other?:
      throw ServiceError(.invalidField, "'text' must be a string, not \(other.typeName)")
    }
    var warnings = members.map(\.0).filter { !Self.knownFields.contains($0) }.map {
      "unknown field '\($0)' ignored"
    }
    // Said out loud rather than dropped: a client that sends text with a reset expects it to be
    // answered, and would otherwise wait for an answer that never comes.
    if type != .message, text != nil {
      warnings.append(
        "'text' is ignored with type \"\(type.rawValue)\"; send the message as its own request")
    }
    if region != nil, type != .message, type != .reset {
      warnings.append("'region' is ignored with type \"\(type.rawValue)\"")
    }
    self.warnings = warnings
  }
}
