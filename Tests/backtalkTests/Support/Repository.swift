import Foundation

/// The project's folders, found from this file (never the working directory).
enum Repository {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let transcripts = root.appendingPathComponent("Transcripts")
  static let fixtures = root.appendingPathComponent("Tests/Fixtures")
  static let schema = root.appendingPathComponent("schema")
  static let seeds = root.deletingLastPathComponent().appendingPathComponent("shared/seeds")

  /// Whether `../shared/seeds` holds the seed articles.
  static var hasSeeds: Bool {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: seeds.path)) ?? []
    return names.contains { $0.hasSuffix(".txt") }
  }

  /// The user lines of every conversation of every transcript, in file order.
  static func conversations() throws -> [[String]] {
    var conversations: [[String]] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: transcripts.path).sorted()
    where file.hasSuffix(".transcript") {
      let text = try String(contentsOf: transcripts.appendingPathComponent(file), encoding: .utf8)
      for part in text.components(separatedBy: "\n=== ").dropFirst() {
        conversations.append(
          part.split(separator: "\n").filter { $0.hasPrefix("> ") }.map {
            String($0.dropFirst(2))
          })
      }
    }
    return conversations
  }
}
