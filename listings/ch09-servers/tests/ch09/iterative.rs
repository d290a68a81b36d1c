//! Listing 9-4: the iterative server echoes, and serves one client at a time.

const ECHO_ITERATIVE: &str = env!("CARGO_BIN_EXE_echo_iterative");

#[test]
fn echo_iterative_returns_every_byte_in_order() {
    echo_suite::echoes_every_byte_in_order(ECHO_ITERATIVE);
}

#[test]
fn echo_iterative_sends_the_rest_and_closes_after_a_half_close() {
    echo_suite::finishes_after_half_close(ECHO_ITERATIVE);
}

#[test]
fn echo_iterative_makes_a_second_client_wait_for_the_first() {
    echo_suite::serves_one_client_at_a_time(ECHO_ITERATIVE);
}

#[test]
fn echo_iterative_survives_a_client_that_resets() {
    echo_suite::survives_resets_and_vanishing_clients(ECHO_ITERATIVE);
}
