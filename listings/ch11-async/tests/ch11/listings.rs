//! Each listing's output, as the chapter shows it.

use std::process::Command;

use harness::{Normalizer, check_output, run};

fn stdout_of(bin: &str) -> String {
    let out = run(&mut Command::new(bin));
    out.assert_success();
    out.stdout_text()
}

#[test]
fn tasks_take_turns_only_where_they_yield() {
    let text = stdout_of(env!("CARGO_BIN_EXE_take_turns"));
    check_output!("../../output/take_turns.txt", &text);
}

#[test]
fn a_hand_written_future_and_an_async_fn_poll_alike() {
    let text = stdout_of(env!("CARGO_BIN_EXE_countdown"));
    check_output!("../../output/countdown.txt", &text);
}

#[test]
fn tokio_tasks_spawn_join_and_report_panics() {
    let out = run(&mut Command::new(env!("CARGO_BIN_EXE_tokio_tasks")));
    out.assert_success();
    assert!(
        out.stderr_text().contains("task failed"),
        "the panic is reported"
    );
    check_output!("../../output/tokio_tasks.txt", &out.stdout_text());
}

#[test]
fn timeout_and_select_drop_the_losing_future() {
    let text = stdout_of(env!("CARGO_BIN_EXE_cancel"));
    check_output!("../../output/cancel.txt", &text);
}

#[test]
fn channels_semaphore_and_mutex_on_one_thread() {
    let text = stdout_of(env!("CARGO_BIN_EXE_tokio_sync"));
    check_output!("../../output/tokio_sync.txt", &text);
}

#[test]
fn blocking_in_a_task_stalls_the_others_and_spawn_blocking_does_not() {
    let text = stdout_of(env!("CARGO_BIN_EXE_block_in_task"));
    let gaps: Vec<u64> = text
        .lines()
        .map(|line| {
            let ms =
                line.rsplit("gap ").next().unwrap().trim_end_matches(" ms");
            ms.parse().unwrap_or_else(|_| panic!("no gap in {line:?}"))
        })
        .collect();
    let [stalled, fixed] = gaps[..] else {
        panic!("two lines expected: {text}")
    };
    assert!(
        stalled >= 300,
        "the ticker ran during a blocking sleep: {text}"
    );
    assert!(
        fixed < stalled,
        "spawn_blocking still stalled the ticker: {text}"
    );
    // The page shows one run's figures.
    let shown = Normalizer::new()
        .replace(
            r"task: the ticker's longest gap \d+ ms",
            "task: the ticker's longest gap 301 ms",
        )
        .replace(
            r"\):         the ticker's longest gap \d+ ms",
            "):         the ticker's longest gap 13 ms",
        )
        .apply(&text);
    check_output!("../../output/block_in_task.txt", &shown);
}
