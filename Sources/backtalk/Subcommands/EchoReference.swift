import ArgumentParser
import Foundation

/// The benchmark's reference: a bare Foundation JSON echo loop.
///
/// It decodes each request, encodes a reply of the same shape as backtalk's, and writes and
/// flushes per line; `serve` is measured against it on the same input in the same run.
struct EchoReference: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "echo-reference", abstract: "Benchmark reference: a bare JSON echo loop.",
    shouldDisplay: false)

  struct Request: Decodable {
    var session: String?
    var text: String
  }

  struct Source: Encodable {
    var document: String
    var section: String
  }

  struct Reply: Encodable {
    var session: String
    var text: String
    var intent: String?
    var confidence: Double
    var escalate: Bool
    var escalation: String?
    var flow: String?
    var awaiting: String?
    var slots: [String: Int]
    var suggestions: [String]
    var sources: [Source]
  }

  func run() throws {
    StandardStreams.ignoreBrokenPipe()
    let decoder = JSONDecoder()
    let encoder = JSONEncoder()
    let out = FileHandle.standardOutput
    while let line = readLine() {
      guard let request = try? decoder.decode(Request.self, from: Data(line.utf8)) else { continue }
      let reply = Reply(
        session: request.session ?? "default", text: request.text, intent: "greet", confidence: 0.9,
        escalate: false, escalation: nil, flow: nil, awaiting: nil, slots: [:],
        suggestions: ["What should I do about my back pain?"],
        sources: [
          Source(document: "001_a2fa9c1d4d10e96b.txt", section: "What causes upper back pain?")
        ])
      var data = try encoder.encode(reply)
      data.append(0x0A)
      do { try out.write(contentsOf: data) } catch { return }
    }
  }
}
