import BacktalkCore
import BacktalkStores
import Foundation

extension Bench {
  /// What a session store adds to each message: the same requests answered by the service in
  /// memory and with the store, in this process (no pipes), one request at a time as `serve`
  /// answers them.
  ///
  /// Two patterns: sticky (each session stays with this process, so its copy in memory is
  /// current and a message costs one compare-and-set save) and restored (every message reads
  /// its session back first, as when processes alternate or after a restart: a load and a
  /// save).
  static func storeReport(
    assistant: Assistant, store: any PersistentSessionStore, messages: Int
  ) -> String {
    let mix = try messageMix(assistant.knowledge)
    let run = UUID().uuidString.prefix(8)
    let sessions = 200
    let lines = (0..<messages).map { i in
      var w = JSONWriter()
      w.beginObject()
      w.key("id")
      w.int(i)
      w.key("session")
      w.string("bench-\(run)-\(i % sessions)")
      w.key("text")
      w.string(mix[i % mix.count])
      w.endObject()
      return w.bytes
    }
    func measure(_ service: inout JSONLinesService) -> (
      median: Duration, p99: Duration, mean: Duration, errors: Int
    ) {
      let clock = ContinuousClock()
      var times: [Duration] = []
      times.reserveCapacity(lines.count)
      var errors = 0
      for line in lines {
        let t0 = clock.now
        let reply = service.handle(line: line, now: clock.now)
        times.append(clock.now - t0)
        if reply?.contains(#""error":"#) == true { errors += 1 }
      }
      let total = times.reduce(Duration.zero, +)
      times.sort()
      return (times[times.count / 2], times[times.count * 99 / 100], total / times.count, errors)
    }
    var memory = JSONLinesService(assistant: assistant)
    let base = measure(&memory)
    var sticky = JSONLinesService(assistant: assistant, store: store)
    let stickyRun = measure(&sticky)
    // One session in memory at a time and 200 sessions in turn: every message reads its
    // session back from the store.
    var limits = JSONLinesService.Limits()
    limits.sessions = 1
    var restored = JSONLinesService(assistant: assistant, limits: limits, store: store)
    let restoredRun = measure(&restored)
    for i in 0..<sessions { try? store.delete("bench-\(run)-\(i)") }
    func row(_ name: String, _ r: (median: Duration, p99: Duration, mean: Duration, errors: Int))
      -> String
    {
      let extra = r.mean - base.mean
      return
        "  \(name): median \(micro(r.median)), p99 \(micro(r.p99)), mean \(micro(r.mean)) per message"
        + (name == "memory" ? "" : " (+\(micro(extra)) for the store)")
        + (r.errors > 0 ? "; \(r.errors) errors" : "")
    }
    return """
      store \(store.kind), \(messages) messages over \(sessions) sessions, answered in process:
      \(row("memory", base))
      \(row("\(store.kind), sticky", stickyRun))
      \(row("\(store.kind), restored every message", restoredRun))

      """
  }
}
