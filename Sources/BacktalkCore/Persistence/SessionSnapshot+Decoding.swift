extension SessionSnapshot {
  /// Reads a stored session written by ``encoded()`` (format version 1).
  ///
  /// - Throws: ``SessionSnapshotError`` when the bytes are not JSON, come from a newer format,
  ///   or miss a field.
  public init(decoding bytes: [UInt8]) throws(SessionSnapshotError) {
    let json: JSONValue
    do { json = try JSONParser.parse(bytes) } catch {
      throw .notJSON(String(describing: error))
    }
    let r = Fields(json, path: "")
    let version = try r.int("v")
    guard version >= 1, version <= Self.version else { throw .unsupportedVersion(version) }
    var state = DialogueState()
    state.turn = try r.int("turn")
    state.mode = try Self.mode(try r.object("mode"), path: "mode")
    if let suspended = try r.optionalObject("suspended") {
      state.suspended = try Self.mode(suspended, path: "suspended")
    }
    state.escalations = try r.array("escalations").enumerated().map {
      i, value throws(SessionSnapshotError) in
      try Self.record(value, path: "escalations[\(i)]")
    }
    if let emergency = try r.optionalObject("emergency") {
      state.emergency = try Self.record(emergency, path: "emergency")
    }
    state.topic = try r.optionalString("topic")
    state.previousTopic = try r.optionalString("previous_topic")
    state.lastFacet = try r.optionalString("last_facet")
    state.given = Set(try r.strings("given"))
    let p = Fields(try r.object("profile"), path: "profile")
    state.profile.population = try p.optionalString("population")
    // (Absent in sessions saved before it was kept.)
    state.profile.populationIsOthers = try p.optionalBool("population_of_other") ?? false
    state.profile.location = try p.optionalString("location")
    state.profile.durationDays = try p.optionalInt("duration_days")
    state.profile.severity = try p.optionalInt("severity")
    state.profile.trigger = try p.optionalString("trigger")
    state.profile.nerveSymptoms = try p.optionalBool("nerve_symptoms")
    state.profile.tried = try p.strings("tried")
    state.profile.avoid = try p.strings("avoid")
    // (Absent in sessions saved before conditions were kept.)
    state.profile.conditions = try p.optionalStrings("conditions") ?? []
    state.profile.allergies = try p.optionalStrings("allergies") ?? []
    state.more = try r.optionalString("more")
    self.init(region: try r.string("region"), dialogue: state)
  }

  private static func mode(_ value: JSONValue, path: String) throws(SessionSnapshotError)
    -> DialogueState.Mode
  {
    let r = Fields(value, path: path)
    switch try r.string("type") {
    case "idle":
      return .idle
    case "intake":
      var progress = IntakeProgress(flow: try r.string("flow"))
      guard case .object(let members) = try r.object("slots") else {
        throw .invalidField(path + ".slots")
      }
      for (name, value) in members {
        guard let slot = SlotName(rawValue: name) else { throw .invalidField(path + ".slots") }
        switch value {
        case .number(let text):
          guard let n = Int(text) else { throw .invalidField("\(path).slots.\(name)") }
          progress.slots[slot] = .number(n)
        case .string(let word): progress.slots[slot] = .word(word)
        case .bool(let flag): progress.slots[slot] = .flag(flag)
        default: throw .invalidField("\(path).slots.\(name)")
        }
      }
      for name in try r.strings("skipped") {
        guard let slot = SlotName(rawValue: name) else { throw .invalidField(path + ".skipped") }
        progress.skipped.insert(slot)
      }
      if let awaiting = try r.optionalString("awaiting") {
        guard let slot = SlotName(rawValue: awaiting) else {
          throw .invalidField(path + ".awaiting")
        }
        progress.awaiting = slot
      }
      progress.misses = try r.int("misses")
      return .intake(progress)
    case "checklist":
      var progress = ChecklistProgress(flow: try r.string("flow"))
      progress.index = try r.int("index")
      progress.findings = try r.strings("findings")
      // (Absent from sessions saved before it existed.)
      if r.value["ruled_out"] != nil { progress.ruledOut = try r.strings("ruled_out") }
      progress.misses = try r.int("misses")
      return .checklist(progress)
    case "clarifying":
      return .clarifying(try r.strings("options"))
    case "offered":
      return .offered(try r.string("flow"))
    case "safety_check":
      var check = SafetyCheck(
        category: try r.string("category"), text: try r.string("text"),
        resume: try mode(try r.object("resume"), path: path + ".resume"))
      check.misses = try r.int("misses")
      return .safetyCheck(check)
    default:
      throw .invalidField(path + ".type")
    }
  }

  private static func record(_ value: JSONValue, path: String) throws(SessionSnapshotError)
    -> EscalationRecord
  {
    let r = Fields(value, path: path)
    return EscalationRecord(category: try r.string("category"), turn: try r.int("turn"))
  }

  /// Typed access to an object's fields, naming the full path of whatever is wrong.
  private struct Fields {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) {
      self.value = value
      self.path = path
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func string(_ key: String) throws(SessionSnapshotError) -> String {
      guard case .string(let s) = value[key] else { throw .invalidField(name(key)) }
      return s
    }

    func optionalString(_ key: String) throws(SessionSnapshotError) -> String? {
      switch value[key] {
      case .none, .null: return nil
      case .string(let s): return s
      default: throw .invalidField(name(key))
      }
    }

    func int(_ key: String) throws(SessionSnapshotError) -> Int {
      guard case .number(let text) = value[key], let n = Int(text) else {
        throw .invalidField(name(key))
      }
      return n
    }

    func optionalInt(_ key: String) throws(SessionSnapshotError) -> Int? {
      switch value[key] {
      case .none, .null: return nil
      case .number(let text):
        guard let n = Int(text) else { throw .invalidField(name(key)) }
        return n
      default: throw .invalidField(name(key))
      }
    }

    func optionalBool(_ key: String) throws(SessionSnapshotError) -> Bool? {
      switch value[key] {
      case .none, .null: return nil
      case .bool(let b): return b
      default: throw .invalidField(name(key))
      }
    }

    func object(_ key: String) throws(SessionSnapshotError) -> JSONValue {
      guard let v = value[key], case .object = v else { throw .invalidField(name(key)) }
      return v
    }

    func optionalObject(_ key: String) throws(SessionSnapshotError) -> JSONValue? {
      switch value[key] {
      case .none, .null: return nil
      case .some(let v):
        guard case .object = v else { throw .invalidField(name(key)) }
        return v
      }
    }

    func array(_ key: String) throws(SessionSnapshotError) -> [JSONValue] {
      guard case .array(let items) = value[key] else { throw .invalidField(name(key)) }
      return items
    }

    func optionalStrings(_ key: String) throws(SessionSnapshotError) -> [String]? {
      switch value[key] {
      case .none, .null: return nil
      default: return try strings(key)
      }
    }

    func strings(_ key: String) throws(SessionSnapshotError) -> [String] {
      try array(key).map { item throws(SessionSnapshotError) in
        guard case .string(let s) = item else { throw .invalidField(name(key)) }
        return s
      }
    }
  }
}
