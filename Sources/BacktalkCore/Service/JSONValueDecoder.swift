/// Decodes `Decodable` values from JSON through backtalk's own parser.
///
/// Foundation's `JSONDecoder` spends about 10 ms on the start-up cache of the knowledge base;
/// the same bytes parsed by ``JSONParser`` and decoded from the resulting ``JSONValue`` tree take
/// a fraction of that, and custom `init(from:)` implementations (shorthand forms in the YAML)
/// work unchanged because every container kind is supported.
public struct JSONValueDecoder {
  /// Creates a decoder.
  public init() {}

  /// Decodes a value of `type` from JSON bytes.
  ///
  /// - Throws: `DecodingError` for a value of the wrong shape, ``JSONParser/Failure`` for bytes
  ///   that are not JSON.
  public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
    try T(from: Node(value: try JSONParser.parse(bytes), codingPath: []))
  }

  /// One value of the tree being decoded.
  private struct Node: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
      guard case .object(let members) = value else { throw mismatch([String: Int].self) }
      return KeyedDecodingContainer(Keyed<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
      guard case .array(let items) = value else { throw mismatch([Int].self) }
      return Unkeyed(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func mismatch(_ type: Any.Type) -> DecodingError {
      .typeMismatch(
        type,
        .init(codingPath: codingPath, debugDescription: "found a JSON \(value.typeName)"))
    }

    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
      guard case .bool(let b) = value else { throw mismatch(type) }
      return b
    }

    func decode(_ type: String.Type) throws -> String {
      guard case .string(let s) = value else { throw mismatch(type) }
      return s
    }

    func decode(_ type: Double.Type) throws -> Double {
      guard case .number(let n) = value, let d = Double(n) else { throw mismatch(type) }
      return d
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
      guard case .number(let n) = value else { throw mismatch(type) }
      if let i = I(n) { return i }
      // JSON writers may spell an integer as 3.0 or 3e2.
      guard let d = Double(n), d.rounded() == d, let i = I(exactly: d) else {
        throw mismatch(type)
      }
      return i
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }
  }

  /// An object's members, looked up by key (the last duplicate wins, as in ``JSONValue``).
  private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(String, JSONValue)]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.0) } }

    func contains(_ key: Key) -> Bool { members.contains { $0.0 == key.stringValue } }

    func node(_ key: Key) throws -> Node {
      guard let value = members.last(where: { $0.0 == key.stringValue })?.1 else {
        throw DecodingError.keyNotFound(
          key, .init(codingPath: codingPath, debugDescription: "no '\(key.stringValue)'"))
      }
      return Node(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool { try node(key).decodeNil() }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      try node(key).decode(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
      guard let value = members.last(where: { $0.0 == key.stringValue })?.1, value != .null
      else { return nil }
      return try Node(value: value, codingPath: codingPath + [key]).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key)
      throws -> KeyedDecodingContainer<NestedKey>
    {
      try node(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      try node(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
      Node(value: .object(members), codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try node(key) }
  }

  /// An array's items, read in order.
  private struct Unkeyed: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
      self.items = items
      self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> Node {
      guard !isAtEnd else {
        throw DecodingError.valueNotFound(
          Any.self, .init(codingPath: codingPath, debugDescription: "the array ended"))
      }
      defer { currentIndex += 1 }
      return Node(value: items[currentIndex], codingPath: codingPath + [Index(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
      guard !isAtEnd, items[currentIndex] == .null else { return false }
      currentIndex += 1
      return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next() }
  }

  /// The coding key of an array position.
  private struct Index: CodingKey {
    let intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
  }
}
