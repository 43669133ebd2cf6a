/// The JSON shape of a reply (`docs/PROTOCOL.md`).
///
/// Every field of the contract is always present with its documented type, even when empty,
/// so front ends never have to test for a key. Additions: `kind`, `options`,
/// `session_status`, `closed` (replies to `reset` and `end`), `trace` (only when asked for),
/// `safety` (when a safety layer spoke or a trace was asked for), `warnings` (only when there
/// are any).
public enum WireReply {
  /// Encodes a reply as one JSON line (without the newline).
  public static func encode(
    _ reply: Reply, id: JSONValue, session: String, status: SessionStatus? = nil,
    closed: Bool? = nil, warnings: [String] = []
  ) -> String {
    String(
      decoding: encodedBytes(
        reply, id: id, session: session, status: status, closed: closed, warnings: warnings),
      as: UTF8.self)
  }

  /// The UTF-8 of ``encode(_:id:session:status:closed:warnings:)``, which `serve` writes as it
  /// is (no round trip through `String`).
  public static func encodedBytes(
    _ reply: Reply, id: JSONValue, session: String, status: SessionStatus? = nil,
    closed: Bool? = nil, warnings: [String] = []
  ) -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.key("id")
    w.value(id)
    w.key("session")
    w.string(session)
    w.key("text")
    w.string(reply.text)
    w.key("intent")
    w.optionalString(reply.intent)
    w.key("confidence")
    w.decimal(reply.confidence)
    w.key("escalate")
    w.bool(reply.escalate)
    w.key("escalation")
    if let e = reply.escalation {
      w.beginObject()
      w.key("category")
      w.string(e.category)
      w.key("action")
      w.string(e.action)
      w.key("number")
      w.string(e.number)
      w.key("crisis_line")
      w.optionalString(e.crisisLine)
      w.key("crisis_number")
      w.optionalString(e.crisisNumber)
      w.endObject()
    } else {
      w.null()
    }
    w.key("flow")
    w.optionalString(reply.flow)
    w.key("awaiting")
    w.optionalString(reply.awaiting)
    w.key("slots")
    w.beginObject()
    for (slot, value) in reply.slots.sorted(by: { $0.key < $1.key }) {
      w.key(slot.rawValue)
      switch value {
      case .number(let n): w.int(n)
      case .word(let s): w.string(s)
      case .flag(let b): w.bool(b)
      }
    }
    w.endObject()
    w.key("suggestions")
    w.beginArray()
    for s in reply.suggestions { w.string(s) }
    w.endArray()
    w.key("sources")
    w.beginArray()
    for source in reply.sources {
      w.beginObject()
      w.key("document")
      w.string(source.document)
      w.key("section")
      w.string(source.section)
      w.key("title")
      w.string(source.displayTitle)
      w.key("publisher")
      w.optionalString(source.publisher)
      w.endObject()
    }
    w.endArray()
    w.key("kind")
    w.string(reply.kind.rawValue)
    w.key("facet")
    if let facet = reply.facet { w.string(facet) } else { w.null() }
    w.key("profile")
    writeProfile(reply.profile, to: &w)
    w.key("options")
    w.beginArray()
    for o in reply.options { w.string(o) }
    w.endArray()
    if let status {
      w.key("session_status")
      w.string(status.rawValue)
    }
    if let closed {
      w.key("closed")
      w.bool(closed)
    }
    if let trace = reply.trace {
      w.key("trace")
      writeTrace(trace, to: &w)
    }
    if let safety = reply.safety {
      w.key("safety")
      writeSafety(safety, to: &w)
    }
    writeWarnings(warnings, to: &w)
    w.endObject()
    return w.bytes
  }

  /// Writes what the person has said about themselves (only the keys that are known).
  public static func writeProfile(_ profile: Profile, to w: inout JSONWriter) {
    profile.write(to: &w)
  }

  /// Writes which safety layer decided: the lexicon's words, or the classifier's score against
  /// its thresholds.
  public static func writeSafety(_ safety: SafetyTrace, to w: inout JSONWriter) {
    w.beginObject()
    w.key("layer")
    w.string(safety.layer)
    w.key("decision")
    w.string(safety.decision)
    w.key("evidence")
    if let evidence = safety.evidence { w.string(evidence) } else { w.null() }
    w.key("score")
    w.decimal(safety.score)
    w.key("category")
    w.string(safety.category)
    w.key("escalate_above")
    w.decimal(safety.escalateAbove)
    w.key("check_above")
    w.decimal(safety.checkAbove)
    w.key("distress")
    w.decimal(safety.distress)
    w.key("distress_above")
    w.decimal(safety.distressAbove)
    w.endObject()
  }

  /// Writes the matcher's explanation: candidates with scores, nearest examples, matched features.
  public static func writeTrace(_ trace: IntentMatch, to w: inout JSONWriter) {
    w.beginObject()
    w.key("confidence")
    w.decimal(trace.confidence)
    w.key("features")
    w.beginArray()
    for f in trace.features { w.string(f) }
    w.endArray()
    w.key("candidates")
    w.beginArray()
    for c in trace.candidates {
      w.beginObject()
      w.key("intent")
      w.string(c.intent)
      w.key("score")
      w.decimal(c.score)
      w.key("nearest_example")
      w.string(c.nearestExample)
      w.key("matched")
      w.beginArray()
      for f in c.matchedFeatures { w.string(f) }
      w.endArray()
      w.endObject()
    }
    w.endArray()
    w.endObject()
  }
}
