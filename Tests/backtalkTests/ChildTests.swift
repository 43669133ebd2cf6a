import Foundation
import Testing

extension ProcessTests {
  /// The helpers themselves: a child that never finishes is killed at its deadline and the
  /// test fails, instead of the run hanging.
  @Suite(.timeLimit(.minutes(1))) struct ChildTests {
    @Test func aChildThatOutlivesItsTimeIsKilled() throws {
      let sandbox = try Sandbox()
      // stdin stays open, so serve waits for more lines for ever.
      let child = try Binary.start(["serve"], in: sandbox, timeout: .seconds(3))
      let start = ContinuousClock.now
      _ = child.readToEnd()
      let end = child.wait()
      #expect(end.timedOut)
      #expect(end.signal == SIGKILL)
      #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test func aReadThatNeverSeesItsTextFailsAtItsDeadline() throws {
      let sandbox = try Sandbox()
      let child = try Binary.start(["serve"], in: sandbox)
      withKnownIssue {
        _ = child.read(until: { $0.contains("never printed") }, timeout: .seconds(2))
      }
      #expect(child.wait().signal == SIGKILL)
    }
  }
}
