import Foundation

/// With `TRANSCODE_EXIT_WITH_PARENT=1`, the service shuts down (as on SIGTERM: jobs stopped,
/// folders cleaned, death note sent) when the process that started it goes away, so a
/// supervisor or a test run that crashes leaves no service behind.
public enum ParentWatch {
    /// Starts watching when the environment asks for it.
    public static func startIfRequested(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard ["1", "true", "yes"].contains(environment["TRANSCODE_EXIT_WITH_PARENT"]?.lowercased() ?? "") else { return }
        let parent = getppid()
        // Adopted by init already: the starter died before this process got here (a loaded
        // machine), and watching init would wait for ever.
        guard parent != 1 else {
            kill(getpid(), SIGTERM)
            return
        }
        let thread = Thread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.5) }
            kill(getpid(), SIGTERM)
        }
        thread.name = "parent-watch"
        thread.start()
    }
}
