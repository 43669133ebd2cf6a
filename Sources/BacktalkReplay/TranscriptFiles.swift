import Foundation

/// Finds transcript files under paths (files or folders), sorted for determinism.
public enum TranscriptFiles {
  /// Every `*.transcript` file under the given paths.
  public static func find(_ paths: [String]) throws -> [URL] {
    var found: [URL] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw TranscriptError.unreadable(path: path, reason: "no such file or folder")
      }
      if isDirectory.boolValue {
        let url = URL(fileURLWithPath: path)
        guard let items = FileManager.default.enumerator(atPath: path) else { continue }
        for case let item as String in items where item.hasSuffix(".transcript") {
          found.append(url.appendingPathComponent(item))
        }
      } else {
        found.append(URL(fileURLWithPath: path))
      }
    }
    return found.sorted { $0.path < $1.path }
  }

  /// Reads and parses one file.
  public static func load(_ url: URL) throws -> Transcript {
    guard let data = FileManager.default.contents(atPath: url.path),
      let text = String(data: data, encoding: .utf8)
    else {
      throw TranscriptError.unreadable(path: url.path, reason: "cannot read it as UTF-8 text")
    }
    return try TranscriptParser.parse(text, file: url.lastPathComponent)
  }
}
