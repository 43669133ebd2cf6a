/// A slot's value as the wire and the plan rules see it.
public enum SlotValue: Hashable, Sendable, CustomStringConvertible {
  /// A count (days, severity).
  case number(Int)
  /// A category (`upper`, `injury`).
  case word(String)
  /// A yes/no fact (`nerve_symptoms`).
  case flag(Bool)

  /// The value as written in transcripts and plan summaries.
  public var description: String {
    switch self {
    case .number(let n): return String(n)
    case .word(let w): return w
    case .flag(let b): return b ? "true" : "false"
    }
  }

  /// Parses the transcript/condition spelling of a value.
  public init(parsing text: String) {
    if let n = Int(text) {
      self = .number(n)
    } else if text == "true" || text == "false" {
      self = .flag(text == "true")
    } else {
      self = .word(text)
    }
  }
}

/// The slots filled so far.
public typealias SlotValues = [SlotName: SlotValue]
