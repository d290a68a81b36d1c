//! Every kind of bad input gets its status, and the server keeps serving:
//! after each case a new connection gets a good answer, and where the
//! connection stays open, a good request on it does too. The table lives
//! in `listings/http-suite/src/bad_input.rs`, since chapter 15's servers
//! must pass it too.

use http_suite::bad_input::Spec;

http_suite::bad_input_tests!(Spec {
    bin: env!("CARGO_BIN_EXE_http_server"),
    // The idle timeout, in seconds.
    args: &["5"],
    allow: "GET, HEAD, POST, OPTIONS",
    takes_posts: true,
});
