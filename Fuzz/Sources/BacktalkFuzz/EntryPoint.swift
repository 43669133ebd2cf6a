import CLibFuzzer

/// The process's entry point: on Linux SwiftPM links an executable's `main` to
/// `<Target>_main`, so this is it; it hands over to libFuzzer's driver, flags and all.
@_cdecl("BacktalkFuzz_main")
func fuzzMain(
  _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
  // Build the assistant (training its models takes seconds under the sanitizer) before the
  // driver starts timing inputs.
  _ = Harness.assistant
  var count = argc
  var arguments = argv
  return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
    fuzzOne(data, size)
  }
}

/// libFuzzer's usual callback, for its own `main` (which `-sanitize=fuzzer` links too, and
/// which needs this symbol to link); the same work as the driver's callback above.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  Harness.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
  return 0
}
