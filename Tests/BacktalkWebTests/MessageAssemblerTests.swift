import FlyingFox
import Foundation
import Testing

@testable import BacktalkWeb

@Suite struct MessageAssemblerTests {
  func frame(_ opcode: WSFrame.Opcode, _ text: String, fin: Bool = true) -> WSFrame {
    WSFrame(fin: fin, opcode: opcode, mask: nil, payload: Data(text.utf8))
  }

  @Test func aSingleTextFrameIsAMessage() {
    var assembler = MessageAssembler(limit: 100)
    #expect(assembler.receive(frame(.text, "hello")) == .message(Array("hello".utf8)))
  }

  @Test func continuationsAreJoined() {
    var assembler = MessageAssembler(limit: 100)
    #expect(assembler.receive(frame(.text, "hel", fin: false)) == nil)
    #expect(assembler.receive(frame(.continuation, "l", fin: false)) == nil)
    #expect(assembler.receive(frame(.continuation, "o")) == .message(Array("hello".utf8)))
  }

  @Test func aPingInTheMiddleOfAMessageIsAnsweredAndTheMessageGoesOn() {
    var assembler = MessageAssembler(limit: 100)
    #expect(assembler.receive(frame(.text, "a", fin: false)) == nil)
    #expect(assembler.receive(frame(.ping, "p")) == .ping(Data("p".utf8)))
    #expect(assembler.receive(frame(.continuation, "b")) == .message(Array("ab".utf8)))
  }

  @Test func aMessageOverTheLimitIsReportedOnceItEndsAndTheNextIsRead() {
    var assembler = MessageAssembler(limit: 4)
    #expect(assembler.receive(frame(.text, "abc", fin: false)) == nil)
    #expect(assembler.receive(frame(.continuation, "def", fin: false)) == nil)
    #expect(assembler.receive(frame(.continuation, "ghi")) == .tooLong)
    #expect(assembler.receive(frame(.binary, "ok")) == .message(Array("ok".utf8)))
    #expect(assembler.receive(frame(.text, "12345")) == .tooLong)
  }

  @Test func broken_sequencesAreViolations() {
    var stray = MessageAssembler(limit: 10)
    #expect(stray.receive(frame(.continuation, "x")) != nil)
    var twice = MessageAssembler(limit: 10)
    _ = twice.receive(frame(.text, "a", fin: false))
    guard case .violation? = twice.receive(frame(.text, "b")) else {
      Issue.record("a new message before the last ended must be a violation")
      return
    }
  }

  @Test func closeAndPongArePassedOrIgnored() {
    var assembler = MessageAssembler(limit: 10)
    #expect(assembler.receive(frame(.pong, "x")) == nil)
    #expect(assembler.receive(frame(.close, "")) == .close(Data()))
  }
}
