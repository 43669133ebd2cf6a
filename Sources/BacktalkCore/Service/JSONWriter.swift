/// Writes one compact JSON object per line, escaping what line-oriented readers trip on.
///
/// Hand-written rather than `JSONEncoder` for two reasons: U+2028 and U+2029 must be escaped
/// (JavaScript and some Python line readers split on them, and `JSONEncoder` leaves them raw),
/// and field order is fixed so replies are stable and readable in logs.
public struct JSONWriter {
  /// The text written so far.
  public private(set) var text = ""
  private var needsComma: [Bool] = [false]

  /// Starts an empty writer.
  public init() { text.reserveCapacity(512) }

  /// Opens an object (at top level or as the value of the last key).
  public mutating func beginObject() {
    separator()
    text.append("{")
    needsComma.append(false)
  }

  /// Closes the innermost object.
  public mutating func endObject() {
    text.append("}")
    needsComma.removeLast()
  }

  /// Opens an array.
  public mutating func beginArray() {
    separator()
    text.append("[")
    needsComma.append(false)
  }

  /// Closes the innermost array.
  public mutating func endArray() {
    text.append("]")
    needsComma.removeLast()
  }

  /// Writes a key; the next value written is its value.
  public mutating func key(_ name: String) {
    separator()
    Self.appendString(name, to: &text)
    text.append(":")
    needsComma[needsComma.count - 1] = false
    pendingValue = true
  }

  private var pendingValue = false

  private mutating func separator() {
    if pendingValue {
      pendingValue = false
      needsComma[needsComma.count - 1] = true
      return
    }
    if needsComma[needsComma.count - 1] { text.append(",") }
    needsComma[needsComma.count - 1] = true
  }

  /// Writes a string value.
  public mutating func string(_ value: String) {
    separator()
    Self.appendString(value, to: &text)
  }

  /// Writes a string or null.
  public mutating func optionalString(_ value: String?) {
    if let value { string(value) } else { null() }
  }

  /// Writes a raw, already valid JSON token (a number as received, `true`...).
  public mutating func raw(_ token: String) {
    separator()
    text.append(token)
  }

  /// Writes null.
  public mutating func null() { raw("null") }

  /// Writes a boolean.
  public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

  /// Writes an integer.
  public mutating func int(_ value: Int) { raw(String(value)) }

  /// Writes a number rounded to 3 decimals (scores and confidences).
  public mutating func decimal(_ value: Double) {
    let clamped = value.isFinite ? value : 0
    let scaled = Int((clamped * 1000).rounded())
    let sign = scaled < 0 ? "-" : ""
    let magnitude = abs(scaled)
    let fraction = magnitude % 1000
    var digits = String(fraction)
    while digits.count < 3 { digits = "0" + digits }
    while digits.hasSuffix("0") { digits.removeLast() }
    raw(sign + String(magnitude / 1000) + (digits.isEmpty ? "" : "." + digits))
  }

  /// Writes a JSON value received from a client (ids are echoed this way).
  public mutating func value(_ value: JSONValue) {
    switch value {
    case .null: null()
    case .bool(let b): bool(b)
    case .number(let n): raw(n)
    case .string(let s): string(s)
    case .array(let items):
      beginArray()
      for item in items { self.value(item) }
      endArray()
    case .object(let members):
      beginObject()
      for (k, v) in members {
        key(k)
        self.value(v)
      }
      endObject()
    }
  }

  static let hex: [Character] = Array("0123456789abcdef")

  /// Appends `value` as a quoted JSON string.
  static func appendString(_ value: String, to out: inout String) {
    out.append("\"")
    var run = ""
    for scalar in value.unicodeScalars {
      switch scalar.value {
      case 0x22: run += "\\\""
      case 0x5C: run += "\\\\"
      case 0x0A: run += "\\n"
      case 0x0D: run += "\\r"
      case 0x09: run += "\\t"
      case 0..<0x20, 0x7F, 0x2028, 0x2029:
        let v = Int(scalar.value)
        run += "\\u"
        for shift in [12, 8, 4, 0] { run.append(hex[(v >> shift) & 0xF]) }
      default:
        run.unicodeScalars.append(scalar)
      }
    }
    out += run
    out.append("\"")
  }
}
