import BacktalkCore
import Testing

/// What the suites that drive the service value share: a service with chosen limits, and one
/// line in, its reply parsed, at a clock offset from the suite's start.
protocol ServiceTesting {
  /// The clock reading the suite's offsets count from.
  var start: ContinuousClock.Instant { get }
}

extension ServiceTesting {
  func service(sessions: Int = 100, ttl: Duration = .seconds(60)) -> JSONLinesService {
    var limits = JSONLinesService.Limits()
    limits.sessions = sessions
    limits.sessionTTL = ttl
    return JSONLinesService(assistant: Fixtures.assistant, limits: limits)
  }

  func reply(_ service: inout JSONLinesService, _ line: String, at offset: Duration = .zero) throws
    -> JSONValue
  {
    let raw = service.handle(line: Array(line.utf8), now: start + offset)
    return try JSONParser.parse(Array(try #require(raw).utf8))
  }
}
