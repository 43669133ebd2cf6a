import BacktalkCore

extension JSONValue {
  /// The string value, if this is a string.
  var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }
}
