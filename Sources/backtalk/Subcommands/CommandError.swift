/// An error a command reports in one clear line (ArgumentParser prints it as `Error: ...`
/// without the usage text, which would only distract from what to fix).
struct CommandError: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) { self.description = description }
}
