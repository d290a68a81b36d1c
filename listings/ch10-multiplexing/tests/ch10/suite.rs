//! Every echo server of the chapter passes the robustness suite of Part IV.

// ANCHOR: suite
echo_suite::robust_echo_tests!(echo_nonblocking, env!("CARGO_BIN_EXE_echo_nonblocking"));
echo_suite::robust_echo_tests!(echo_select, env!("CARGO_BIN_EXE_echo_select"));
echo_suite::robust_echo_tests!(echo_poll, env!("CARGO_BIN_EXE_echo_poll"));
echo_suite::robust_echo_tests!(echo_epoll, env!("CARGO_BIN_EXE_echo_epoll"));
echo_suite::robust_echo_tests!(echo_epoll_et, env!("CARGO_BIN_EXE_echo_epoll_et"));
echo_suite::robust_echo_tests!(echo_mio, env!("CARGO_BIN_EXE_echo_mio"));
// ANCHOR_END: suite
