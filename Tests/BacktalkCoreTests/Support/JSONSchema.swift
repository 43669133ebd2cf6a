import BacktalkCore

/// The subset of JSON Schema the protocol's schemas use (type, enum, required, properties,
/// additionalProperties, items, oneOf, $ref to #/$defs, minimum/maximum, minLength/maxLength
/// in characters), enough to check replies in-process without a dependency.
///
/// Any other keyword is ignored, so a schema that starts using one is not enforced here: the
/// process tests also validate every reply with Python's `jsonschema` (`tools/check-schema.py`).
struct JSONSchema {
  let root: JSONValue

  func errors(_ value: JSONValue) -> [String] { check(value, against: root, path: "$") }

  /// The errors of `value` against one of the schema's `$defs` (whose own errors a `oneOf`
  /// at the root would hide behind "matches 0 of oneOf").
  func errors(_ value: JSONValue, definition: String) -> [String] {
    check(value, against: .object([("$ref", .string("#/$defs/\(definition)"))]), path: "$")
  }

  private func resolve(_ schema: JSONValue) -> JSONValue {
    guard case .string(let ref)? = schema["$ref"], ref.hasPrefix("#/$defs/") else { return schema }
    return root["$defs"]?[String(ref.dropFirst(8))] ?? .null
  }

  private func check(_ value: JSONValue, against raw: JSONValue, path: String) -> [String] {
    let schema = resolve(raw)
    var errors: [String] = []
    if case .array(let options)? = schema["oneOf"] {
      let passing = options.filter { check(value, against: $0, path: path).isEmpty }.count
      if passing != 1 { errors.append("\(path): matches \(passing) of oneOf") }
    }
    if let type = schema["type"] {
      let allowed: [String]
      switch type {
      case .string(let t): allowed = [t]
      case .array(let ts):
        allowed = ts.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
      default: allowed = []
      }
      let actual = value.typeName
      let isInteger: Bool = {
        if case .number(let n) = value {
          return !n.contains(".") && !n.contains("e")
        } else {
          return false
        }
      }()
      if !allowed.contains(actual) && !(allowed.contains("integer") && isInteger) {
        errors.append("\(path): \(actual) is not \(allowed)")
        return errors
      }
    }
    if case .array(let options)? = schema["enum"], !options.contains(value) {
      errors.append("\(path): value not in enum")
    }
    if case .number(let n) = value, let x = Double(n) {
      if case .number(let m)? = schema["minimum"], let min = Double(m), x < min {
        errors.append("\(path): below minimum")
      }
      if case .number(let m)? = schema["maximum"], let max = Double(m), x > max {
        errors.append("\(path): above maximum")
      }
    }
    if case .string(let text) = value {
      // JSON Schema counts characters (code points), not bytes.
      let length = text.unicodeScalars.count
      if case .number(let m)? = schema["minLength"], let min = Int(m), length < min {
        errors.append("\(path): shorter than \(min) characters")
      }
      if case .number(let m)? = schema["maxLength"], let max = Int(m), length > max {
        errors.append("\(path): longer than \(max) characters")
      }
    }
    if case .object(let members) = value {
      if case .array(let required)? = schema["required"] {
        for case .string(let key) in required where value[key] == nil {
          errors.append("\(path): missing \(key)")
        }
      }
      let properties = schema["properties"]
      for (key, member) in members {
        if let sub = properties?[key] {
          errors += check(member, against: sub, path: "\(path).\(key)")
        } else if schema["additionalProperties"] == .bool(false) {
          errors.append("\(path): unexpected property \(key)")
        }
      }
    }
    if case .array(let items) = value, let itemSchema = schema["items"] {
      for (i, item) in items.enumerated() {
        errors += check(item, against: itemSchema, path: "\(path)[\(i)]")
      }
    }
    return errors
  }
}
