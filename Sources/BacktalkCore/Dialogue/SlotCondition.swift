/// The condition of a plan rule: `always`, or comparisons of slots joined by `and` / `or`.
///
/// Example: `severity >= 7 or nerve_symptoms == true`. `and` binds tighter than `or`. A slot
/// that was skipped makes its comparison false (and `!=` true only when the slot is set), so a
/// rule never fires on information the person did not give; `slot == unset` is the one
/// comparison that holds for a slot never given.
public struct SlotCondition: Hashable, Sendable {
  struct Comparison: Hashable, Sendable {
    let slot: SlotName
    let op: String
    let value: SlotValue
  }

  /// The value that compares equal to a slot never given.
  static let unset = SlotValue.word("unset")

  /// Disjunction of conjunctions; empty means `always`.
  let clauses: [[Comparison]]

  /// Parses a condition.
  ///
  /// - Throws: ``SlotConditionError`` naming the piece that does not parse.
  public init(parsing text: String) throws {
    let trimmed = text.trimmingWhitespace()
    if trimmed == "always" || trimmed.isEmpty {
      clauses = []
      return
    }
    let words = trimmed.split(separator: " ").map(String.init)
    var clauses: [[Comparison]] = []
    var current: [Comparison] = []
    var i = 0
    while i < words.count {
      guard i + 2 < words.count else { throw SlotConditionError.incomplete(text) }
      guard let slot = SlotName(rawValue: words[i]) else {
        throw SlotConditionError.unknownSlot(words[i], in: text)
      }
      let op = words[i + 1]
      guard ["==", "!=", ">=", "<=", ">", "<"].contains(op) else {
        throw SlotConditionError.unknownOperator(op, in: text)
      }
      current.append(Comparison(slot: slot, op: op, value: SlotValue(parsing: words[i + 2])))
      i += 3
      if i < words.count {
        switch words[i] {
        case "and": break
        case "or":
          clauses.append(current)
          current = []
        default: throw SlotConditionError.expectedConnective(words[i], in: text)
        }
        i += 1
        if i == words.count { throw SlotConditionError.incomplete(text) }
      }
    }
    clauses.append(current)
    self.clauses = clauses
  }

  /// Whether the condition holds for these slots.
  public func holds(for slots: SlotValues) -> Bool {
    if clauses.isEmpty { return true }
    return clauses.contains { clause in clause.allSatisfy { Self.compare($0, slots) } }
  }

  private static func compare(_ c: Comparison, _ slots: SlotValues) -> Bool {
    // `slot == unset`: the slot was never given (a question not asked, or skipped).
    if c.value == Self.unset, c.op == "==" || c.op == "!=" {
      return (slots[c.slot] == nil) == (c.op == "==")
    }
    guard let actual = slots[c.slot] else { return false }
    switch (actual, c.value) {
    case (.number(let a), .number(let b)):
      switch c.op {
      case "==": return a == b
      case "!=": return a != b
      case ">=": return a >= b
      case "<=": return a <= b
      case ">": return a > b
      default: return a < b
      }
    default:
      switch c.op {
      case "==": return actual == c.value
      case "!=": return actual != c.value
      default: return false
      }
    }
  }
}

/// Why a plan rule's condition does not parse.
public enum SlotConditionError: Error, Equatable, CustomStringConvertible {
  /// A slot name that is not one of the intake's.
  case unknownSlot(String, in: String)
  /// An operator other than == != >= <= > <.
  case unknownOperator(String, in: String)
  /// Something other than `and` / `or` between comparisons.
  case expectedConnective(String, in: String)
  /// A comparison cut short.
  case incomplete(String)

  /// A message saying how to fix the condition.
  public var description: String {
    switch self {
    case .unknownSlot(let s, let text):
      return "'\(text)': unknown slot '\(s)' (use one of "
        + SlotName.allCases.map(\.rawValue).joined(separator: ", ") + ")"
    case .unknownOperator(let o, let text):
      return "'\(text)': unknown operator '\(o)' (use == != >= <= > <)"
    case .expectedConnective(let w, let text):
      return "'\(text)': expected 'and' or 'or', found '\(w)'"
    case .incomplete(let text):
      return "'\(text)': a comparison is incomplete (write `slot op value`)"
    }
  }
}
