import BacktalkCore

/// The one ``JSONLinesService`` every connection shares, so that a session id reaches the same
/// conversation from any tab, after a reload or a reconnect.
///
/// An actor because the session store is mutable and shared; only the session half of a
/// request (``JSONLinesService/answer(_:now:)``, microseconds) runs inside it. Reading a
/// request (JSON, validation, normalising, the emergency check, ranking intents) runs on each
/// connection's own task through ``reader``, on any core.
public actor ChatService {
  private var service: JSONLinesService
  /// The session-free half, safe to run on any task.
  public nonisolated let reader: RequestReader

  /// Creates the service.
  public init(assistant: Assistant, limits: JSONLinesService.Limits) {
    let service = JSONLinesService(assistant: assistant, limits: limits)
    self.service = service
    reader = service.reader
  }

  /// Answers a request read by ``reader`` in its session; nil for a blank message.
  public func answer(_ line: RequestReader.Line) -> [UInt8]? {
    service.answer(line, now: .now)
  }
}
