import BacktalkCore
import Foundation

/// Paths and shared objects for the tests, found from this file's location (never the
/// working directory, which differs between `swift test` and an IDE).
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let intents = root.appendingPathComponent("Intents")
  static let fixtures = root.appendingPathComponent("Tests/Fixtures")
  static let seeds = root.deletingLastPathComponent().appendingPathComponent("shared/seeds")

  /// The shipped knowledge base, loaded once.
  static let knowledge: KnowledgeBase = {
    do { return try KnowledgeBase.load(directory: intents) } catch {
      fatalError("the shipped knowledge base does not load: \(error)")
    }
  }()

  /// The shipped embedding table, as the binary uses it.
  static let embeddings: StaticEmbeddingTable = {
    do { return try EmbeddingFixtures.table() } catch {
      fatalError("the shipped embedding table does not load: \(error)")
    }
  }()

  /// The shipped assistant (region us), built once, with the shipped embeddings.
  static let assistant: Assistant = {
    do { return try Assistant(knowledge: knowledge, region: "us", embeddings: embeddings) } catch {
      fatalError("the shipped assistant does not build: \(error)")
    }
  }()

  /// Every line of a JSONL fixture, parsed.
  ///
  /// A missing file or a line that does not parse stops the run with the file and line: a
  /// table that silently lost rows would still pass, with fewer cases.
  static func jsonLines(_ name: String) -> [JSONValue] {
    let url = fixtures.appendingPathComponent(name)
    guard let data = FileManager.default.contents(atPath: url.path) else {
      preconditionFailure("Tests/Fixtures/\(name) is missing")
    }
    let lines = String(decoding: data, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    var values: [JSONValue] = []
    for (index, line) in lines.enumerated() where !line.isEmpty {
      do {
        values.append(try JSONParser.parse(Array(line.utf8)))
      } catch {
        preconditionFailure("Tests/Fixtures/\(name):\(index + 1) does not parse: \(error)")
      }
    }
    return values
  }

  /// The number of non-empty lines of a fixture, to check that no row was dropped on the way.
  static func lineCount(_ name: String) -> Int {
    let url = fixtures.appendingPathComponent(name)
    let data = FileManager.default.contents(atPath: url.path) ?? Data()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").count
  }

  /// The seed files, or nil when `../shared/seeds` is absent.
  static func seedFiles() -> [String: String]? {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: seeds.path) else {
      return nil
    }
    var files: [String: String] = [:]
    for name in names where name.hasSuffix(".txt") {
      files[name] = FileManager.default.contents(atPath: seeds.appendingPathComponent(name).path)
        .map { String(decoding: $0, as: UTF8.self) }
    }
    return files.isEmpty ? nil : files
  }

  /// The knowledge files as `(name, contents)`, for building modified copies in memory.
  static func knowledgeFiles() -> [(name: String, contents: String)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: intents.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map { name in
      (
        name,
        FileManager.default.contents(atPath: intents.appendingPathComponent(name).path)
          .map { String(decoding: $0, as: UTF8.self) } ?? ""
      )
    }
  }
}

extension JSONValue {
  /// The string value, if this is a string.
  var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }
}
