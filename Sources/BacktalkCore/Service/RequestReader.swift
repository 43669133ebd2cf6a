/// The half of the `serve` protocol that needs no session: one frame in, a validated request
/// (or the error line to send back) out.
///
/// Split from ``JSONLinesService`` so that it can run on other threads while the service
/// answers earlier lines: it holds only immutable parts (the assistant and the limits), never
/// the sessions.
public struct RequestReader: Sendable {
  let assistant: Assistant
  let limits: JSONLinesService.Limits

  /// A frame read and validated, not yet answered.
  public struct Line: Sendable {
    enum Content: Sendable {
      case blank
      case error([UInt8])
      case request(WireRequest, PreparedMessage?)
    }
    let content: Content
  }

  /// Reads a frame without touching any session: framing limits, UTF-8, JSON, the request's
  /// fields and, for a message, the half of understanding it that needs no conversation.
  ///
  /// A pure function of the frame, so `serve` reads pipelined lines ahead on other threads
  /// while it answers them in order with ``JSONLinesService/answer(_:now:)``. `rankingIntents`
  /// ranks the intents ahead too (worth it only when that work runs beside the answering).
  public func parse(_ frame: LineFramer.Frame, rankingIntents: Bool = false) -> Line {
    let bytes: [UInt8]
    switch frame {
    case .tooLong:
      return Line(
        content: .error(
          Self.errorLine(
            id: .null,
            ServiceError(
              .lineTooLong,
              "the line is longer than \(limits.lineBytes) bytes and was skipped; send shorter messages"
            ))))
    case .line(let line):
      bytes = line
    }
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
      return Line(content: .blank)
    }
    func failure(_ id: JSONValue, session: JSONValue? = nil, _ error: ServiceError) -> Line {
      Line(content: .error(Self.errorLine(id: id, session: session, error)))
    }
    guard bytes.count <= limits.lineBytes else {
      return failure(
        .null, ServiceError(.lineTooLong, "the line is longer than \(limits.lineBytes) bytes"))
    }
    guard String(validating: bytes, as: UTF8.self) != nil else {
      return failure(
        .null, ServiceError(.invalidUTF8, "the line is not valid UTF-8; encode requests as UTF-8"))
    }
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      switch error {
      case .tooDeep:
        return failure(
          .null, ServiceError(.tooDeep, "the JSON nests deeper than \(JSONParser.maxDepth) levels"))
      case .syntax(let message, let offset):
        return failure(
          .null,
          ServiceError(.invalidJSON, "\(message) at byte \(offset); send one JSON object per line"))
      }
    }
    var request: WireRequest
    do {
      request = try WireRequest(value, limits: limits)
    } catch {
      return failure(Self.echoableID(value), session: value["session"], error)
    }
    if let region = request.region {
      if let known = assistant.knowledge.region(named: region) {
        request.region = known.code
      } else {
        // A region the knowledge base does not know still gets its reply (a message refused
        // for its region could be an emergency): with the session's region, or the service's
        // default for a new one, said in the warnings. (Since protocol 1.3; before, the request
        // was refused with `unknown_region`.)
        let codes = assistant.knowledge.regions.keys.sorted().joined(separator: ", ")
        request.region = nil
        request.warnings.append(
          "unknown region '\(region)': answered with the session's region (the service's default, \(assistant.region.code), for a new one); use one of: \(codes) (or a country code these cover)"
        )
      }
    }
    let prepared =
      request.type == .message
      ? assistant.prepare(request.text ?? "", rankingIntents: rankingIntents) : nil
    return Line(content: .request(request, prepared))
  }

  private static func echoableID(_ value: JSONValue) -> JSONValue {
    switch value["id"] {
    case .string?, .number?: return value["id"] ?? .null
    default: return .null
    }
  }

  /// The error reply for a request that was not answered: `{"id", "session"?, "error":
  /// {"code", "message"}}`, the one shape every front end (pipe or WebSocket) sees.
  public static func errorLine(
    id: JSONValue, session: JSONValue? = nil, _ error: ServiceError
  ) -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.key("id")
    w.value(id)
    if case .string(let s)? = session {
      w.key("session")
      w.string(s)
    }
    w.key("error")
    w.beginObject()
    w.key("code")
    w.string(error.code.rawValue)
    w.key("message")
    w.string(error.message)
    w.endObject()
    w.endObject()
    return w.bytes
  }
}
