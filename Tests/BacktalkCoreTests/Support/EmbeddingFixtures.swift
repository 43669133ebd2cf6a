import BacktalkCore
import Foundation

/// The shipped embedding table and its JSON Lines fixtures, read strictly.
///
/// Unlike ``Fixtures/jsonLines(_:)``, a line that does not parse fails the test that reads it:
/// a fixture silently losing rows would make the tokenizer and embedding checks pass on less
/// than they claim.
enum EmbeddingFixtures {
  /// Why a fixture could not be read.
  struct FixtureError: Error, CustomStringConvertible {
    let description: String
  }

  static let tableURL = Fixtures.root.appendingPathComponent("Embeddings/minilm-l6-static.bin")

  /// The bytes of the shipped table.
  static func tableBytes() throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: tableURL.path) else {
      throw FixtureError(description: "cannot read \(tableURL.path)")
    }
    return [UInt8](data)
  }

  /// The shipped table, opened from a copy of its bytes.
  static func table() throws -> StaticEmbeddingTable {
    try StaticEmbeddingTable(buffer: SnapshotBuffer(copying: try tableBytes()))
  }

  /// Every non-empty line of a fixture as a JSON object; throws on the first line that does
  /// not parse, naming it.
  static func objects(_ name: String) throws -> [(line: Int, value: JSONValue)] {
    let url = Fixtures.fixtures.appendingPathComponent(name)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw FixtureError(description: "cannot read \(url.path)")
    }
    var rows: [(line: Int, value: JSONValue)] = []
    let lines = String(decoding: data, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() where !line.isEmpty {
      let value: JSONValue
      do {
        value = try JSONParser.parse(Array(line.utf8))
      } catch {
        throw FixtureError(description: "\(name):\(index + 1) does not parse: \(error)")
      }
      guard value["text"]?.stringValue != nil else {
        throw FixtureError(description: "\(name):\(index + 1) has no \"text\" string")
      }
      rows.append((index + 1, value))
    }
    return rows
  }

  /// The numbers of the array `key` of a fixture row; throws if any is missing or not a number.
  static func numbers(_ value: JSONValue, _ key: String, line: Int) throws -> [Double] {
    guard case .array(let items)? = value[key] else {
      throw FixtureError(description: "line \(line) has no \"\(key)\" array")
    }
    return try items.map { item in
      guard case .number(let text) = item, let number = Double(text) else {
        throw FixtureError(description: "line \(line): \(item) in \"\(key)\" is not a number")
      }
      return number
    }
  }
}
