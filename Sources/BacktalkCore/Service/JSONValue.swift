/// A parsed JSON value, as small as the protocol needs.
///
/// backtalk parses requests itself rather than through `JSONDecoder`: it must tell apart
/// invalid UTF-8, invalid JSON, too-deep nesting and wrong field types with stable error codes,
/// echo numeric ids exactly as sent (`7`, `7.0`, `1e3`), and cost little per line.
public indirect enum JSONValue: Equatable, Sendable {
  /// `null`.
  case null
  /// `true` / `false`.
  case bool(Bool)
  /// A number, kept as its source text so it can be echoed unchanged.
  case number(String)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object; keys in order, the last duplicate wins on lookup.
  case object([(String, JSONValue)])

  /// The value of `key` in an object (the last one when duplicated).
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.last { $0.0 == key }?.1
  }

  /// Equality that treats objects as ordered member lists.
  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// The name of the value's JSON type, for error messages.
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }
}
