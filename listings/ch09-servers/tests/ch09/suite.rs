//! Every echo server of the chapter except the iterative one passes the
//! robustness suite of Part IV; the iterative one shows its limit instead
//! (iterative.rs).

// ANCHOR: suite
echo_suite::robust_echo_tests!(echo_fork, env!("CARGO_BIN_EXE_echo_fork"));
echo_suite::robust_echo_tests!(echo_threads, env!("CARGO_BIN_EXE_echo_threads"));
echo_suite::robust_echo_tests!(echo_pool, env!("CARGO_BIN_EXE_echo_pool"));
// ANCHOR_END: suite
