import BacktalkCore
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The real server over loopback: the page's headers, the protocol over the socket, and bad
/// input answered as `serve` answers it while the connection reads on.
@Suite(.serialized) struct WebProcessTests {
  @Test func thePageForbidsOutsideResourcesAndNamesTheRegionsNumber() async throws {
    let web = try WebProcess(arguments: ["--region", "uk"])
    let url = try #require(URL(string: "http://127.0.0.1:\(web.port)/"))
    let (data, response) = try await URLSession.shared.data(from: url)
    let http = try #require(response as? HTTPURLResponse)
    #expect(http.statusCode == 200)
    let csp = http.value(forHTTPHeaderField: "Content-Security-Policy") ?? ""
    #expect(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"))
    let page = String(decoding: data, as: UTF8.self)
    #expect(page.contains("tel:999") && !page.contains("{{"))
    #expect(page.contains("not a diagnosis"))
  }

  @Test func aMessageGetsServesReplyWithTitledSources() throws {
    let web = try WebProcess()
    let socket = try RawWebSocket(port: web.port)
    #expect(socket.status == 101)
    try socket.send(#"{"id":7,"session":"w","text":"is heat or ice better for my upper back?"}"#)
    let reply = try JSONParser.parse(Array(try socket.receiveText().utf8))
    #expect(reply["id"] == .number("7"))
    guard case .array(let sources)? = reply["sources"],
      case .string(let title)? = sources.first?["title"]
    else {
      Issue.record("no titled sources")
      return
    }
    #expect(!title.hasSuffix(".txt"))
  }

  @Test func badMessagesGetServesErrorsAndTheConnectionReadsOn() throws {
    let web = try WebProcess()
    let socket = try RawWebSocket(port: web.port)
    try socket.send("{not json")
    #expect(try socket.receiveText().contains(#""code":"invalid_json""#))
    try socket.send(Array(#"{"text":"\#u{FF}"}"#.utf8) + [0xFF], opcode: 0x2)
    #expect(try socket.receiveText().contains(#""code":"invalid_utf8""#))
    try socket.send(#"{"id":1,"text":""# + String(repeating: "x", count: 70_000) + #""}"#)
    #expect(try socket.receiveText().contains(#""code":"line_too_long""#))
    try socket.send(#"{"id":2,"session":"w","text":"hello"}"#)
    #expect(try socket.receiveText().contains(#""id":2"#))
  }

  @Test func aForeignOriginOrHostIsRefused() throws {
    let web = try WebProcess()
    #expect(try RawWebSocket(port: web.port, origin: "http://evil.example").status == 403)
    #expect(try RawWebSocket(port: web.port, host: "evil.example:80").status == 421)
    #expect(try RawWebSocket(port: web.port, origin: "http://localhost:\(web.port)").status == 101)
  }

  @Test func aFloodIsRefusedThenClosedWhileAnotherConnectionIsServed() throws {
    let web = try WebProcess(arguments: ["--burst", "5", "--messages-per-second", "1"])
    let flood = try RawWebSocket(port: web.port)
    let calm = try RawWebSocket(port: web.port)
    for i in 0..<80 { try flood.send(#"{"id":\#(i),"session":"f","text":"hi"}"#) }
    var refused = 0
    var closeCode = 0
    while true {
      let frame = try flood.receive()
      if frame.opcode == 0x8 {
        closeCode = Int(frame.payload[0]) << 8 | Int(frame.payload[1])
        break
      }
      if String(decoding: frame.payload, as: UTF8.self).contains("rate_limited") { refused += 1 }
    }
    #expect(refused == 50)
    #expect(closeCode == 1008)
    try calm.send(#"{"id":"c","session":"c","text":"hello"}"#)
    #expect(try calm.receiveText().contains(#""id":"c""#))
  }

  @Test func aSilentConnectionIsClosedAfterTheIdleTimeout() throws {
    let web = try WebProcess(arguments: ["--idle-seconds", "1"])
    let socket = try RawWebSocket(port: web.port)
    let start = ContinuousClock.now
    let frame = try socket.receive()
    #expect(frame.opcode == 0x8)
    #expect(Int(frame.payload[0]) << 8 | Int(frame.payload[1]) == 1001)
    #expect(start.duration(to: .now) < .seconds(5))
  }
}
