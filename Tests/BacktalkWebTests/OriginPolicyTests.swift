import Testing

@testable import BacktalkWeb

@Suite struct OriginPolicyTests {
  let policy = OriginPolicy(host: "127.0.0.1", port: 8080)

  @Test(arguments: [
    ("http://127.0.0.1:8080", true), ("http://localhost:8080", true), ("http://[::1]:8080", true),
    ("HTTP://LOCALHOST:8080", true), ("http://127.0.0.1:8081", false),
    ("http://evil.example", false), ("http://evil.example:8080", false), ("null", false),
    ("file://", false), ("http://127.0.0.1:8080/path", false),
  ])
  func originsAreThisServersOwn(origin: String, allowed: Bool) {
    #expect(policy.allowsOrigin(origin) == allowed)
  }

  @Test func noOriginMeansNotABrowserAndIsLetIn() {
    #expect(policy.allowsOrigin(nil))
  }

  @Test(arguments: [
    ("127.0.0.1:8080", true), ("localhost:8080", true), ("evil.example:8080", false),
    ("127.0.0.1", false),
  ])
  func hostsAreCheckedAgainstTheSameListNotTheRequest(host: String, allowed: Bool) {
    #expect(policy.allowsHost(host) == allowed)
    #expect(!policy.allowsHost(nil))
  }

  @Test func anExtraOriginBehindAProxyIsAllowed() {
    let proxied = OriginPolicy(host: "0.0.0.0", port: 80, extraOrigins: ["https://chat.example/"])
    #expect(proxied.allowsOrigin("https://chat.example"))
    #expect(proxied.allowsHost("chat.example"))
    #expect(proxied.allowsHost("localhost"))
    #expect(!proxied.allowsOrigin("https://other.example"))
  }
}
