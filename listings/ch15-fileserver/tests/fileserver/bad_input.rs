//! Chapter 5's whole bad-input table (`http-suite`'s `bad_input`), against
//! each design of the server: every kind of bad input gets its status, and
//! the server keeps serving.

macro_rules! against {
    ($($bin:ident),*) => {$(
        mod $bin {
            http_suite::bad_input_tests!(http_suite::bad_input::Spec {
                bin: env!(concat!("CARGO_BIN_EXE_", stringify!($bin))),
                args: &[],
                allow: "GET, HEAD, OPTIONS",
                takes_posts: false,
            });
        }
    )*};
}

against!(fileserver, fs_threads, fs_pool, fs_epoll);
