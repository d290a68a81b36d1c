//! Helpers for the tests: chapter 5's site, client and checks (shared in
//! `http-suite`), and starting each design of the server.

use harness::Server;
pub use http_suite::{Client, HELLO, Response, Site, assert_still_serving, get, program, site};

/// Starts `fileserver 127.0.0.1:0 ROOT OPTIONS…`.
pub fn start(site: &Site, options: &[&str]) -> Server {
    start_bin(env!("CARGO_BIN_EXE_fileserver"), site, options)
}

/// Starts one design of the server (`bin`) on `127.0.0.1:0 ROOT OPTIONS…`.
pub fn start_bin(bin: &str, site: &Site, options: &[&str]) -> Server {
    let root = site.root_arg();
    let mut args = vec![root.as_str()];
    args.extend_from_slice(options);
    Server::start(bin, &args)
}

/// Makes each named test, a function of the server's binary, into one
/// test per design: `features::fs_epoll::etag_and_last_modified_give_304`
/// runs `etag_and_last_modified_give_304(…/fs_epoll)`.
macro_rules! every_design {
    ($($test:ident),* $(,)?) => {
        crate::common::every_design!(@ fileserver $($test)*);
        crate::common::every_design!(@ fs_threads $($test)*);
        crate::common::every_design!(@ fs_pool $($test)*);
        crate::common::every_design!(@ fs_epoll $($test)*);
    };
    (@ $bin:ident $($test:ident)*) => {
        mod $bin {
            $(
                #[test]
                fn $test() {
                    super::$test(env!(concat!("CARGO_BIN_EXE_", stringify!($bin))));
                }
            )*
        }
    };
}
pub(crate) use every_design;
