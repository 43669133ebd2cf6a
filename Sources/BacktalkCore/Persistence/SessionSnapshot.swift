/// A session as it is written to a session store: an explicit, versioned JSON document.
///
/// The in-memory types stay free to change; what is on disk or in a database is this format,
/// which a newer build must keep reading (a new `v` and a conversion, never a silent change).
/// JSON rather than a binary form so that an operator can read a stored session with `sqlite3`
/// or `psql`, and hand-written (``JSONWriter`` and ``JSONParser``, not `Codable`) so the field
/// names are spelled out here, once, and the encoding costs microseconds. Version 1:
///
/// ```
/// {"v":1,"region":"us","turn":3,"mode":{"type":"intake","flow":"plan.start",
///  "slots":{"location":"upper"},"skipped":[],"awaiting":"duration_days","misses":0},
///  "suspended":null,"escalations":[{"category":"cardiac","turn":2}],"emergency":null,
///  "topic":null,"previous_topic":null,"last_facet":null,"given":[],
///  "profile":{"location":"upper","tried":[],"avoid":[]},"more":null}
/// ```
///
/// `mode.type` is `idle`, `intake`, `checklist`, `clarifying` (with `options`), `offered` (with
/// `flow`) or `safety_check` (with `category`, `text`, `misses` and the interrupted `resume`
/// mode). Slot values keep their JSON type: numbers for counts, strings for words, booleans.
public struct SessionSnapshot: Equatable, Sendable {
  /// The format version this build writes (and the newest it reads).
  public static let version = 1

  /// The session's region code (a code, not an index, so that a knowledge base with other
  /// regions still reads it).
  public var region: String
  /// Where the conversation stands.
  public var dialogue: DialogueState

  /// A snapshot of a session.
  public init(region: String, dialogue: DialogueState) {
    self.region = region
    self.dialogue = dialogue
  }

  /// The stored form: compact JSON, UTF-8.
  public func encoded() -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.key("v")
    w.int(Self.version)
    w.key("region")
    w.string(region)
    w.key("turn")
    w.int(dialogue.turn)
    w.key("mode")
    Self.write(dialogue.mode, to: &w)
    w.key("suspended")
    if let suspended = dialogue.suspended { Self.write(suspended, to: &w) } else { w.null() }
    w.key("escalations")
    w.beginArray()
    for record in dialogue.escalations { Self.write(record, to: &w) }
    w.endArray()
    w.key("emergency")
    if let emergency = dialogue.emergency { Self.write(emergency, to: &w) } else { w.null() }
    w.key("topic")
    w.optionalString(dialogue.topic)
    w.key("previous_topic")
    w.optionalString(dialogue.previousTopic)
    w.key("last_facet")
    w.optionalString(dialogue.lastFacet)
    w.key("given")
    Self.write(dialogue.given.sorted(), to: &w)
    w.key("profile")
    // (`tried` and `avoid` always: the format has required them since its first version.)
    dialogue.profile.write(to: &w, listsAlways: true)
    w.key("more")
    w.optionalString(dialogue.more)
    w.endObject()
    return w.bytes
  }

  static func write(_ mode: DialogueState.Mode, to w: inout JSONWriter) {
    w.beginObject()
    w.key("type")
    switch mode {
    case .idle:
      w.string("idle")
    case .intake(let p):
      w.string("intake")
      w.key("flow")
      w.string(p.flow)
      w.key("slots")
      write(p.slots, to: &w)
      w.key("skipped")
      write(p.skipped.map(\.rawValue).sorted(), to: &w)
      w.key("awaiting")
      w.optionalString(p.awaiting?.rawValue)
      w.key("misses")
      w.int(p.misses)
    case .checklist(let p):
      w.string("checklist")
      w.key("flow")
      w.string(p.flow)
      w.key("index")
      w.int(p.index)
      w.key("findings")
      write(p.findings, to: &w)
      w.key("ruled_out")
      write(p.ruledOut, to: &w)
      w.key("misses")
      w.int(p.misses)
    case .clarifying(let options):
      w.string("clarifying")
      w.key("options")
      write(options, to: &w)
    case .offered(let flow):
      w.string("offered")
      w.key("flow")
      w.string(flow)
    case .safetyCheck(let check):
      w.string("safety_check")
      w.key("category")
      w.string(check.category)
      w.key("text")
      w.string(check.text)
      w.key("misses")
      w.int(check.misses)
      w.key("resume")
      write(check.resume, to: &w)
    }
    w.endObject()
  }

  static func write(_ slots: SlotValues, to w: inout JSONWriter) {
    w.beginObject()
    for (slot, value) in slots.sorted(by: { $0.key < $1.key }) {
      w.key(slot.rawValue)
      switch value {
      case .number(let n): w.int(n)
      case .word(let s): w.string(s)
      case .flag(let b): w.bool(b)
      }
    }
    w.endObject()
  }

  static func write(_ record: EscalationRecord, to w: inout JSONWriter) {
    w.beginObject()
    w.key("category")
    w.string(record.category)
    w.key("turn")
    w.int(record.turn)
    w.endObject()
  }

  static func write(_ strings: [String], to w: inout JSONWriter) {
    w.beginArray()
    for s in strings { w.string(s) }
    w.endArray()
  }
}
