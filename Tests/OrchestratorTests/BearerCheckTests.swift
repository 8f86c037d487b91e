import Foundation
import ServiceSupport
import Testing

/// The bearer check reads the header as it always did (Foundation's trimming of
/// `.whitespaces`), now without Foundation for the common spelling.
@Suite struct BearerCheckTests {
    static let accepted = [
        "Bearer tok-1", "bearer tok-1", "BEARER tok-1", "BeArEr tok-1", "Bearer  tok-1", "Bearer tok-1\t",
        "Bearer \ttok-1 ", "Bearer tok-1\u{2003}", "Bearer \u{00A0}tok-1",
    ]
    static let refused = [
        "Bearer", "Bearer ", "Basic tok-1", "Bearertok-1", "Bearer tok-2", "Bearer tok-1x", "Bearer to k-1",
        "Bearer tok-1\n", "Bearer\ttok-1", "Bearer\u{00A0}tok-1", "Bearér tok-1", "Bearer_ tok-1", "", "Bearer tok-1 tok-1",
    ]

    @Test(arguments: accepted) func accepts(_ value: String) {
        #expect(BearerCheck.accepts(value, token: "tok-1"))
    }

    @Test(arguments: refused) func refuses(_ value: String) {
        #expect(!BearerCheck.accepts(value, token: "tok-1"))
    }
}
